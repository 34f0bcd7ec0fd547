using System.Data.Common;

namespace Matchmaker.Core.Storage;

/// <summary>
/// The store: the embedded SQLite file (the default) or a PostgreSQL database (<see cref="StoreOptions.Provider"/>).
/// Opens connections with the session settings every connection needs and applies migrations. One instance per database.
/// </summary>
public sealed class Database
{
    public Database(StoreOptions options, TimeProvider? clock = null)
    {
        Options = options;
        Dialect = StoreDialect.Create(options);
        Changes = new EventChanges(options.IsPostgres ? Dialect.ConnectionString : null, clock);
        DapperTypes.Register();
    }

    public StoreOptions Options { get; }

    /// <summary>What differs between the two stores.</summary>
    public StoreDialect Dialect { get; }

    public bool IsPostgres => Options.IsPostgres;

    /// <summary>Committed changes per event and of access, this process's and on PostgreSQL every process's (see <see cref="EventChanges"/>).</summary>
    public EventChanges Changes { get; }

    /// <summary>Full path of the SQLite file (on PostgreSQL, where it would be: the data folder still holds the token file
    /// and the outbox).</summary>
    public string FilePath => Options.DatabasePath;

    /// <summary>The data folder, for files kept beside the store whichever the store is.</summary>
    public string DataFolder => Path.GetFullPath(Options.DataFolder);

    /// <summary>Where the store is, for logs: the file, or the PostgreSQL host and database (never the password).</summary>
    public string Description
    {
        get
        {
            if (!IsPostgres) return FilePath;
            var server = new Npgsql.NpgsqlConnectionStringBuilder(Options.ConnectionString);
            return $"PostgreSQL {server.Host}:{server.Port}/{server.Database}";
        }
    }

    /// <summary>The connection string (also used by Quartz's job store, which keeps its tables in the same database).</summary>
    public string ConnectionString => Dialect.ConnectionString;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => Dialect.OpenAsync(cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> under the lock the migrations take, so that schema another library creates for itself in
    /// this database (Quartz's tables) is created by one process while others starting at the same moment wait.
    /// </summary>
    public async Task<T> UnderSchemaLockAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var locked = await Dialect.LockSchemaAsync(connection, cancellationToken);
        return await work();
    }

    /// <summary>
    /// Held while a process prepares the store at start: migrations, the first administrator token, the sample load and
    /// its first scoring. On PostgreSQL several API processes may start together on an empty database; under this
    /// advisory lock the first does all of it and the others then find it done (one administrator token, one copy of the
    /// samples). SQLite: nothing to hold.
    /// </summary>
    public Task<IAsyncDisposable> LockStartupAsync(CancellationToken cancellationToken = default) => Dialect.LockStartupAsync(cancellationToken);

    /// <summary>Applies the migrations this database has not seen yet; see <see cref="Migrations"/>.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Migrations.ApplyAsync(connection, cancellationToken);
    }
}
