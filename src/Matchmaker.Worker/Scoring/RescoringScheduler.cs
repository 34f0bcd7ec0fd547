using Dapper;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Storage;
using Matchmaker.Worker.Jobs;
using Quartz;

namespace Matchmaker.Worker.Scoring;

/// <summary>
/// Asks for an event's rescoring. Every request (re)schedules the event's one trigger a debounce interval ahead and
/// returns the id of the queued job that will do the work (the same id while a request is still waiting).
/// </summary>
public sealed class RescoringScheduler(ISchedulerFactory schedulerFactory, JobStore jobs, Database database, ScoringOptions options, TimeProvider clock)
{
    public static JobKey JobKeyFor(long eventDbId) => new($"event-{eventDbId}", "rescoring");

    public Task<string> RequestAsync(long eventDbId, CancellationToken cancellationToken = default) =>
        RequestAsync(eventDbId, TimeSpan.FromSeconds(options.DebounceSeconds), cancellationToken);

    public async Task<string> RequestAsync(long eventDbId, TimeSpan delay, CancellationToken cancellationToken)
    {
        string? jobId;
        await using (var connection = await database.OpenAsync(cancellationToken))
            jobId = await connection.ExecuteScalarAsync<string?>("""
                SELECT id FROM jobs WHERE event_id = @eventDbId AND kind = @JobKind AND state = 'queued'
                ORDER BY created_at DESC, id DESC LIMIT 1
                """, new { eventDbId, RescoringService.JobKind });
        jobId ??= await jobs.CreateAsync(RescoringService.JobKind, eventDbId, null, cancellationToken);

        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var jobKey = JobKeyFor(eventDbId);
        var triggerKey = new TriggerKey(jobKey.Name, jobKey.Group);
        var trigger = TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(jobKey)
            .UsingJobData(BackgroundWork.JobIdKey, jobId)
            .StartAt(clock.GetUtcNow() + delay)
            .Build();
        try
        {
            if (!await scheduler.Exists(jobKey, cancellationToken))
            {
                var job = JobBuilder.Create<RescoreJob>().WithIdentity(jobKey).StoreDurably().RequestRecovery().Build();
                await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
            }
            else if (await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken) is null)
                await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another request created the job or the trigger between our check and our write: move its trigger instead.
            await scheduler.RescheduleJob(triggerKey, trigger, cancellationToken);
        }
        return jobId;
    }

    /// <summary>After an import job: a successful import of demands or SMEs (or buyers) changes what the event's
    /// scores are made of, so its rescoring is requested (debounced).</summary>
    public async Task RequestAfterImportAsync(string importJobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(importJobId, cancellationToken);
        if (job is not { State: JobState.Succeeded }) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventDbId = await connection.ExecuteScalarAsync<long?>("SELECT event_id FROM jobs WHERE id = @importJobId", new { importJobId });
        if (eventDbId is not null) await RequestAsync(eventDbId.Value, cancellationToken);
    }

    /// <summary>Requests a rescoring of every event that has scores (after the recommender was retrained).</summary>
    public async Task RequestScoredEventsAsync(CancellationToken cancellationToken)
    {
        List<long> events;
        await using (var connection = await database.OpenAsync(cancellationToken))
            events = (await connection.QueryAsync<long>("SELECT event_id FROM score_runs ORDER BY event_id")).ToList();
        foreach (var eventDbId in events) await RequestAsync(eventDbId, cancellationToken);
    }
}
