using System.Security.Claims;
using System.Text.Encodings.Web;
using Matchmaker.Core;
using Matchmaker.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api.Access;

/// <summary>
/// Authenticates a request by its access token: <c>Authorization: Bearer …</c>, the pages' cookie, or
/// <c>?access_token=</c> (calendar apps subscribing to an ICS feed cannot send headers).
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    AccessTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string CookieName = "mm_token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (token is null) return AuthenticateResult.NoResult();
        var caller = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        if (caller is null) return AuthenticateResult.Fail("unknown or revoked token");
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.TokenId.ToString()),
            new(ClaimTypes.Role, SnakeCase.Name(caller.Role)),
        };
        Context.Items[typeof(Caller)] = caller;
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0) return cookie;
        return request.Query.TryGetValue("access_token", out var query) && query.Count == 1 ? query[0] : null;
    }
}
