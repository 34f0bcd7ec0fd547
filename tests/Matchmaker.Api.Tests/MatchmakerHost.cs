using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests;

/// <summary>
/// The real API host over HTTP, with the worker in-process, on its own SQLite file in a fresh temporary folder.
/// By default the store starts empty; pass <c>loadSamples: true</c> to get the sample expo as on a first start.
/// </summary>
public sealed class MatchmakerHost : WebApplicationFactory<Program>
{
    readonly bool _loadSamples;

    public MatchmakerHost(bool loadSamples = false, string? dataFolder = null)
    {
        _loadSamples = loadSamples;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataFolder { get; }

    public string DatabasePath => Path.Combine(DataFolder, "matchmaker.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Matchmaker:Store:DataFolder", DataFolder);
        builder.UseSetting("Matchmaker:Samples:LoadOnEmptyStore", _loadSamples ? "true" : "false");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
