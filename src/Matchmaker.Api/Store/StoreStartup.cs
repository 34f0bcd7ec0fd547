using Matchmaker.Api.Access;
using Matchmaker.Core.Access;
using Matchmaker.Core.Events;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;

namespace Matchmaker.Api.Store;

/// <summary>Brings the store up to date before the app serves requests, and loads the sample expo on a first start.</summary>
public static class StoreStartup
{
    public static async Task InitialiseStoreAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<Database>();
        await using var startup = await database.LockStartupAsync();
        var applied = await database.MigrateAsync();
        app.Logger.LogInformation("Store {Path} at schema version {Version} ({Applied} migrations applied)",
            database.Description, Migrations.Latest, applied);
        var configured = app.Services.GetRequiredService<AccessOptions>().OrganiserToken;
        var organiser = await app.Services.GetRequiredService<AccessTokens>().EnsureAdministratorAsync(configured);
        if (organiser is not null && configured is null)
        {
            // Shown once: the store keeps only its hash. The administrator creates organisers and grants them events with it.
            Directory.CreateDirectory(database.DataFolder);
            var file = Path.Combine(database.DataFolder, "organiser-token.txt");
            await File.WriteAllTextAsync(file, organiser.Token + "\n");
            app.Logger.LogWarning("First start: administrator token written to {File}", file);
        }
        var samples = app.Services.GetRequiredService<SampleOptions>();
        if (!samples.LoadOnEmptyStore) return;
        var loadedEvents = await app.Services.GetRequiredService<SampleExpoLoader>().LoadIfEmptyAsync(samples);
        foreach (var loaded in loadedEvents)
            app.Logger.LogInformation("Loaded sample event {EventId}: {Buyers} buyers, {Demands} demands, {Smes} SMEs, {Requests} requests, {Meetings} meetings",
                loaded.EventId, loaded.Buyers, loaded.Demands, loaded.Smes, loaded.Requests, loaded.Meetings);
        if (loadedEvents.Count == 0) return;

        // So that the first start shows matches at once: learn from the past events, then score every sample event.
        var model = await app.Services.GetRequiredService<RecommenderTraining>().TrainAsync();
        var events = app.Services.GetRequiredService<EventStore>();
        foreach (var loaded in loadedEvents)
        {
            var eventDbId = (await events.FindAsync(loaded.EventId))!.Value.Id;
            var report = await app.Services.GetRequiredService<RescoringService>().RescoreAsync(eventDbId);
            app.Logger.LogInformation("Scored {EventId}: {Pairs} pairs with profile {Profile} (recommender model {Model})",
                loaded.EventId, report.Pairs, report.Profile, model?.Id);
        }
    }
}
