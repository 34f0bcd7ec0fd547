namespace Matchmaker.Core.Storage;

/// <summary>Which store and where it lives (section <c>Matchmaker:Store</c>).</summary>
public sealed record StoreOptions
{
    /// <summary>The embedded default: one SQLite file in <see cref="DataFolder"/>.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL server reached through <see cref="ConnectionString"/>, shared by several processes.</summary>
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the default) or <c>postgres</c>.</summary>
    public string Provider { get; init; } = Sqlite;

    /// <summary>
    /// Npgsql connection string of the PostgreSQL database (e.g. <c>Host=127.0.0.1;Port=5432;Database=matchmaker;Username=matchmaker;Password=…</c>);
    /// required with <c>postgres</c>, ignored with <c>sqlite</c>.
    /// </summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Folder of the database file (and, on either store, of the organiser token file and the mail outbox). Default: the
    /// user's local application data folder + <c>Matchmaker</c> (e.g. ~/.local/share/Matchmaker on Linux), never inside
    /// the repository.
    /// </summary>
    public string DataFolder { get; init; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "Matchmaker");

    /// <summary>File name of the database inside <see cref="DataFolder"/>.</summary>
    public string DatabaseFile { get; init; } = "matchmaker.db";

    /// <summary>How long a writer waits for another writer's lock before the store reports busy (SQLite's busy timeout,
    /// PostgreSQL's lock timeout). Too small: spurious busy errors under load; too large: a stuck writer stalls requests that long.</summary>
    public int BusyTimeoutMilliseconds { get; init; } = 5000;

    public const int DefaultWriteTimeoutSeconds = 60;

    /// <summary>
    /// How long a short write (a request, a decision, an organiser's edit) may take in all, its turn behind other writers
    /// and its retries included, before it is given up and the caller told the store is busy (the store-write pipeline).
    /// A background job's own transaction (an import, a draft, a score set) is not held to it. Too small: writes refused
    /// under ordinary load; too large: a caller waits that long on a stuck store.
    /// </summary>
    public int WriteTimeoutSeconds { get; init; } = DefaultWriteTimeoutSeconds;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataFolder, DatabaseFile));

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses a provider other than the two, and <c>postgres</c> without a connection string.</summary>
    public void Validate()
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
            throw new ArgumentException($"'{Provider}' is not a store provider: use '{Sqlite}' or '{Postgres}'", nameof(Provider));
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
            throw new ArgumentException("the postgres store needs Matchmaker:Store:ConnectionString", nameof(ConnectionString));
        if (BusyTimeoutMilliseconds < 0) throw new ArgumentOutOfRangeException(nameof(BusyTimeoutMilliseconds), "must not be negative");
        if (WriteTimeoutSeconds < 1) throw new ArgumentOutOfRangeException(nameof(WriteTimeoutSeconds), "must be at least 1");
    }
}
