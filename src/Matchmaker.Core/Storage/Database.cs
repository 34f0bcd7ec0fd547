using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Core.Storage;

/// <summary>
/// The embedded SQLite store: opens connections with the pragmas every connection needs (foreign keys, busy timeout)
/// and applies migrations. One instance per database file.
/// </summary>
public sealed class Database
{
    readonly string _connectionString;
    readonly int _busyTimeoutMilliseconds;

    public Database(StoreOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        FilePath = options.DatabasePath;
        _busyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
        }.ToString();
        DapperTypes.Register();
    }

    /// <summary>Changes committed through this process, per event (see <see cref="EventChanges"/>).</summary>
    public EventChanges Changes { get; } = new();

    /// <summary>Full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>The connection string (also used by Quartz's job store, which keeps its tables in the same file).</summary>
    public string ConnectionString => _connectionString;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;");
        return connection;
    }

    /// <summary>Applies the migrations this database has not seen yet; see <see cref="Migrations"/>.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Migrations.ApplyAsync(connection, cancellationToken);
    }
}
