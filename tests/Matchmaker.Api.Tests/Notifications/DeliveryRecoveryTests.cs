using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Notifications;

/// <summary>The worker as its own process, killed while it delivers a publish to a real SMTP server on loopback, and
/// started again. What the README promises: delivery is at-least-once (SMTP cannot tell a sender that died after the
/// server took a message whether it did), so the message in flight may arrive twice, always with the same Message-ID;
/// nothing is lost and nothing else is sent twice.</summary>
public class DeliveryRecoveryTests
{
    const string EventId = "busan-2026";

    [Fact]
    public async Task A_worker_killed_mid_batch_sends_the_rest_on_restart_and_at_most_the_message_in_flight_again_with_the_same_message_id()
    {
        var folder = Path.Combine(Path.GetTempPath(), "matchmaker-api-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(folder, "matchmaker.db");
        // The server keeps the 20th message but does not answer it: the worker is killed while it waits for the reply.
        const int InFlight = 20;
        using var smtp = new LoopbackSmtp { HoldReplyTo = InFlight };

        // The API publishes the sample expo; its outbox is held (a batch window of an hour) so that the worker delivers it.
        using (var api = new MatchmakerHost(loadSamples: true, dataFolder: folder,
                   settings: new Dictionary<string, string> { ["Matchmaker:Notifications:BatchSeconds"] = "3600" }))
        {
            using var client = api.CreateClient();
            var build = await client.PostAsync($"/api/events/{EventId}/timetable", null);
            build.StatusCode.Should().Be(HttpStatusCode.Accepted);
            var jobId = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
            (await ExpoFixtures.WaitForJobAsync(client, jobId)).GetProperty("state").GetString().Should().Be("succeeded");
            (await client.PostAsync($"/api/events/{EventId}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        SqliteConnection.ClearAllPools();
        var written = await CountAsync(database, "SELECT COUNT(*) FROM notifications WHERE state = 'pending'");
        written.Should().BeGreaterThan(100);

        var worker = smtp.Settings.ToDictionary(p => p.Key, p => p.Value);
        using (var first = StandaloneWorker.Start(folder, worker))
        {
            var held = await Task.WhenAny(smtp.Holding, first.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
            held.Should().BeSameAs(smtp.Holding, "the worker delivers the outbox (it neither exited nor stalled)");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }
        smtp.ReleaseReply();
        SqliteConnection.ClearAllPools();
        var pendingAfterKill = await CountAsync(database, "SELECT COUNT(*) FROM notifications WHERE state = 'pending'");
        pendingAfterKill.Should().Be(written - (InFlight - 1), "the worker died mid-batch with the messages before the held one marked sent, and that one not");

        using (var second = StandaloneWorker.Start(folder, worker))
        {
            try
            {
                var deadline = Stopwatch.StartNew();
                while (await CountAsync(database, "SELECT COUNT(*) FROM notifications WHERE state = 'pending'") > 0)
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(180)) throw new TimeoutException("the restarted worker did not finish the outbox in three minutes");
                    await Task.Delay(200);
                }
            }
            finally
            {
                second.Kill(entireProcessTree: true);
                await second.WaitForExitAsync();
            }
        }
        SqliteConnection.ClearAllPools();

        var sent = await CountAsync(database, "SELECT COUNT(*) FROM notifications WHERE state = 'sent'");
        var skipped = await CountAsync(database, "SELECT COUNT(*) FROM notifications WHERE state = 'skipped'");
        (sent + skipped).Should().Be(written, "nothing failed and nothing was lost");
        var received = await smtp.WaitForAsync((int)sent);
        var byMessageId = received.GroupBy(m => m.MessageId).ToList();
        byMessageId.Should().HaveCount((int)sent, "every sent notification arrived (one per participant: a publish is one change each)");
        byMessageId.Should().OnlyContain(g => g.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count() == 1,
            "a Message-ID names one participant's message");
        received.GroupBy(m => m.To.Mailboxes.Single().Address).Should().OnlyContain(g => g.Select(m => m.MessageId).Distinct().Count() == 1,
            "a copy that arrives twice carries the same Message-ID, so it is recognisable");
        (received.Count - sent).Should().Be(1, "only the message in flight when the worker died arrives twice");
        received.GroupBy(m => m.To.Mailboxes.Single().Address).Where(g => g.Count() > 1).Should().ContainSingle()
            .Which.Select(m => m.MessageId).Distinct().Should().ContainSingle("the copy is recognisable by its Message-ID");
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
