using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Tests.Storage;

namespace Matchmaker.Core.Tests.Matching;

/// <summary>A real store with the sample expo and its past events, and the scoring services over it.</summary>
public sealed class SampleStore : IAsyncLifetime
{
    public TestDatabase Db { get; } = new();
    public Database Database => Db.Database;
    public TimeProvider Clock { get; } = TimeProvider.System;
    public JobStore Jobs { get; private set; } = null!;
    public WeightProfileStore Profiles { get; private set; } = null!;
    public ScoreStore Scores { get; private set; } = null!;
    public RescoringService Rescoring { get; private set; } = null!;
    public long Busan2026 { get; private set; }

    public static string SamplesFolder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Matchmaker.sln"))) return Path.Combine(dir.FullName, "data", "samples");
            throw new DirectoryNotFoundException("repository root not found");
        }
    }

    public async Task InitializeAsync()
    {
        await Database.MigrateAsync();
        var pipelines = TransientFaults.CreateRegistry(Clock);
        Jobs = new JobStore(Database, Clock);
        var importer = new ParticipantImporter(Database, Jobs, new ParticipantWriter(Clock), pipelines);
        await new SampleExpoLoader(Database, new EventStore(Database, Clock, TransientFaults.CreateRegistry(Clock)), importer, Clock).LoadAsync(SamplesFolder);
        Profiles = new WeightProfileStore(Database, Clock);
        Scores = new ScoreStore(Database);
        var training = new RecommenderTraining(Database, Jobs, new RecommenderTrainingOptions(), pipelines, Clock);
        Rescoring = new RescoringService(Database, Jobs, Profiles, training, pipelines, Clock);
        Busan2026 = (await new EventStore(Database, Clock, TransientFaults.CreateRegistry(Clock)).FindAsync("busan-2026"))!.Value.Id;
    }

    public Task DisposeAsync()
    {
        Db.Dispose();
        return Task.CompletedTask;
    }
}
