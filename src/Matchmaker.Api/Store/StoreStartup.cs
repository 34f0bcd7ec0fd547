using Matchmaker.Core.Storage;

namespace Matchmaker.Api.Store;

/// <summary>Brings the store up to date before the app serves requests.</summary>
public static class StoreStartup
{
    public static async Task InitialiseStoreAsync(this WebApplication app)
    {
        var database = app.Services.GetRequiredService<Database>();
        var applied = await database.MigrateAsync();
        app.Logger.LogInformation("Store {Path} at schema version {Version} ({Applied} migrations applied)",
            database.FilePath, Migrations.Latest, applied);
    }
}
