using System.Text.Json;
using Matchmaker.Worker.Jobs;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api.Health;

/// <summary>
/// <c>/health</c>: the store (reachable, migrated, and on PostgreSQL whether the change notifications are heard) and the
/// job engine (see <see cref="JobEngineHealthCheck"/>), as JSON for a proxy or an operator. 503 only when unhealthy.
/// </summary>
public static class HealthSetup
{
    public static IServiceCollection AddMatchmakerHealth(this IServiceCollection services)
    {
        // The job engine's side of the seam; swapping the engine swaps this one registration.
        services.AddSingleton<IJobEngineStatus, QuartzJobEngineStatus>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database").AddCheck<JobEngineHealthCheck>("jobs");
        return services;
    }

    public static IEndpointConventionBuilder MapMatchmakerHealth(this IEndpointRouteBuilder routes) =>
        routes.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous();

    static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        }, json, http.RequestAborted);
    }
}
