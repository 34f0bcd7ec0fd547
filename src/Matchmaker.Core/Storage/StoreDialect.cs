using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Matchmaker.Core.Storage;

/// <summary>
/// The seam where SQLite and PostgreSQL differ: opening a connection with its session settings, where the schema version
/// is kept, and how a recomputable write may skip waiting for the disk (here); write and read transactions and list
/// parameters (<see cref="StoreConnections"/>); instants (<see cref="DapperTypes"/>: text on SQLite, <c>timestamptz</c> on
/// PostgreSQL); which errors are transient or constraint violations (<see cref="TransientFaults"/>). Everything else is
/// spelled alike on both (<c>ON CONFLICT</c> upserts, <c>RETURNING id</c>, <c>TRUE</c>/<c>FALSE</c>, <c>string_agg</c>),
/// so the SQL beside its caller is one text.
/// </summary>
public abstract class StoreDialect
{
    public abstract string Provider { get; }

    /// <summary>The connection string (Quartz's job store uses the same database).</summary>
    public abstract string ConnectionString { get; }

    /// <summary>The ordered schema scripts of this store, numbered as the other store's (a version means one schema).</summary>
    public abstract IReadOnlyList<Migrations.Script> Scripts { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract Task<int> CurrentVersionAsync(DbConnection connection);

    /// <summary>Run once before migrating: what the store needs set up to track versions, and for PostgreSQL a lock that
    /// makes processes starting together migrate one after the other.</summary>
    internal abstract Task<IAsyncDisposable> BeginMigratingAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The lock under which processes starting together change the schema one after the other (PostgreSQL's
    /// advisory lock of the migrations; SQLite's file has one process that changes it, so nothing to take).</summary>
    internal abstract Task<IAsyncDisposable> LockSchemaAsync(DbConnection connection, CancellationToken cancellationToken);

    internal abstract Task SetVersionAsync(DbConnection connection, DbTransaction transaction, Migrations.Script script);

    /// <summary>Held while a process prepares the store at start (see <see cref="Database.LockStartupAsync"/>); released
    /// when the handle is disposed.</summary>
    internal abstract Task<IAsyncDisposable> LockStartupAsync(CancellationToken cancellationToken);

    /// <summary>Held around one write transaction to an event (see <see cref="StoreWrites.WriteEventAsync{T}"/>): writers of
    /// one event take turns; released when the handle is disposed.</summary>
    public abstract Task<IAsyncDisposable> LockEventWritesAsync(DbConnection connection, long eventDbId, CancellationToken cancellationToken);

    /// <summary>Taken inside a participant's write transaction (see <see cref="StoreWrites.WriteEventRowsAsync{T}"/>): many
    /// such writes of one event go on at once, but none while an event-wide write holds <see cref="LockEventWritesAsync"/>;
    /// released at the commit.</summary>
    public abstract Task ShareEventWritesAsync(DbConnection connection, DbTransaction transaction, long eventDbId, CancellationToken cancellationToken);

    /// <summary>Lets one write (a score set that can always be computed again) commit without waiting for the disk; the
    /// returned handle restores the connection's setting.</summary>
    public abstract Task<IAsyncDisposable> RelaxDurabilityAsync(DbConnection connection);

    /// <summary>The dialect a connection speaks (static code receives connections, not the database).</summary>
    public static StoreDialect Of(DbConnection connection) => connection is NpgsqlConnection ? PostgresDialect.Shared : SqliteDialect.Shared;

    public static StoreDialect Create(StoreOptions options) =>
        options.IsPostgres ? new PostgresDialect(options) : new SqliteDialect(options);

    sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }

    /// <summary>One SQLite file in WAL mode, foreign keys on, version in <c>PRAGMA user_version</c>.</summary>
    sealed class SqliteDialect : StoreDialect
    {
        public static readonly SqliteDialect Shared = new(null);
        readonly string _connectionString = "";
        readonly int _busyTimeoutMilliseconds;

        public SqliteDialect(StoreOptions? options)
        {
            if (options is null) return;
            Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
            _busyTimeoutMilliseconds = options.BusyTimeoutMilliseconds;
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = options.DatabasePath,
                ForeignKeys = true,
                Pooling = true,
                DefaultTimeout = Math.Max(1, options.BusyTimeoutMilliseconds / 1000),
            }.ToString();
        }

        public override string Provider => StoreOptions.Sqlite;
        public override string ConnectionString => _connectionString;
        public override IReadOnlyList<Migrations.Script> Scripts => Migrations.All;

        public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync($"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;");
            return connection;
        }

        public override async Task<int> CurrentVersionAsync(DbConnection connection) =>
            await connection.ExecuteScalarAsync<int>("PRAGMA user_version;");

        internal override async Task<IAsyncDisposable> BeginMigratingAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            // WAL lets readers go on while a writer commits; it is a property of the file, so setting it once is enough.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
            return new Restore(() => Task.CompletedTask);
        }

        internal override Task<IAsyncDisposable> LockSchemaAsync(DbConnection connection, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable>(new Restore(() => Task.CompletedTask));

        internal override Task SetVersionAsync(DbConnection connection, DbTransaction transaction, Migrations.Script script) =>
            connection.ExecuteAsync($"PRAGMA user_version = {script.Version};", transaction: transaction);

        // One file is served by one API process; a standalone worker beside it only migrates (one script per IMMEDIATE
        // transaction), so there is nothing to hold.
        internal override Task<IAsyncDisposable> LockStartupAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable>(new Restore(() => Task.CompletedTask));

        // SQLite has one writer at a time already (IMMEDIATE transactions).
        public override Task<IAsyncDisposable> LockEventWritesAsync(DbConnection connection, long eventDbId, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable>(new Restore(() => Task.CompletedTask));

        public override Task ShareEventWritesAsync(DbConnection connection, DbTransaction transaction, long eventDbId, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public override async Task<IAsyncDisposable> RelaxDurabilityAsync(DbConnection connection)
        {
            var synchronous = await connection.ExecuteScalarAsync<long>("PRAGMA synchronous");
            await connection.ExecuteAsync("PRAGMA synchronous = NORMAL");
            return new Restore(() => connection.ExecuteAsync($"PRAGMA synchronous = {synchronous}"));
        }
    }

    /// <summary>
    /// A PostgreSQL database shared by several processes. Write transactions are SERIALIZABLE
    /// (<see cref="StoreConnections.BeginWriteAsync"/>), so that a check followed by a write holds as it does under SQLite's
    /// single writer, except participants' writes, which lock the rows they check under READ COMMITTED
    /// (<see cref="StoreWrites.WriteEventRowsAsync{T}"/>); serialization failures and deadlocks are retried by the
    /// store-write pipeline (<see cref="TransientFaults"/>). The version is the highest row of <c>schema_migrations</c>.
    /// </summary>
    sealed class PostgresDialect : StoreDialect
    {
        public static readonly PostgresDialect Shared = new(null);

        // Any number, the same in every process: the advisory lock under which one process at a time migrates.
        const long MigrationLock = 0x4D4D_0013;
        // Another number: the lock under which one API process at a time finishes preparing the store at start.
        const long StartupLock = 0x4D4D_0014;
        // The first half of the two-part key of an event's write lock (the event is the second half).
        const int EventWritesLock = 0x4D4D_0015;
        readonly string _connectionString = "";
        readonly int _writeTimeoutSeconds = StoreOptions.DefaultWriteTimeoutSeconds;

        public PostgresDialect(StoreOptions? options)
        {
            if (options is null) return;
            _writeTimeoutSeconds = options.WriteTimeoutSeconds;
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            // Session settings travel in the startup packet, so that no connection costs a round trip more.
            var settings = $"-c lock_timeout={options.BusyTimeoutMilliseconds}";
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? settings : $"{builder.Options} {settings}";
            // Statements run again and again (every request's checks) are prepared once per connection, which spares the
            // server parsing and planning them each time, unless the connection string says otherwise (a pooler in front
            // that cannot keep prepared statements: Max Auto Prepare=0).
            if (!new DbConnectionStringBuilder { ConnectionString = options.ConnectionString }.Keys.Cast<string>()
                    .Any(key => key.Replace(" ", "").Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
                builder.MaxAutoPrepare = 64;
            _connectionString = builder.ConnectionString;
        }

        public override string Provider => StoreOptions.Postgres;
        public override string ConnectionString => _connectionString;
        public override IReadOnlyList<Migrations.Script> Scripts => Migrations.Postgres;

        public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        public override async Task<int> CurrentVersionAsync(DbConnection connection) =>
            await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL")
                ? await connection.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
                : 0;

        internal override async Task<IAsyncDisposable> LockSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            // Waits as long as the other process takes: the connection's lock_timeout (meant for row locks) would otherwise
            // fail a process that starts while another migrates an empty database.
            await connection.ExecuteAsync(new CommandDefinition("SET lock_timeout = 0; SELECT pg_advisory_lock(@MigrationLock); RESET lock_timeout",
                new { MigrationLock }, commandTimeout: 0, cancellationToken: cancellationToken));
            return new Restore(() => connection.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLock)", new { MigrationLock }));
        }

        internal override async Task<IAsyncDisposable> BeginMigratingAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            var locked = await LockSchemaAsync(connection, cancellationToken);
            await connection.ExecuteAsync("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """);
            return locked;
        }

        internal override Task SetVersionAsync(DbConnection connection, DbTransaction transaction, Migrations.Script script) =>
            connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)",
                new { script.Version, script.Name }, transaction);

        internal override async Task<IAsyncDisposable> LockStartupAsync(CancellationToken cancellationToken)
        {
            // A session lock, so it lives on a connection of its own for as long as the start takes (migrations, which
            // take the migration lock on theirs, run inside it).
            var connection = await OpenAsync(cancellationToken);
            try
            {
                // As for migrations: no lock_timeout and no command timeout on this wait (a first start that loads and
                // scores the samples takes longer than either).
                await connection.ExecuteAsync(new CommandDefinition("SET lock_timeout = 0; SELECT pg_advisory_lock(@StartupLock)", new { StartupLock },
                    commandTimeout: 0, cancellationToken: cancellationToken));
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            return new Restore(async () =>
            {
                await using (connection) await connection.ExecuteAsync("SELECT pg_advisory_unlock(@StartupLock); RESET lock_timeout", new { StartupLock });
            });
        }

        public override async Task<IAsyncDisposable> LockEventWritesAsync(DbConnection connection, long eventDbId, CancellationToken cancellationToken)
        {
            // A session lock taken outside the transaction (see StoreWrites.WriteEventAsync), keyed by the event. The wait is
            // bounded like the store-write pipeline (WriteTimeoutSeconds, whose timeout cancels it; the command timeout is
            // the same bound should the cancellation not get through); a connection that breaks meanwhile ends its session
            // and its lock, and Npgsql's reset of a pooled connection releases it too.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@EventWritesLock, @eventKey)",
                EventKey(eventDbId), commandTimeout: _writeTimeoutSeconds, cancellationToken: cancellationToken));
            // Whether the write committed is the transaction's to say, not the unlock's.
            return new Restore(() => connection.ReleaseSessionLockAsync("SELECT pg_advisory_unlock(@EventWritesLock, @eventKey)", EventKey(eventDbId)));
        }

        static object EventKey(long eventDbId) => new { EventWritesLock, eventKey = unchecked((int)eventDbId) };

        public override async Task ShareEventWritesAsync(DbConnection connection, DbTransaction transaction, long eventDbId,
            CancellationToken cancellationToken) =>
            // The shared form of the event's lock, for this transaction only: under READ COMMITTED each statement sees what
            // was committed before it began, so waiting here (after BEGIN) leaves nothing stale.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock_shared(@EventWritesLock, @eventKey)",
                EventKey(eventDbId), transaction, commandTimeout: _writeTimeoutSeconds, cancellationToken: cancellationToken));

        public override async Task<IAsyncDisposable> RelaxDurabilityAsync(DbConnection connection)
        {
            // Only this session's commits skip the WAL flush; a crash loses at most them, never consistency.
            await connection.ExecuteAsync("SET synchronous_commit = off");
            return new Restore(() => connection.ExecuteAsync("RESET synchronous_commit"));
        }
    }
}

/// <summary>What code beside its SQL asks of a connection where the two stores differ: transactions and list parameters.</summary>
public static class StoreConnections
{
    /// <summary>
    /// Begins a transaction that writes. SQLite: IMMEDIATE (Microsoft.Data.Sqlite's default), one writer at a time, so a
    /// check followed by a write holds. PostgreSQL: SERIALIZABLE, which gives the same guarantee without a single writer and
    /// refuses with a serialization failure what would break it; run such a transaction through the store-write pipeline
    /// (<see cref="StoreWrites.WriteAsync{T}"/>), which runs it again. (Npgsql would otherwise begin READ COMMITTED.)
    /// </summary>
    public static async Task<DbTransaction> BeginWriteAsync(this DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection
            ? await connection.BeginTransactionAsync(cancellationToken)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);

    /// <summary>
    /// Begins a write transaction whose checks, if any, hold by the row locks it takes itself. SQLite: the same IMMEDIATE
    /// transaction as every write. PostgreSQL: READ COMMITTED. For a replacement of rows whole that reads nothing it depends
    /// on (an event's score set: as a SERIALIZABLE transaction its thousands of rows escalate to table-wide predicate locks
    /// that make it, and the participants' small writes beside it, fail again and again), and for a participant's write
    /// (<see cref="StoreWrites.WriteEventRowsAsync{T}"/>), which locks the rows it checks.
    /// </summary>
    public static async Task<DbTransaction> BeginReadCommittedWriteAsync(this DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection
            ? await connection.BeginTransactionAsync(cancellationToken)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);

    /// <summary>
    /// Begins a transaction for reading only. SQLite: a deferred transaction (it takes no write lock, so writers go on).
    /// PostgreSQL: REPEATABLE READ, one snapshot for every statement, which a reader never has to retry.
    /// </summary>
    public static async Task<DbTransaction> BeginReadAsync(this DbConnection connection, CancellationToken cancellationToken = default) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>
    /// The lock clause that a participant's write (<see cref="StoreWrites.WriteEventRowsAsync{T}"/>) puts after the SELECT of
    /// each row its checks depend on: PostgreSQL's <c>FOR NO KEY UPDATE</c> (writers of the same row wait for each other; the
    /// foreign-key checks of inserts that refer to it do not), optionally <c>OF</c> one alias of a join. Nothing on SQLite,
    /// whose write transactions already run one at a time.
    /// </summary>
    public static string ForUpdate(this DbConnection connection, string? of = null) =>
        connection is NpgsqlConnection ? (of is null ? " FOR NO KEY UPDATE" : $" FOR NO KEY UPDATE OF {of}") : "";

    /// <summary>
    /// Releases a PostgreSQL session-level advisory lock with <paramref name="unlockSql"/>. A connection lost meanwhile (the
    /// server restarted) took its session, and the lock, with it: then there is nothing to release, and nothing to report
    /// here (whether the work done under the lock succeeded is the work's to say).
    /// </summary>
    public static async Task ReleaseSessionLockAsync(this DbConnection connection, string unlockSql, object parameters)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try { await connection.ExecuteAsync(unlockSql, parameters); }
        catch (Exception e) when (TransientFaults.IsLostConnection(e)) { }
    }

    /// <summary>
    /// <c>column IN @list</c> for a list parameter: Dapper spreads a list into one parameter per item on SQLite, but hands it
    /// to Npgsql as one array, which PostgreSQL matches with <c>= ANY</c>.
    /// </summary>
    public static string In(this DbConnection connection, string column, string listParameter) =>
        connection is NpgsqlConnection ? $"{column} = ANY({listParameter})" : $"{column} IN {listParameter}";
}

/// <summary>All-or-nothing writes that run again on a transient fault.</summary>
public static class StoreWrites
{
    /// <summary>
    /// Opens a connection, begins a write transaction (<see cref="StoreConnections.BeginWriteAsync"/>), runs
    /// <paramref name="work"/> and commits, through the store-write pipeline: a busy SQLite or a PostgreSQL serialization
    /// failure runs the whole unit again from a fresh transaction; anything else (a refusal, a constraint) fails at once.
    /// </summary>
    public static async Task<T> WriteAsync<T>(this Polly.Registry.ResiliencePipelineProvider<string> pipelines, Database database,
        Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        await WriteAsync(pipelines, database, eventDbId: null, EventTurn.None, work, cancellationToken);

    /// <summary>
    /// <see cref="WriteAsync{T}"/> for an organiser's write to a whole event (the request window, publishing, editing and
    /// repairing the timetable): on PostgreSQL it first waits for the event's advisory lock, taken before the SERIALIZABLE
    /// transaction begins so that its snapshot follows every earlier writer's commit, and holds it until the commit. Nothing
    /// else of the event is written meanwhile: neither another event-wide write nor a participant's
    /// (<see cref="WriteEventRowsAsync{T}"/>), as on SQLite's single writer, while other events' writers go on beside it.
    /// Never call it from inside another write of the same event: the inner one would wait for the outer one's lock.
    /// </summary>
    public static async Task<T> WriteEventAsync<T>(this Polly.Registry.ResiliencePipelineProvider<string> pipelines, Database database,
        long eventDbId, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        await WriteAsync(pipelines, database, eventDbId, EventTurn.WholeEvent, work, cancellationToken);

    /// <summary>
    /// A participant's write to a few rows of an event (a request, a decision with its booking, an outcome), run beside the
    /// same event's other participant writes. SQLite: the same IMMEDIATE transaction as every write. PostgreSQL: READ
    /// COMMITTED under the shared form of the event's lock (so never during an event-wide <see cref="WriteEventAsync{T}"/>),
    /// and <paramref name="work"/> must lock, with <see cref="StoreConnections.ForUpdate"/>, the rows its checks depend on
    /// before it reads what it checks (an SME's open requests: the SME's row in the event; a request's state: the request)
    /// — each statement after such a lock sees every commit of the writer it waited for. Unrelated participants' writes
    /// then neither wait for each other nor fail, which SERIALIZABLE's page-wide predicate locks made them do (the many
    /// writers of one event at a consultation's opening); the unique indexes still refuse a double booking.
    /// </summary>
    public static async Task<T> WriteEventRowsAsync<T>(this Polly.Registry.ResiliencePipelineProvider<string> pipelines, Database database,
        long eventDbId, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        await WriteAsync(pipelines, database, eventDbId, EventTurn.SomeRows, work, cancellationToken);

    /// <summary>What a write holds of its event's advisory lock: nothing, all of it, or its shared form.</summary>
    enum EventTurn { None, WholeEvent, SomeRows }

    static async Task<T> WriteAsync<T>(Polly.Registry.ResiliencePipelineProvider<string> pipelines, Database database, long? eventDbId,
        EventTurn turn, Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        await pipelines.GetPipeline(TransientFaults.StoreWrite).ExecuteAsync(async ct =>
        {
            var committing = false;
            try
            {
                await using var connection = await database.OpenAsync(ct);
                await using var wholeEvent = turn == EventTurn.WholeEvent ? await database.Dialect.LockEventWritesAsync(connection, eventDbId!.Value, ct) : null;
                await using var transaction = turn == EventTurn.SomeRows ? await connection.BeginReadCommittedWriteAsync(ct) : await connection.BeginWriteAsync(ct);
                if (turn == EventTurn.SomeRows) await database.Dialect.ShareEventWritesAsync(connection, transaction, eventDbId!.Value, ct);
                var result = await work(connection, transaction, ct);
                committing = true;
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (!committing && TransientFaults.IsLostConnection(e))
            {
                // Before the commit was sent nothing can have been written, so the pipeline may run the write again (on a
                // fresh connection: Npgsql dropped the dead pool as this one broke). A commit under way may have happened,
                // and is reported as it is.
                throw new LostBeforeCommitException(e);
            }
        }, cancellationToken);
}
