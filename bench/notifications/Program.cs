using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Matchmaker.Core.Events;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Samples;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Timetables;
using Matchmaker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

// Loads the sample expo into a fresh store, builds and publishes its timetable (which writes the outbox), then times
// delivering the whole outbox to an SMTP server on loopback (SmtpServer, in-process), and prints messages/s.
var root = args.Length > 0 ? args[0] : FindRoot();
var folder = Path.Combine(Path.GetTempPath(), "matchmaker-notification-bench", Guid.NewGuid().ToString("N"));
int port;
using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; probe.Stop(); }
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Matchmaker:Store:DataFolder"] = folder,
    ["Matchmaker:Notifications:Smtp:Host"] = "127.0.0.1",
    ["Matchmaker:Notifications:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Matchmaker:Notifications:Smtp:UseStartTls"] = "false",
    // Deliver at once: the minute's hold for batching would leave every message of the fresh publish waiting.
    ["Matchmaker:Notifications:BatchSeconds"] = "0",
}).Build();
var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMatchmakerCore().BuildServiceProvider();
var database = services.GetRequiredService<Database>();
await database.MigrateAsync();
await services.GetRequiredService<SampleExpoLoader>().LoadAsync(Path.Combine(root, "data", "samples"));
var eventDbId = (await services.GetRequiredService<EventStore>().FindAsync("busan-2026"))!.Value.Id;
await services.GetRequiredService<RescoringService>().RescoreAsync(eventDbId);
var timetables = services.GetRequiredService<TimetableService>();
await timetables.BuildDraftJobAsync(await timetables.CreateBuildJobAsync(eventDbId), CancellationToken.None);
await timetables.PublishAsync(eventDbId, null, null);

var received = 0;
using var stop = new CancellationTokenSource();
var smtpServices = new SmtpServer.ComponentModel.ServiceProvider();
smtpServices.Add(new CountingStore(() => Interlocked.Increment(ref received)));
var server = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost")
    .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(), smtpServices);
var running = server.StartAsync(stop.Token);

var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var watch = Stopwatch.StartNew();
var run = await services.GetRequiredService<NotificationDelivery>().DeliverPendingAsync(eventDbId);
watch.Stop();
// CPU of the whole process: the sender and the in-process SMTP server together; unlike wall time it does not depend on
// what else the machine is running.
cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
Console.WriteLine($"sample expo publish: {run.Sent} notifications sent ({run.Skipped} skipped, {run.Failed} failed), {received} messages received");
Console.WriteLine($"{watch.Elapsed.TotalSeconds:0.000} s, {received / watch.Elapsed.TotalSeconds:0.0} messages/s ({cpu.TotalSeconds:0.00} CPU-s, {received / cpu.TotalSeconds:0.0} messages per CPU-s)");
stop.Cancel();
try { await running; } catch (OperationCanceledException) { }
Directory.Delete(folder, recursive: true);

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Matchmaker.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("repository root not found; pass it as the first argument");
}

sealed class CountingStore(Action counted) : MessageStore
{
    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
        CancellationToken cancellationToken)
    {
        counted();
        return Task.FromResult(SmtpResponse.Ok);
    }
}

