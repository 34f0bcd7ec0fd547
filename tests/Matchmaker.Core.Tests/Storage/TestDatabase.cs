using Matchmaker.Core.Storage;
using Matchmaker.Tests.Postgres;

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

/// <summary>
/// A fresh, empty store of either provider: a SQLite file in a temporary folder, or a new database in the test run's
/// PostgreSQL cluster (<see cref="PostgresCluster"/>). Tests that hold for both stores take the provider as data.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    readonly TestDatabase? _sqlite;
    readonly TestPostgresDatabase? _postgres;

    TestStore(TestDatabase? sqlite, TestPostgresDatabase? postgres, Database database)
    {
        _sqlite = sqlite;
        _postgres = postgres;
        Database = database;
    }

    public Database Database { get; }

    public bool IsPostgres => _postgres is not null;

    /// <summary>Both providers, as theory data.</summary>
    public static TheoryData<string> Providers => new() { StoreOptions.Sqlite, StoreOptions.Postgres };

    public static async Task<TestStore> CreateAsync(string provider)
    {
        if (provider == StoreOptions.Sqlite)
        {
            var sqlite = new TestDatabase();
            return new TestStore(sqlite, null, sqlite.Database);
        }
        var postgres = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-tests", Guid.NewGuid().ToString("N"));
        return new TestStore(null, postgres, new Database(new StoreOptions
        {
            Provider = StoreOptions.Postgres, ConnectionString = postgres.ConnectionString, DataFolder = folder,
        }));
    }

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
