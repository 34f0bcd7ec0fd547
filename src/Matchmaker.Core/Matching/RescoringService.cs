using Matchmaker.Core.Messages;
using System.Diagnostics;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Reference;
using Matchmaker.Core.Storage;
using System.Data.Common;
using Polly.Registry;

namespace Matchmaker.Core.Matching;

/// <summary>What a rescoring run did.</summary>
public sealed record RescoringReport(string EventId, long ProfileId, string Profile, int ProfileVersion, long? ModelId, int Smes, int Buyers,
    int Demands, int Pairs, int ColdStartPairs, double ReadMilliseconds, double FeatureMilliseconds, double ScoreMilliseconds, double WriteMilliseconds,
    long? PairModelId = null, int LearnedPairs = 0);

/// <summary>
/// Rescores one event: reads participants, earlier events' interactions and the newest recommender model, computes
/// every SME × buyer score under the event's active profile (pure, in memory), and replaces the event's scores in one
/// transaction together with the job's outcome. Idempotent, so a run interrupted by a crash simply runs again.
/// </summary>
public sealed class RescoringService(Database database, JobStore jobs, WeightProfileStore profiles, RecommenderTraining training,
    ResiliencePipelineProvider<string> pipelines, TimeProvider clock)
{
    public const string JobKind = "rescoring";

    public async Task<RescoringReport> RescoreAsync(long eventDbId, string? jobId = null, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var profile = await profiles.ActiveAsync(eventDbId, cancellationToken);
        ScoringInput input;
        long? modelId;
        (long Id, LearnedPairModel Model)? learned = null;
        string eventId;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            eventId = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SELECT event_id FROM events WHERE id = @eventDbId", new { eventDbId })
                ?? throw new InvalidOperationException($"no event with id {eventDbId}");
            var earlier = await ScoringData.EarlierEventsAsync(connection, eventDbId);
            var history = (await ScoringData.InteractionsAsync(connection, earlier)).Select(i => i.Interaction).ToList();
            var latest = await RecommenderTraining.LatestAsync(connection);
            // The first scoring on a store trains the recommender; later ones use the newest model (nightly or on demand).
            if (latest is null && await training.TrainAsync(cancellationToken) is not null)
                latest = await RecommenderTraining.LatestAsync(connection);
            modelId = latest?.Id;
            if (profile.Weights.ColdStart == ColdStartScorer.Learned)
            {
                // The profile asks for the learned model on cold pairs: train one now if the retraining job has not yet.
                learned = await RecommenderTraining.LatestPairModelAsync(connection);
                if (learned is null && await training.TrainAsync(cancellationToken, withPairModel: true) is not null)
                {
                    learned = await RecommenderTraining.LatestPairModelAsync(connection);
                    latest = await RecommenderTraining.LatestAsync(connection);
                    modelId = latest?.Id;
                }
            }
            input = await ScoringData.LoadAsync(connection, eventDbId, history, latest?.Model);
        }
        var read = watch.Elapsed.TotalMilliseconds;
        if (jobId is not null) await jobs.ReportProgressAsync(jobId, 0.3, JobMessages.Encode(new Message("job.scoring", input.Smes.Count, input.Demands.Count)), cancellationToken);
        watch.Restart();
        var features = EventFeatures.Compute(input, profile.Weights, KsicCatalog.Default, threads: 2);
        var featured = watch.Elapsed.TotalMilliseconds;
        var pairs = features.Score(profile.Weights, learned: learned?.Model);
        var scored = watch.Elapsed.TotalMilliseconds - featured;
        if (jobId is not null) await jobs.ReportProgressAsync(jobId, 0.7, JobMessages.Encode(new Message("job.writing_scores", pairs.Count)), cancellationToken);
        watch.Restart();
        var report = new RescoringReport(eventId, profile.Id, profile.Name, profile.Version, modelId, input.Smes.Count, input.Buyers.Count,
            input.Demands.Count, pairs.Count, pairs.Count(p => double.IsNaN(p.Values[(int)MatchComponent.Collaborative])), read, featured, scored, 0,
            learned?.Id, pairs.Count(p => p.LearnedParts is not null));
        await pipelines.GetPipeline(TransientFaults.StoreJobWrite).ExecuteAsync(async ct =>
        {
            await using var connection = await database.OpenAsync(ct);
            // A score set can always be computed again, so its commit need not wait for the disk (WAL keeps it atomic;
            // a power cut loses at most this run, whose job then stays 'running' and is run again). The connection
            // goes back to the pool afterwards, so the store's setting is restored for the next user.
            await using (await database.Dialect.RelaxDurabilityAsync(connection))
            {
                // Replaced whole, nothing checked first, so READ COMMITTED is enough (see BeginReadCommittedWriteAsync).
                await using var transaction = await connection.BeginReadCommittedWriteAsync(ct);
                await ScoreStore.ReplaceAsync(connection, transaction, eventDbId, profile.Id, modelId, jobId, pairs, clock.GetUtcNow(), learned?.Id);
                if (jobId is not null)
                    await jobs.FinishAsync(connection, transaction, jobId, true,
                        JobMessages.Encode(new Message("job.scored", pairs.Count, profile.Name, profile.Version)), report with { WriteMilliseconds = watch.Elapsed.TotalMilliseconds });
                await database.Changes.AnnounceWithinAsync(connection, transaction, eventDbId);
                await transaction.CommitAsync(ct);
                database.Changes.Committed(eventDbId);
            }
        }, cancellationToken);
        return report with { WriteMilliseconds = watch.Elapsed.TotalMilliseconds };
    }

    /// <summary>Runs a rescoring job recorded in the jobs table; a job found 'running' was interrupted and runs again.</summary>
    public async Task RunJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.State is JobState.Succeeded or JobState.Failed) return;
        var eventDbId = await EventOfJobAsync(jobId, cancellationToken);
        if (eventDbId is null)
        {
            await jobs.FinishAsync(jobId, false, JobMessages.Encode(new Message("job.event_gone")), null, cancellationToken);
            return;
        }
        await jobs.StartAsync(jobId, cancellationToken);
        try
        {
            await RescoreAsync(eventDbId.Value, jobId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await jobs.FinishAsync(jobId, false, JobMessages.Encode(new Message("job.rescoring_failed", e.Message)), null, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The event's rescoring job that is running (interrupted) or queued, or a new one when there is none.</summary>
    public async Task<string> UnfinishedJobAsync(long eventDbId, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var jobId = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection, """
                SELECT id FROM jobs WHERE event_id = @eventDbId AND kind = @JobKind AND state IN ('running', 'queued')
                ORDER BY state = 'running' DESC, created_at, id LIMIT 1
                """, new { eventDbId, JobKind });
            if (jobId is not null) return jobId;
        }
        return await jobs.CreateAsync(JobKind, eventDbId, null, cancellationToken);
    }

    async Task<long?> EventOfJobAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT event_id FROM jobs WHERE id = @jobId", new { jobId });
    }
}
