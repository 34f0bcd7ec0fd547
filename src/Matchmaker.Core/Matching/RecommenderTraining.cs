using Dapper;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Recommendations;
using Matchmaker.Core.Storage;
using Microsoft.Data.Sqlite;
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
public sealed record TrainedModel(long Id, string Fingerprint, int Ratings, int Smes, int Buyers, double TrainSeconds, DateTimeOffset TrainedAt);

/// <summary>Trains the recommender on every event's interactions and keeps the models (table recommender_models).</summary>
public sealed class RecommenderTraining(Database database, JobStore jobs, RecommenderTrainingOptions options,
    ResiliencePipelineProvider<string> pipelines, TimeProvider clock)
{
    public const string JobKind = "recommender-training";

    public async Task<TrainedModel?> TrainAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var (model, ratings) = await TrainModelAsync(connection);
        if (model is null) return null;
        return await pipelines.GetPipeline(TransientFaults.SqliteWrite).ExecuteAsync(async ct =>
        {
            await using var write = await database.OpenAsync(ct);
            await using var transaction = (SqliteTransaction)await write.BeginTransactionAsync(ct);
            var saved = await SaveAsync(write, transaction, model, ratings);
            await transaction.CommitAsync(ct);
            return saved;
        }, cancellationToken);
    }

    async Task<(MfModel? Model, int Ratings)> TrainModelAsync(SqliteConnection connection)
    {
        var events = (await ScoringData.EventsInOrderAsync(connection)).Select(e => e.Id).ToList();
        var interactions = await ScoringData.InteractionsAsync(connection, events);
        var model = options.Train(interactions, clock);
        return (model, interactions.Count);
    }

    async Task<TrainedModel> SaveAsync(SqliteConnection connection, SqliteTransaction transaction, MfModel model, int interactions)
    {
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
        return new TrainedModel(id, model.Info.DataFingerprint, interactions, model.Users.Count, model.Items.Count, model.Info.TrainSeconds, model.Info.TrainedAt);
    }

    /// <summary>The newest stored model, or null when none was trained yet.</summary>
    public static async Task<(long Id, MfModel Model)?> LatestAsync(SqliteConnection connection)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, byte[] Model)?>(
            "SELECT id, model FROM recommender_models ORDER BY id DESC LIMIT 1");
        if (row is not { } r) return null;
        using var stream = new MemoryStream(r.Model);
        return (r.Id, MfModel.Load(stream));
    }

    /// <summary>Runs a training job recorded in the jobs table (created by the API, or by the nightly schedule).</summary>
    public async Task RunJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.State is JobState.Succeeded or JobState.Failed) return;
        await jobs.StartAsync(jobId, cancellationToken);
        await jobs.ReportProgressAsync(jobId, 0.1, "reading the interactions of all events", cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        var (model, ratings) = await TrainModelAsync(connection);
        await jobs.ReportProgressAsync(jobId, 0.8, "saving the model", cancellationToken);
        await pipelines.GetPipeline(TransientFaults.SqliteWrite).ExecuteAsync(async ct =>
        {
            await using var write = await database.OpenAsync(ct);
            await using var transaction = (SqliteTransaction)await write.BeginTransactionAsync(ct);
            if (model is null)
                await jobs.FinishAsync(write, transaction, jobId, true, "no interactions yet: nothing to learn from, scores stay content-only", null);
            else
            {
                var saved = await SaveAsync(write, transaction, model, ratings);
                await jobs.FinishAsync(write, transaction, jobId, true,
                    $"model {saved.Id}: {saved.Smes} SMEs × {saved.Buyers} buyers from {saved.Ratings} interactions in {saved.TrainSeconds:0.00} s", saved);
            }
            await transaction.CommitAsync(ct);
        }, cancellationToken);
    }
}
