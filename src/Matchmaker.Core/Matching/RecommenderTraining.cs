using Matchmaker.Core.Messages;
using Dapper;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Recommendations;
using Matchmaker.Core.Storage;
using System.Data.Common;
using Polly.Registry;

namespace Matchmaker.Core.Matching;

/// <summary>How the match scorer's recommender is trained (section <c>Matchmaker:Recommender</c>).</summary>
public sealed record RecommenderTrainingOptions
{
    /// <summary>
    /// Implicit ALS for expo data: a few thousand pairs a year, so a small rank (16) and a moderate λ (5); the
    /// project-wide defaults (64, λ 20) were tuned on a retail data set 100× larger and flatten these rows to popularity.
    /// </summary>
    public ImplicitAlsOptions Als { get; init; } = new() { Factors = 16, Iterations = 15, Lambda = 5f, Alpha = 2f, Seed = 2026 };

    /// <summary>How strongly each interaction kind counts (the domain ladder).</summary>
    public InteractionSignalWeights Signals { get; init; } = new();

    /// <summary>Nightly retraining, as a Quartz cron expression in <see cref="TimeZone"/> (default 03:00).</summary>
    public string Schedule { get; init; } = "0 0 3 * * ?";

    public string TimeZone { get; init; } = "Asia/Seoul";

    /// <summary>The learned pair model for cold SMEs and buyers, retrained with the recommender.</summary>
    public PairModelOptions PairModel { get; init; } = new();

    /// <summary>Train from interactions and return the model, or null when there is nothing to learn from.</summary>
    public MfModel? Train(IEnumerable<(PastInteraction Interaction, DateTimeOffset At)> interactions, TimeProvider clock)
    {
        var signals = interactions.Select(i => ScoringData.ToSignal(i.Interaction, i.At)).OfType<Interaction>().ToList();
        if (signals.Count == 0) return null;
        var ratings = Signals.ToRatingSet(signals);
        return ratings.Count == 0 ? null : ImplicitAlsTrainer.Train(ratings, Als, clock);
    }
}

/// <summary>What a training run produced.</summary>
public sealed record TrainedModel(long Id, string Fingerprint, int Ratings, int Smes, int Buyers, double TrainSeconds, DateTimeOffset TrainedAt,
    TrainedPairModel? PairModel = null);

/// <summary>The learned pair model a training run produced beside the recommender.</summary>
public sealed record TrainedPairModel(long Id, string Algorithm, string Fingerprint, int Rows, int Positives, double TrainSeconds);

/// <summary>Trains the recommender on every event's interactions and keeps the models (table recommender_models), and
/// beside it the learned pair model (table pair_models), both written in one transaction. One training runs at a time,
/// across every process on the store (<see cref="JobStore.RunExclusiveAsync"/>): a training asked for waits for the one
/// running, the nightly one skips.</summary>
public sealed class RecommenderTraining(Database database, JobStore jobs, RecommenderTrainingOptions options,
    ResiliencePipelineProvider<string> pipelines, TimeProvider clock)
{
    public const string JobKind = "recommender-training";

    /// <summary>Trains the recommender (and, with <paramref name="withPairModel"/>, the learned pair model) and saves them,
    /// after any training running elsewhere has ended.</summary>
    public async Task<TrainedModel?> TrainAsync(CancellationToken cancellationToken = default, bool withPairModel = false)
    {
        TrainedModel? trained = null;
        await jobs.RunExclusiveAsync(JobKind, wait: true, async () => trained = await TrainNowAsync(withPairModel, cancellationToken), () => { },
            cancellationToken);
        return trained;
    }

    async Task<TrainedModel?> TrainNowAsync(bool withPairModel, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var (model, ratings) = await TrainModelAsync(connection);
        if (model is null) return null;
        var pairModel = withPairModel ? await TrainPairModelAsync(connection) : null;
        return await pipelines.GetPipeline(TransientFaults.StoreJobWrite).ExecuteAsync(async ct =>
        {
            await using var write = await database.OpenAsync(ct);
            await using var transaction = await write.BeginWriteAsync(ct);
            var saved = await SaveAsync(write, transaction, model, ratings, pairModel);
            await transaction.CommitAsync(ct);
            return saved;
        }, cancellationToken);
    }

    async Task<(MfModel? Model, int Ratings)> TrainModelAsync(DbConnection connection)
    {
        var events = (await ScoringData.EventsInOrderAsync(connection)).Select(e => e.Id).ToList();
        var interactions = await ScoringData.InteractionsAsync(connection, events);
        var model = options.Train(interactions, clock);
        return (model, interactions.Count);
    }

    /// <summary>The learned pair model from every event's outcomes, or null when no event has a positive outcome yet.</summary>
    async Task<LearnedPairModel?> TrainPairModelAsync(DbConnection connection)
    {
        var events = (await ScoringData.EventsInOrderAsync(connection)).Select(e => e.Id).ToList();
        var (rows, fingerprint) = await PairTrainingData.FromEventsAsync(connection, events, ScoringWeights.Default, options.PairModel);
        return rows.Count == 0 ? null : LearnedPairModel.Train(rows, options.PairModel, options.PairModel.Trainer, clock, fingerprint);
    }

    async Task<TrainedModel> SaveAsync(DbConnection connection, DbTransaction transaction, MfModel model, int interactions,
        LearnedPairModel? pairModel)
    {
        TrainedPairModel? savedPair = null;
        if (pairModel is not null)
        {
            using var bytes = new MemoryStream();
            pairModel.Save(bytes);
            var pairId = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO pair_models (algorithm, format_version, seed, fingerprint, rows, positives, trained_at, train_seconds, model)
                VALUES (@Algorithm, @FormatVersion, @seed, @DataFingerprint, @Rows, @Positives, @TrainedAt, @TrainSeconds, @blob)
                RETURNING id
                """, new { pairModel.Info.Algorithm, LearnedPairModel.FormatVersion, seed = unchecked((long)pairModel.Seed), pairModel.Info.DataFingerprint,
                    pairModel.Info.Rows, pairModel.Info.Positives, pairModel.Info.TrainedAt, pairModel.Info.TrainSeconds, blob = bytes.ToArray() }, transaction);
            await connection.ExecuteAsync("""
                DELETE FROM pair_models
                WHERE id < @pairId - 4 AND id NOT IN (SELECT pair_model_id FROM score_runs WHERE pair_model_id IS NOT NULL)
                """, new { pairId }, transaction);
            savedPair = new TrainedPairModel(pairId, pairModel.Algorithm, pairModel.Info.DataFingerprint, pairModel.Info.Rows, pairModel.Info.Positives,
                pairModel.Info.TrainSeconds);
        }
        using var blob = new MemoryStream();
        model.Save(blob);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO recommender_models (algorithm, fingerprint, ratings, users, items, trained_at, train_seconds, model)
            VALUES (@Algorithm, @DataFingerprint, @ratings, @users, @items, @TrainedAt, @TrainSeconds, @blob)
            RETURNING id
            """, new { model.Info.Algorithm, model.Info.DataFingerprint, ratings = interactions, users = model.Users.Count, items = model.Items.Count,
                model.Info.TrainedAt, model.Info.TrainSeconds, blob = blob.ToArray() }, transaction);
        // Keep the last few models only: older ones explain nothing the score runs still point to.
        await connection.ExecuteAsync("""
            DELETE FROM recommender_models
            WHERE id < @id - 4 AND id NOT IN (SELECT model_id FROM score_runs WHERE model_id IS NOT NULL)
            """, new { id }, transaction);
        return new TrainedModel(id, model.Info.DataFingerprint, interactions, model.Users.Count, model.Items.Count, model.Info.TrainSeconds, model.Info.TrainedAt,
            savedPair);
    }

    /// <summary>The newest stored learned pair model, or null when none was trained yet.</summary>
    public static async Task<(long Id, LearnedPairModel Model)?> LatestPairModelAsync(DbConnection connection)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, byte[] Model)?>(
            "SELECT id, model FROM pair_models ORDER BY id DESC LIMIT 1");
        if (row is not { } r) return null;
        using var stream = new MemoryStream(r.Model);
        return (r.Id, LearnedPairModel.Load(stream));
    }

    /// <summary>The newest stored model, or null when none was trained yet.</summary>
    public static async Task<(long Id, MfModel Model)?> LatestAsync(DbConnection connection)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, byte[] Model)?>(
            "SELECT id, model FROM recommender_models ORDER BY id DESC LIMIT 1");
        if (row is not { } r) return null;
        using var stream = new MemoryStream(r.Model);
        return (r.Id, MfModel.Load(stream));
    }

    /// <summary>
    /// Runs a training job the API recorded (an administrator's "retrain now"). While another training runs (the nightly
    /// one, another request, in this process or another) it waits, <paramref name="waiting"/> is told, and then it trains:
    /// what was asked for is a model from the interactions as they are now, which the running one may have read before.
    /// </summary>
    public Task RunJobAsync(string jobId, CancellationToken cancellationToken, Action? waiting = null) =>
        jobs.RunExclusiveAsync(JobKind, wait: true, () => TrainJobAsync(jobId, cancellationToken), waiting ?? (() => { }), cancellationToken);

    /// <summary>
    /// The nightly retraining: records a training job and runs it, and returns its id; or, when another training is running
    /// (the same nightly run started again by a worker that took the running one's worker for dead while it was only
    /// frozen, or a training asked for a moment before), records and writes nothing and returns null. That one reads the
    /// same interactions (nothing much changes at night), so a second would only write the same model twice.
    /// </summary>
    public async Task<string?> RunNightlyAsync(CancellationToken cancellationToken)
    {
        string? jobId = null;
        await jobs.RunExclusiveAsync(JobKind, wait: false, async () =>
        {
            jobId = await jobs.CreateAsync(JobKind, null, null, cancellationToken);
            try
            {
                await TrainJobAsync(jobId, cancellationToken);
            }
            catch when (!cancellationToken.IsCancellationRequested)
            {
                // No one runs this job again (the next night records its own): it must not stay "running".
                await jobs.FailUnfinishedAsync(jobId, JobMessages.Encode(new Message("job.failed_unexpectedly")), CancellationToken.None);
                throw;
            }
        }, () => { }, cancellationToken);
        return jobId;
    }

    async Task TrainJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.State is JobState.Succeeded or JobState.Failed) return;
        await jobs.StartAsync(jobId, cancellationToken);
        await jobs.ReportProgressAsync(jobId, 0.1, JobMessages.Encode(new Message("job.training_reading")), cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var (model, ratings) = await TrainModelAsync(connection);
        await jobs.ReportProgressAsync(jobId, 0.4, JobMessages.Encode(new Message("job.training")), cancellationToken);
        var pairModel = model is null ? null : await TrainPairModelAsync(connection);
        await jobs.ReportProgressAsync(jobId, 0.8, JobMessages.Encode(new Message("job.training_saving")), cancellationToken);
        await pipelines.GetPipeline(TransientFaults.StoreJobWrite).ExecuteAsync(async ct =>
        {
            await using var write = await database.OpenAsync(ct);
            await using var transaction = await write.BeginWriteAsync(ct);
            if (model is null)
                await jobs.FinishAsync(write, transaction, jobId, true, JobMessages.Encode(new Message("job.training_nothing")), null);
            else
            {
                var saved = await SaveAsync(write, transaction, model, ratings, pairModel);
                var seconds = saved.TrainSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
                await jobs.FinishAsync(write, transaction, jobId, true, JobMessages.Encode(saved.PairModel is { } p
                    ? new Message("job.trained_with_pairs", saved.Id, saved.Smes, saved.Buyers, saved.Ratings, seconds,
                        p.Id, p.Algorithm, p.Rows, p.TrainSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))
                    : new Message("job.trained", saved.Id, saved.Smes, saved.Buyers, saved.Ratings, seconds)), saved);
            }
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }
}
