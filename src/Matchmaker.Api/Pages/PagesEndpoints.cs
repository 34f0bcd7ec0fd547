using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Core;
using Matchmaker.Core.Access;
using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Pages;

/// <summary>
/// The web pages: plain HTML from wwwroot (their script calls the API with the <c>mm_token</c> cookie), the login by token
/// link that sets that cookie, logout, and who is signed in (with the event's text id and the participant's name).
/// </summary>
public static class PagesEndpoints
{
    /// <summary>Clean page addresses → the HTML file in wwwroot that holds the page.</summary>
    static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>
    {
        ["/"] = "index.html",
        ["/organiser"] = "organiser/index.html",
        ["/organiser/setup"] = "organiser/setup.html",
        ["/organiser/import"] = "organiser/import.html",
        ["/organiser/board"] = "organiser/board.html",
        ["/organiser/day"] = "organiser/day.html",
        ["/organiser/participants"] = "organiser/participants.html",
        ["/organiser/report"] = "organiser/report.html",
        ["/organiser/notifications"] = "organiser/notifications.html",
        ["/organiser/accounts"] = "organiser/accounts.html",
        ["/sme"] = "sme.html",
        ["/buyer"] = "buyer.html",
        ["/analyst"] = "analyst.html",
    };

    /// <summary>Static files (CSS, scripts) and the cookie-request check; call before authentication.</summary>
    public static IApplicationBuilder UsePages(this IApplicationBuilder app) =>
        app.UseStaticFiles().UseMiddleware<CookieRequestCheck>();

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder routes)
    {
        foreach (var (route, file) in Routes)
            routes.MapGet(route, (IWebHostEnvironment env, HttpContext http) => Page(env, http, file)).AllowAnonymous().ExcludeFromDescription();
        routes.MapGet("/login", Login).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/logout", Logout).AllowAnonymous().ExcludeFromDescription();
        var data = routes.MapGroup("/pages/api").WithTags("Pages").RequireAuthorization(AccessSetup.Participants);
        data.MapGet("/context", Context).WithName("PageContext").WithSummary("Who is signed in, with the event's text id and the participant's name");
        return routes;
    }

    /// <summary>The pages load only their own scripts and styles: an injected script or a framing site gets nowhere.</summary>
    const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static IResult Page(IWebHostEnvironment env, HttpContext http, string file)
    {
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "same-origin";
        var path = Path.Combine(env.WebRootPath ?? Path.Combine(env.ContentRootPath, "wwwroot"), file);
        return File.Exists(path) ? TypedResults.PhysicalFile(path, "text/html; charset=utf-8") : TypedResults.NotFound();
    }

    /// <summary>Home page of each role, where a login link lands.</summary>
    public static string HomeOf(Role role) => role switch
    {
        Role.Administrator or Role.Organiser => "/organiser",
        Role.Sme => "/sme",
        Role.Buyer => "/buyer",
        Role.Analyst => "/analyst",
        _ => "/",
    };

    static async Task<IResult> Login(string? token, string? mail, HttpContext http, AccessTokens tokens, MailLinks mailLinks, CancellationToken cancellationToken)
    {
        // The link carries the secret: keep it out of the history and out of Referer headers, whatever the answer.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        if (mail is not null) return await MailLogin(mail, http, mailLinks, cancellationToken);
        var caller = string.IsNullOrWhiteSpace(token) ? null : await tokens.AuthenticateAsync(token, cancellationToken);
        if (caller is null) return TypedResults.Redirect("/?login=failed");
        return SignIn(http, token!, caller.Role);
    }

    /// <summary>A notification mail's link: a fresh token of the participant the mail went to, or a page saying plainly
    /// why not (in Korean and English: the reader is not signed in, so its language is not known).</summary>
    static async Task<IResult> MailLogin(string mail, HttpContext http, MailLinks mailLinks, CancellationToken cancellationToken)
    {
        var result = await mailLinks.SignInAsync(mail.Trim(), cancellationToken);
        if (result.Token is { } issued) return SignIn(http, issued.Token, issued.Role);
        var (status, ko, en) = result.Refusal switch
        {
            MailLinkRefusal.Expired => (StatusCodes.Status410Gone, "로그인 링크의 유효 기간이 지났습니다. 가장 최근에 받은 알림 메일의 링크를 사용하거나 주최 측에 문의해 주십시오.",
                "This sign-in link has expired. Use the link of your most recent notification mail, or ask the organisers."),
            MailLinkRefusal.Revoked => (StatusCodes.Status403Forbidden, "주최 측이 이 참가자의 접속 권한을 취소했습니다. 주최 측에 문의해 주십시오.",
                "The organisers have revoked this participant's access. Please contact them."),
            MailLinkRefusal.NotInEvent => (StatusCodes.Status403Forbidden, "이 링크의 참가자는 더 이상 해당 행사에 참가하지 않습니다.",
                "The participant this link was sent to no longer takes part in the event."),
            _ => (StatusCodes.Status403Forbidden, "올바르지 않은 로그인 링크입니다. 메일의 링크 전체가 복사되었는지 확인해 주십시오.",
                "This sign-in link is not valid. Check that the whole link from the mail was copied."),
        };
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        var html = $"""
            <!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>로그인할 수 없습니다 / Cannot sign in</title>
            <link rel="stylesheet" href="/css/site.css"></head><body><main><h1>로그인할 수 없습니다 / Cannot sign in</h1>
            <p id="refusal" data-reason="{SnakeCase.Name(result.Refusal!.Value)}">{System.Net.WebUtility.HtmlEncode(ko)}</p>
            <p lang="en">{System.Net.WebUtility.HtmlEncode(en)}</p></main></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    static IResult SignIn(HttpContext http, string token, Role role)
    {
        http.Response.Cookies.Append(TokenAuthenticationHandler.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromDays(30),
        });
        return TypedResults.Redirect(HomeOf(role));
    }

    static NoContent Logout(HttpContext http)
    {
        http.Response.Cookies.Delete(TokenAuthenticationHandler.CookieName, new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true });
        return TypedResults.NoContent();
    }

    static async Task<Ok<PageContext>> Context(HttpContext http, Database database, CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventRow = caller.EventDbId is { } id
            ? await connection.QuerySingleOrDefaultAsync<EventName>("SELECT event_id AS EventId, name AS Name FROM events WHERE id = @id", new { id })
            : null;
        var name = caller.SmeId is { } s
                ? await connection.ExecuteScalarAsync<string>("SELECT name FROM event_smes WHERE event_id = @EventDbId AND sme_id = @s", new { caller.EventDbId, s })
            : caller.BuyerId is { } b
                ? await connection.ExecuteScalarAsync<string>("SELECT name FROM event_buyers WHERE event_id = @EventDbId AND buyer_id = @b", new { caller.EventDbId, b })
            : null;
        return TypedResults.Ok(new PageContext(SnakeCase.Name(caller.Role), eventRow?.EventId, eventRow?.Name, caller.SmeId, caller.BuyerId, name,
            HomeOf(caller.Role)));
    }

    sealed record EventName(string EventId, string Name);
}

/// <summary>Who is signed in, as the pages need it.</summary>
public sealed record PageContext(string Role, string? EventId, string? EventName, long? SmeId, long? BuyerId, string? Name, string Home);
