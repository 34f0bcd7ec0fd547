using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Matchmaker.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster from the Debian binaries, started once per test process and shared by its tests: initdb
/// and pg_ctl under a temporary folder, listening on 127.0.0.1 only at a free port, stopped and deleted when the process
/// ends. initdb refuses root, so as root (CI) the server runs as the <c>postgres</c> user that the Debian package creates.
/// Each test asks for a fresh database (<see cref="CreateDatabaseAsync"/>). MATCHMAKER_POSTGRES_BIN names the folder of
/// the binaries; default, the newest /usr/lib/postgresql/*/bin (./test.sh installs <c>postgresql</c> when missing).
/// </summary>
public sealed class PostgresCluster
{
    const string Superuser = "matchmaker";
    static readonly Lazy<Task<PostgresCluster>> Started = new(StartAsync);

    readonly string _folder;
    readonly string _bin;
    readonly string? _runAs;

    PostgresCluster(string folder, string bin, string? runAs, int port)
    {
        _folder = folder;
        _bin = bin;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster of this test process, started at the first call.</summary>
    public static Task<PostgresCluster> SharedAsync() => Started.Value;

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database, Pooling = true, Timeout = 30,
    }.ConnectionString;

    /// <summary>A new, empty database; dropping it (dispose) closes whatever connections are left.</summary>
    public async Task<TestPostgresDatabase> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new TestPostgresDatabase(this, name);
    }

    internal async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    static async Task<PostgresCluster> StartAsync()
    {
        var bin = Environment.GetEnvironmentVariable("MATCHMAKER_POSTGRES_BIN") is { Length: > 0 } configured
            ? configured
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderBy(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin")).LastOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
                : null;
        if (bin is null || !File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
            throw new InvalidOperationException(
                "PostgreSQL's server binaries are missing: apt-get install -y postgresql (./test.sh does), or set MATCHMAKER_POSTGRES_BIN");
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-postgres", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (runAs is not null) await RunAsync("chown", [$"{runAs}:", folder], null);
        var data = Path.Combine(folder, "data");
        var cluster = new PostgresCluster(folder, bin, runAs, FreePort());
        cluster.StartReaper(); // first, so that even a run that dies during initdb leaves nothing behind
        await cluster.RunToolAsync("initdb", ["-D", data, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        await cluster.RunToolAsync("pg_ctl", ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-c listen_addresses=127.0.0.1 -c port={cluster.Port} -c unix_socket_directories={folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]);
        return cluster;
    }

    /// <summary>
    /// A detached shell that waits for this test process to end, however it ends (the test host is killed once the run is
    /// over, before its exit handlers finish), then stops the server and deletes the folder.
    /// </summary>
    void StartReaper()
    {
        var stop = _runAs is null ? "" : $"runuser -u {_runAs} -- ";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
                     $"{stop}'{Path.Combine(_bin, "pg_ctl")}' -D '{Path.Combine(_folder, "data")}' -m immediate -w stop >/dev/null 2>&1; rm -rf '{_folder}'";
        var reaper = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "sh", "-c", script }) reaper.ArgumentList.Add(a);
        Process.Start(reaper)!.Dispose();
    }

    Task RunToolAsync(string tool, string[] arguments) => RunAsync(Path.Combine(_bin, tool), arguments, _runAs);

    static async Task RunAsync(string program, string[] arguments, string? runAs)
    {
        var start = new ProcessStartInfo(runAs is null ? program : "runuser")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath(),
        };
        if (runAs is not null) foreach (var a in new[] { "-u", runAs, "--", program }) start.ArgumentList.Add(a);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One test's database in the shared cluster, dropped at dispose.</summary>
public sealed class TestPostgresDatabase(PostgresCluster cluster, string name) : IAsyncDisposable
{
    public string Name => name;

    public string ConnectionString => cluster.ConnectionString(name);

    public async ValueTask DisposeAsync()
    {
        // WITH (FORCE) ends the connections still pooled for it; the name is never used again.
        await cluster.DropDatabaseAsync(name);
    }
}
