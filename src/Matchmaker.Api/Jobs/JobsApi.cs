using Matchmaker.Api.Access;
using Matchmaker.Core.Events;
using Matchmaker.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Jobs;

/// <summary>The answer to a request that queued background work: the job and where to follow it.</summary>
public sealed record JobStarted(string JobId, string StatusUrl)
{
    /// <summary>202 Accepted with the job's status URL as Location.</summary>
    public static Accepted<JobStarted> Accepted(string jobId) => TypedResults.Accepted($"/api/jobs/{jobId}", new JobStarted(jobId, $"/api/jobs/{jobId}"));
}

/// <summary>Background job status: state, progress and the report (e.g. an import's row-by-row errors).</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/jobs/{jobId}", GetJob).WithTags("Jobs").WithName(nameof(GetJob))
            .WithSummary("State, progress and report of a background job")
            .RequireAuthorization(AccessSetup.Analysts);
        return routes;
    }

    /// <summary>
    /// A job of an event is shown to whoever may see the event; a job of no event (the recommender's training, which
    /// learns from every event) only to the administrator. Anything else is not found, as if there were no such job.
    /// </summary>
    static async Task<Results<Ok<JobStatus>, ProblemHttpResult>> GetJob(string jobId, HttpContext http, JobStore jobs, EventIds eventIds,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var job = await jobs.FindAsync(jobId, cancellationToken);
        var visible = job switch
        {
            null => false,
            { EventId: null } => caller.IsAdministrator,
            { EventId: { } eventId } => await eventIds.FindAsync(eventId, cancellationToken) is { } eventDbId && caller.MaySee(eventDbId),
        };
        return visible ? TypedResults.Ok(job!) : Problems.NotFound($"There is no job '{jobId}'.", "jobId");
    }
}
