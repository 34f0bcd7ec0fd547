using System.Net;
using Matchmaker.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api;

/// <summary>Which reverse proxies the API believes (section <c>Matchmaker:Proxy</c>).</summary>
public sealed record ProxyOptions
{
    /// <summary>Addresses of the proxies in front of the API (nginx, "Running on several machines" in the README) whose
    /// <c>X-Forwarded-For</c>/<c>-Proto</c>/<c>-Host</c> are taken as the client's. Loopback is always believed; a proxy
    /// on another machine must be named here, or its headers are ignored (anyone could send them).</summary>
    public string[] KnownProxies { get; init; } = [];
}

/// <summary>
/// Behind nginx the API sees the proxy's connection: plain HTTP from 127.0.0.1 to an upstream port. What it builds from
/// the request (the sign-in link of a new organiser account, the cookie's Secure flag) must be what the user's browser
/// used, so the forwarded headers of a believed proxy replace scheme, host and client address before anything else runs.
/// </summary>
public static class ReverseProxy
{
    public const string Section = "Matchmaker:Proxy";

    public static IServiceCollection AddMatchmakerReverseProxy(this IServiceCollection services)
    {
        services.AddBoundOptions<ProxyOptions>(Section, o =>
        {
            foreach (var proxy in o.KnownProxies)
                if (!IPAddress.TryParse(proxy, out _)) throw new ArgumentException($"'{proxy}' is not an IP address", nameof(o.KnownProxies));
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // KnownProxies holds loopback (127.0.0.1 and ::1) by default; the configured ones are added to it.
            foreach (var proxy in proxies.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            // One proxy in front: only its own entry is taken from each header.
            forwarded.ForwardLimit = 1;
        });
        return services;
    }
}
