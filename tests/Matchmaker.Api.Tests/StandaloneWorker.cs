using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests;

/// <summary>
/// The worker as its own process (the built Matchmaker.Worker.dll) on a given data folder, for tests that kill it in
/// the middle of a job and start it again; plus direct reads of that folder's store.
/// </summary>
public static class StandaloneWorker
{
    /// <param name="settings">Extra configuration ("Matchmaker:Notifications:Smtp:Host" …), passed as environment variables.</param>
    public static Process Start(string dataFolder, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Matchmaker.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Matchmaker__Store__DataFolder"] = dataFolder;
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task<T?> ScalarAsync<T>(string database, string sql, string jobId)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<T>(sql, new { jobId });
    }

    /// <summary>Polls the job's state until <paramref name="done"/> says so.</summary>
    public static async Task WaitForJobAsync(string database, string jobId, Func<string?, bool> done, int seconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (!done(await ScalarAsync<string>(database, "SELECT state FROM jobs WHERE id = @jobId", jobId)))
        {
            if (deadline.Elapsed.TotalSeconds > seconds) throw new TimeoutException($"waited {seconds} s for job {jobId}");
            await Task.Delay(10);
        }
    }
}
