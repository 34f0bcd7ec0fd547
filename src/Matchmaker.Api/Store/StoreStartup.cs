using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;

namespace Matchmaker.Api.Store;

/// <summary>Brings the store up to date before the app serves requests, and loads the sample expo on a first start.</summary>
public static class StoreStartup
{
    public static async Task InitialiseStoreAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<Database>();
        var applied = await database.MigrateAsync();
        app.Logger.LogInformation("Store {Path} at schema version {Version} ({Applied} migrations applied)",
            database.FilePath, Migrations.Latest, applied);
        var samples = app.Configuration.GetSection("Matchmaker:Samples").Get<SampleOptions>() ?? new SampleOptions();
        if (!samples.LoadOnEmptyStore) return;
        foreach (var loaded in await app.Services.GetRequiredService<SampleExpoLoader>().LoadIfEmptyAsync(samples))
            app.Logger.LogInformation("Loaded sample event {EventId}: {Buyers} buyers, {Demands} demands, {Smes} SMEs, {Requests} requests, {Meetings} meetings",
                loaded.EventId, loaded.Buyers, loaded.Demands, loaded.Smes, loaded.Requests, loaded.Meetings);
    }
}
