using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Matchmaker.Api.Tests.Storage;

/// <summary>
/// The README's "Running on several machines" deploys what <c>dotnet publish</c> writes. The API references the worker
/// (to host the jobs in-process), and once the worker's appsettings.json travelled into the API's publish folder beside
/// the API's own, the SDK refused to publish (NETSDK1152) and nothing said so until someone deployed. Publishing
/// again with <c>--no-build</c> from this test run's build takes a few seconds, so the guard is a test: both projects
/// publish, and the published API runs from another folder with its own pages, settings and samples.
/// </summary>
public class PublishedOutputsTests
{
    [Fact]
    public async Task The_API_and_the_worker_publish_and_the_published_API_runs_from_another_folder_with_its_pages_settings_and_samples()
    {
        var folder = Directory.CreateTempSubdirectory("matchmaker-publish-");
        try
        {
            var api = Path.Combine(folder.FullName, "api");
            var worker = Path.Combine(folder.FullName, "worker");
            await PublishAsync("src/Matchmaker.Api", api);
            await PublishAsync("src/Matchmaker.Worker", worker);

            // Each folder holds its own settings: the API's (with its Matchmaker section), the worker's (without).
            File.ReadAllText(Path.Combine(api, "appsettings.json")).Should().Contain("\"InProcess\": true");
            File.ReadAllText(Path.Combine(worker, "appsettings.json")).Should().NotContain("\"Matchmaker\"");
            File.Exists(Path.Combine(worker, "Matchmaker.Worker.dll")).Should().BeTrue();

            // Started from an unrelated folder (as a service manager would) on an empty data folder: the first start
            // loads the samples copied beside the dll, and the pages come from the published wwwroot.
            var elsewhere = Directory.CreateDirectory(Path.Combine(folder.FullName, "elsewhere")).FullName;
            var data = Path.Combine(folder.FullName, "data");
            var url = $"http://127.0.0.1:{FreePort()}";
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = elsewhere, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
                ArgumentList = { Path.Combine(api, "Matchmaker.Api.dll"), "--urls", url, $"--Matchmaker:Store:DataFolder={data}" },
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            using var process = Process.Start(start)!;
            var log = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
                await WaitForHealthAsync(client, process, log);

                var page = await client.GetAsync("/organiser");
                page.StatusCode.Should().Be(HttpStatusCode.OK);
                page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
                (await client.GetAsync("/js/common.js")).StatusCode.Should().Be(HttpStatusCode.OK, "the pages' scripts are served too");

                client.DefaultRequestHeaders.Authorization =
                    new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(data, "organiser-token.txt")).Trim());
                var events = await client.GetFromJsonAsync<JsonElement>("/api/events");
                events.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).Should().Contain("busan-2026");
                lock (log) log.ToString().Should().Contain($"Content root path: {api}", "the settings and pages are read beside the dll");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            // The published worker, from the same unrelated folder on the same store, starts and reads its own settings.
            var workerStart = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = elsewhere, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
                ArgumentList = { Path.Combine(worker, "Matchmaker.Worker.dll"), $"--Matchmaker:Store:DataFolder={data}" },
            };
            using var workerProcess = Process.Start(workerStart)!;
            var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var workerLog = new System.Text.StringBuilder();
            workerProcess.OutputDataReceived += (_, e) =>
            {
                lock (workerLog) workerLog.AppendLine(e.Data);
                if (e.Data is null) started.TrySetException(new InvalidOperationException("the published worker ended at start"));
                else if (e.Data.Contains("Content root path:", StringComparison.Ordinal)) started.TrySetResult(e.Data.Trim());
            };
            workerProcess.BeginOutputReadLine();
            workerProcess.BeginErrorReadLine();
            try
            {
                (await started.Task.WaitAsync(TimeSpan.FromMinutes(2))).TrimEnd('/').Should().Be($"Content root path: {worker}");
            }
            finally
            {
                workerProcess.Kill(entireProcessTree: true);
                await workerProcess.WaitForExitAsync();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary><c>dotnet publish --no-build</c> of a project of this repository in this test run's configuration.</summary>
    static async Task PublishAsync(string project, string output)
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Matchmaker.sln"))) repository = repository.Parent;
        if (repository is null) throw new InvalidOperationException("Matchmaker.sln not found above " + AppContext.BaseDirectory);
        // …/tests/Matchmaker.Api.Tests/bin/<configuration>/net10.0/: the API and the worker were built in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repository.FullName, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            ArgumentList = { "publish", project, "--no-build", "-c", configuration, "-o", output, "-nologo" },
        };
        using var publish = Process.Start(start)!;
        var output1 = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        publish.ExitCode.Should().Be(0, $"dotnet publish {project} must succeed:\n{await output1}\n{await errors}");
    }

    static async Task WaitForHealthAsync(HttpClient client, Process process, System.Text.StringBuilder log)
    {
        // The first start migrates, loads and scores the samples before it answers.
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromMinutes(3); await Task.Delay(200))
        {
            if (process.HasExited) break;
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { } // not listening yet
        }
        lock (log) throw new InvalidOperationException($"the published API did not become healthy:\n{log}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
