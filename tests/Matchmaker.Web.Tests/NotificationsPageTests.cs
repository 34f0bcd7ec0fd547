using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Matchmaker.Api.Tests.Notifications;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>The live app delivering to a real SMTP server on loopback (it refuses one address with 550), with no
/// periodic sweep of the outbox: what a publish or a "send again" does not deliver stays pending.</summary>
public sealed class MailingLiveApp : LiveApp
{
    public MailingLiveApp() : this(new LoopbackSmtp()) { }

    MailingLiveApp(LoopbackSmtp smtp) : base(smtp.Settings.Concat(new Dictionary<string, string>
    {
        ["Matchmaker:Notifications:DeliverEverySeconds"] = "3600",
        ["Matchmaker:Notifications:SweepEverySeconds"] = "3600",
    }).ToDictionary(p => p.Key, p => p.Value)) => Smtp = smtp;

    public LoopbackSmtp Smtp { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Smtp.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class MailingBrowserCollection : ICollectionFixture<MailingLiveApp>
{
    public const string Name = "browser with mail";
}

[Collection(MailingBrowserCollection.Name)]
public class NotificationsPageTests(MailingLiveApp app)
{
    const string Event = LiveApp.EventId;

    [Fact]
    public async Task The_organiser_sees_per_participant_what_is_pending_sent_failed_with_the_reason_or_skipped_and_sends_a_failed_one_again()
    {
        // The scene: a draft; one buyer of it whose mail server refuses it (550), one SME of it that opted out.
        await app.BuildDraftAsync();
        var refused = await ScalarAsync<string>("""
            SELECT b.contact_email || '|' || b.name || '|' || b.buyer_id FROM timetable_meetings tm JOIN timetables t ON t.id = tm.timetable_id
            JOIN event_buyers b ON b.event_id = t.event_id AND b.buyer_id = tm.buyer_id
            WHERE b.contact_email IS NOT NULL ORDER BY b.buyer_id LIMIT 1
            """);
        var (refusedEmail, refusedName, refusedId) = (refused.Split('|')[0], refused.Split('|')[1], refused.Split('|')[2]);
        var optedOut = await ScalarAsync<long>("""
            SELECT s.sme_id FROM timetable_meetings tm JOIN timetables t ON t.id = tm.timetable_id
            JOIN event_smes s ON s.event_id = t.event_id AND s.sme_id = tm.sme_id WHERE s.contact_email IS NOT NULL ORDER BY s.sme_id LIMIT 1
            """);
        await ExecuteAsync("UPDATE event_smes SET opted_out = 1 WHERE sme_id = @id AND event_id = (SELECT id FROM events WHERE event_id = '" + LiveApp.EventId + "')", ("@id", optedOut));
        app.Smtp.Rejected = refusedEmail;
        await app.PublishDraftAsync();
        await WaitUntilAsync(list => list.Any(n => n.State == "failed") && list.All(n => n.State != "pending"));

        // Then an SME asks a buyer for an introduction: nothing sweeps the outbox, so the buyer's notice waits.
        await app.OpenRequestWindowAsync();
        var (requester, _) = (await app.SmesAsync()).Last();
        var asked = (await app.BuyersAsync()).First(b => $"{b.Id}" != refusedId);
        var smeToken = Uri.UnescapeDataString(new Uri(await app.LinkAsync("sme", requester)).Query.Split("token=")[1]);
        using (var sme = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            sme.DefaultRequestHeaders.Authorization = new("Bearer", smeToken);
            var request = await sme.PostAsJsonAsync($"/api/events/{Event}/smes/{requester}/requests", new { buyerId = asked.Id, priority = 1, pitch = "선박용 밸브 국산화 제안" });
            request.StatusCode.Should().Be(HttpStatusCode.Created, await request.Content.ReadAsStringAsync());
        }

        await using var context = await app.LaptopAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
        await page.GotoAsync($"{app.BaseUrl}/organiser?event={Event}");
        await page.ClickAsync("header.site nav a[href^='/organiser/notifications']");
        await Expect(page).ToHaveURLAsync(new Regex("/organiser/notifications"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("알림 발송 현황");
        var rows = page.Locator("#notifications-table tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();

        var failedRow = page.Locator($"#notifications-table tbody tr[data-recipient=buyer{refusedId}]");
        var failed = failedRow.Locator("li[data-state=failed]");
        await Expect(failed).ToHaveCountAsync(1);
        await Expect(failed).ToContainTextAsync("실패");
        await Expect(failed.Locator(".reason")).ToContainTextAsync("550");
        await Expect(failed.Locator(".reason")).ToContainTextAsync("no such mailbox");
        await Expect(failedRow.Locator("td").Nth(3)).ToHaveTextAsync("1");
        var skipped = page.Locator($"#notifications-table tbody tr[data-recipient=sme{optedOut}] li[data-state=skipped]");
        await Expect(skipped).ToContainTextAsync("opted out");
        var pendingRow = page.Locator($"#notifications-table tbody tr[data-recipient=buyer{asked.Id}]");
        await Expect(pendingRow.Locator("li[data-state=pending]")).ToContainTextAsync("상담 요청 도착");
        await Expect(pendingRow.Locator("li[data-state=pending] button")).ToHaveCountAsync(0);
        await Expect(pendingRow.Locator("td").Nth(1)).ToHaveTextAsync("1");
        await Expect(page.Locator("li[data-state=sent]").First).ToContainTextAsync("발송됨");
        await Expect(page.Locator("#notification-summary")).ToContainTextAsync("실패 1");
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "organiser-notifications-laptop");

        // Only the failed ones, then "send again" once the address works: it goes, and so does the waiting notice.
        await page.SelectOptionAsync("#state-filter", "failed");
        await Expect(rows).ToHaveCountAsync(1);
        app.Smtp.Rejected = null;
        var before = app.Smtp.Received.Count;
        await failed.Locator("button.send-again").ClickAsync();
        await Expect(page.Locator("#notification-message")).ToContainTextAsync(refusedName);
        await page.SelectOptionAsync("#state-filter", "");
        await Expect(failedRow.Locator("li[data-state=sent]")).ToHaveCountAsync(1);
        await Expect(failedRow.Locator("li[data-state=failed]")).ToHaveCountAsync(0);
        await Expect(failedRow.Locator("td").Nth(3)).ToHaveTextAsync("0");
        await Expect(pendingRow.Locator("li[data-state=sent]").Filter(new() { HasText = "상담 요청 도착" })).ToHaveCountAsync(1);
        await Expect(pendingRow.Locator("li[data-state=pending]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#notification-summary")).ToContainTextAsync("실패 0");
        var arrived = await app.Smtp.WaitForAsync(before + 2);
        arrived.Skip(before).Select(m => m.To.Mailboxes.Single().Address).Should().Contain(refusedEmail);

        // The same page in English.
        await page.ClickAsync("#lang-toggle");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Notifications sent to participants");
        await Expect(page.Locator("li[data-state=skipped]").First).ToContainTextAsync("Skipped");
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "organiser-notifications-en-laptop");
    }

    sealed record Row(long Id, string State);

    async Task WaitUntilAsync(Func<IReadOnlyList<Row>, bool> done)
    {
        for (var i = 0; i < 600; i++)
        {
            var list = (await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{Event}/notifications")).EnumerateArray()
                .Select(n => new Row(n.GetProperty("id").GetInt64(), n.GetProperty("state").GetString()!)).ToList();
            if (list.Count > 0 && done(list)) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("the publish's notifications were not delivered in two minutes");
    }

    async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    async Task ExecuteAsync(string sql, (string Name, object Value) parameter)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        (await command.ExecuteNonQueryAsync()).Should().Be(1);
    }
}
