using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using System.Data.Common;
using Matchmaker.Core.Storage;
using Matchmaker.Tests.Postgres;

namespace Matchmaker.Api.Tests;

/// <summary>
/// The real API host over HTTP, with the worker in-process, on its own SQLite file in a fresh temporary folder.
/// By default the store starts empty in a folder deleted afterwards (a folder passed in is kept); pass <c>loadSamples: true</c> to get the sample expo as on a first start.
/// With <c>postgres</c> (a database of the test run's cluster) the host runs on PostgreSQL instead; MATCHMAKER_TEST_STORE=postgres
/// puts every host that is not given a store on a fresh PostgreSQL database (for trying the whole suite on PostgreSQL: tests
/// that open the SQLite file themselves cannot pass that way).
/// </summary>
public sealed class MatchmakerHost : WebApplicationFactory<Program>
{
    readonly bool _loadSamples;
    readonly bool _runJobs;
    readonly bool _ownsFolder;
    readonly IReadOnlyDictionary<string, string> _settings;
    readonly Action<IServiceCollection>? _services;
    readonly AnsweredStatuses? _recording = AnsweredStatuses.Current.Value;
    readonly TestPostgresDatabase? _postgres;
    readonly bool _ownsPostgres;

    /// <param name="runJobs">false: the API only queues jobs, as beside a standalone worker process.</param>
    /// <param name="settings">Extra configuration, e.g. a lower rate limit.</param>
    /// <param name="services">Replaces real parts that are inputs, e.g. the clock.</param>
    public MatchmakerHost(bool loadSamples = false, string? dataFolder = null, bool runJobs = true, IReadOnlyDictionary<string, string>? settings = null,
        Action<IServiceCollection>? services = null, TestPostgresDatabase? postgres = null)
    {
        _postgres = postgres;
        if (postgres is null && Environment.GetEnvironmentVariable("MATCHMAKER_TEST_STORE") == StoreOptions.Postgres)
        {
            _postgres = PostgresCluster.SharedAsync().GetAwaiter().GetResult().CreateDatabaseAsync().GetAwaiter().GetResult();
            _ownsPostgres = true;
        }
        _services = services;
        _settings = settings ?? new Dictionary<string, string>();
        _loadSamples = loadSamples;
        _runJobs = runJobs;
        _ownsFolder = dataFolder is null;
        DataFolder = dataFolder ?? Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataFolder { get; }

    /// <summary>The organiser token this host is configured with; <see cref="CreateClient()"/> clients carry it.</summary>
    public const string OrganiserToken = "mm_test-organiser-token";

    public string DatabasePath => Path.Combine(DataFolder, "matchmaker.db");

    /// <summary>The store settings this host runs with.</summary>
    public StoreOptions Store => _postgres is null
        ? new StoreOptions { DataFolder = DataFolder }
        : new StoreOptions { Provider = StoreOptions.Postgres, ConnectionString = _postgres.ConnectionString, DataFolder = DataFolder };

    /// <summary>A connection to this host's store, whichever it is, for a test's own checks.</summary>
    public Task<DbConnection> OpenStoreAsync() => new Database(Store).OpenAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Matchmaker:Store:DataFolder", DataFolder);
        if (_postgres is not null)
        {
            builder.UseSetting("Matchmaker:Store:Provider", StoreOptions.Postgres);
            builder.UseSetting("Matchmaker:Store:ConnectionString", _postgres.ConnectionString);
        }
        builder.UseSetting("Matchmaker:Samples:LoadOnEmptyStore", _loadSamples ? "true" : "false");
        builder.UseSetting("Matchmaker:Worker:InProcess", _runJobs ? "true" : "false");
        builder.UseSetting("Matchmaker:Access:OrganiserToken", OrganiserToken);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(ProblemCodes));
        if (_recording is { } recording)
            builder.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(recording));
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new("Bearer", OrganiserToken);
    }

    /// <summary>A client that presents <paramref name="token"/> (or none at all).</summary>
    public HttpClient CreateClientWithToken(string? token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = token is null ? null : new("Bearer", token);
        return client;
    }

    /// <summary>The problem codes this host answered (see <see cref="AnsweredProblemCodes"/>).</summary>
    public AnsweredProblemCodes ProblemCodes { get; } = new();

    bool _checked;

    /// <summary>
    /// Every code a test saw must be listed for its operation in the OpenAPI document (issue 16), checked once, while
    /// the host still serves the document.
    /// </summary>
    IReadOnlyList<string> CheckProblemCodes()
    {
        if (_checked || ProblemCodes.Answers.IsEmpty) return [];
        _checked = true;
        using var anonymous = CreateClientWithToken(null);
        return ProblemCodes.Undeclared(anonymous);
    }

    public override async ValueTask DisposeAsync()
    {
        var undeclared = CheckProblemCodes();
        await base.DisposeAsync(); // ends in Dispose(true)
        if (undeclared.Count > 0)
            throw new InvalidOperationException("problem codes answered but not listed in the OpenAPI document:\n" + string.Join("\n", undeclared));
    }

    protected override void Dispose(bool disposing)
    {
        var undeclared = disposing ? CheckProblemCodes() : [];
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_ownsPostgres) _postgres!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        // A folder given by the test outlives the host (e.g. to restart on the same store).
        if (_ownsFolder)
            try { Directory.Delete(DataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (undeclared.Count > 0)
            throw new InvalidOperationException("problem codes answered but not listed in the OpenAPI document:\n" + string.Join("\n", undeclared));
    }
}
