using Matchmaker.Api.Access;
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

    static async Task<Results<Ok<JobStatus>, ProblemHttpResult>> GetJob(string jobId, JobStore jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        return job is null
            ? Problems.NotFound($"There is no job '{jobId}'.", "jobId")
            : TypedResults.Ok(job);
    }
}
