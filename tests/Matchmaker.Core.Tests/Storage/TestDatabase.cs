using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Tests.Storage;

/// <summary>A real SQLite file in a fresh temporary folder, deleted afterwards.</summary>
public sealed class TestDatabase : IDisposable
{
    public TestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "matchmaker-tests", Guid.NewGuid().ToString("N"));
        Options = new StoreOptions { DataFolder = Folder };
        Database = new Database(Options);
    }

    public string Folder { get; }
    public StoreOptions Options { get; }
    public Database Database { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
