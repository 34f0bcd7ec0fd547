using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Matchmaker.Api.Tests;

/// <summary>
/// Records (method, route, status) of every answer of the hosts created while it is <see cref="Current"/>: the route
/// is the endpoint's pattern, as the OpenAPI document names the operation.
/// </summary>
public sealed class AnsweredStatuses : IStartupFilter
{
    /// <summary>Hosts created in this async flow record into it (read once, by the host's constructor).</summary>
    public static readonly AsyncLocal<AnsweredStatuses?> Current = new();

    public ConcurrentDictionary<(string Method, string Route, int Status), string> Answers { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            await following(context);
            if (context.GetEndpoint() is RouteEndpoint endpoint)
                Answers.TryAdd((context.Request.Method, Normalise(endpoint.RoutePattern.RawText ?? ""), context.Response.StatusCode),
                    context.Request.Path + context.Request.QueryString);
        });
        next(app);
    };

    /// <summary>"/api/events/{eventId}/smes/{smeId:long}" as the document writes it: "/api/events/{eventId}/smes/{smeId}".</summary>
    public static string Normalise(string route)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(route, @"\{([^}:?=]+)[^}]*\}", "{$1}");
        return "/" + text.Trim('/');
    }
}
