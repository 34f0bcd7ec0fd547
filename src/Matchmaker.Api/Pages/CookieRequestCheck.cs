using Matchmaker.Core.Messages;
using Matchmaker.Api.Access;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api.Pages;

/// <summary>
/// CSRF guard for the pages: a state-changing request authenticated only by the <c>mm_token</c> cookie must carry
/// <c>X-Requested-With: matchmaker</c>, which a cross-site form cannot send and a cross-site script cannot add without a
/// CORS preflight this API never grants. Requests with a Bearer header are not cookie-authenticated and pass unchanged.
/// </summary>
public sealed class CookieRequestCheck(RequestDelegate next)
{
    public const string HeaderName = "X-Requested-With";
    public const string HeaderValue = "matchmaker";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        if (!safe && request.Headers.Authorization.Count == 0 && request.Cookies.ContainsKey(TokenAuthenticationHandler.CookieName)
            && !string.Equals(request.Headers[HeaderName].ToString(), HeaderValue, StringComparison.Ordinal))
        {
            await Problems.Forbidden(new Message("token.cookie_header", HeaderName, HeaderValue), HeaderName).ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
