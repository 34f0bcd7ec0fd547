using Matchmaker.Core.Jobs;
using Matchmaker.Core.Messages;
using Matchmaker.Core.Storage;
using Npgsql;
using Polly.Timeout;
using Quartz;

namespace Matchmaker.Worker.Jobs;

/// <summary>
/// How a Quartz job runs one job of the jobs table: never beside another run of it (<see cref="JobStore.RunAloneAsync"/>),
/// and never left "running" when the run throws. Quartz does not run again a job that throws, so a passing fault (the
/// store-write pipeline's timeout on a busy server, a serialization failure past its retries, a dropped connection) asks
/// Quartz to run it again at once, up to <see cref="MaxAttempts"/> runs in all; anything else, or the last attempt,
/// marks the job failed, so that whoever follows it sees it ended and can start it again.
/// </summary>
static class JobRuns
{
    public const int MaxAttempts = 3;

    public static async Task RunAsync(JobStore jobs, string jobId, IJobExecutionContext context, Func<Task> work, ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            await jobs.RunAloneAsync(jobId, work, () => RunLog.Waiting(logger, jobId), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Counted by Quartz's refires, not the job's attempts: a fault before the run starts the job counts too.
            var attempts = context.RefireCount + 1;
            if ((e is TimeoutRejectedException or NpgsqlException { IsTransient: true } || TransientFaults.IsTransient(e)) && attempts < MaxAttempts)
            {
                RunLog.RunningAgain(logger, e, jobId, attempts, MaxAttempts);
                throw new JobExecutionException(e) { RefireImmediately = true };
            }
            RunLog.Failed(logger, e, jobId, attempts);
            await jobs.FailUnfinishedAsync(jobId, JobMessages.Encode(new Message("job.failed_unexpectedly")), CancellationToken.None);
        }
    }
}

/// <summary>What a job run logs about its job's other runs and its failures.</summary>
static partial class RunLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is already running in another process; this run waits until that one has ended")]
    public static partial void Waiting(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed on a passing fault in run {Attempts} of {MaxAttempts}; running it again")]
    public static partial void RunningAgain(ILogger logger, Exception exception, string jobId, int attempts, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed in run {Attempts}; marked failed")]
    public static partial void Failed(ILogger logger, Exception exception, string jobId, int attempts);
}
