using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Ical.Net;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace Matchmaker.Api.Tests.Notifications;

/// <summary>Notifications end to end: the real host publishes the sample expo; what it sends is read back from .eml files
/// or from a real SMTP server on loopback, and the calendar parts are parsed with Ical.Net.</summary>
public sealed class NotificationTests
{
    const string EventId = "busan-2026";

    [Fact]
    public async Task With_no_smtp_publishing_the_sample_expo_leaves_one_korean_eml_with_calendar_invitations_per_participant_with_meetings()
    {
        using var host = new MatchmakerHost(loadSamples: true, settings: new Dictionary<string, string> { ["Matchmaker:Notifications:BatchSeconds"] = "0" });
        using var client = host.CreateClient();
        await ExpoFixtures.BuildAndPublishTimetableAsync(client, EventId);
        var expected = await ParticipantsWithMeetingsAsync(host);
        var outbox = Path.Combine(host.DataFolder, "outbox");
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml").Length : 0) < expected.Count && DateTime.UtcNow < until)
            await Task.Delay(200);

        var messages = Directory.GetFiles(outbox, "*.eml").Select(f => MimeMessage.Load(f)).ToList();
        messages.Should().HaveCount(expected.Count);
        messages.Select(m => m.To.Mailboxes.Single().Address).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected.Values);
        foreach (var message in messages)
        {
            message.Subject.Should().Contain("상담 일정이 확정되었습니다");
            message.TextBody.Should().Contain("나의 상담 일정");
            message.HtmlBody.Should().Contain("lang=\"ko\"");
            var invitations = message.Attachments.OfType<MimePart>().Where(p => p.ContentType.IsMimeType("text", "calendar")).ToList();
            invitations.Should().NotBeEmpty();
            foreach (var part in invitations)
            {
                using var text = new MemoryStream();
                await part.Content!.DecodeToAsync(text);
                var calendar = Calendar.Load(System.Text.Encoding.UTF8.GetString(text.ToArray()))!;
                calendar.Method.Should().Be("REQUEST");
                part.ContentType.Parameters["method"].Should().Be("REQUEST");
                calendar.Events.Should().ContainSingle().Which.Uid.Should().MatchRegex(@"^meeting-\d+@busan-2026\.matchmaker$");
            }
            // No other participant's contact data: the only address in the message is the recipient's (and the sender's).
            var all = message.TextBody + message.HtmlBody;
            expected.Values.Where(a => a != message.To.Mailboxes.Single().Address).Should().OnlyContain(a => !all.Contains(a));
        }
    }

    [Fact]
    public async Task Over_smtp_a_publish_mails_every_participant_with_meetings_once_and_a_repair_only_those_affected()
    {
        using var smtp = new LoopbackSmtp();
        using var host = new MatchmakerHost(loadSamples: true, settings: smtp.Settings);
        using var client = host.CreateClient();
        await ExpoFixtures.BuildAndPublishTimetableAsync(client, EventId);
        var expected = await ParticipantsWithMeetingsAsync(host);
        var first = await smtp.WaitForAsync(expected.Count);
        first.Should().HaveCount(expected.Count);
        first.Select(m => m.To.Mailboxes.Single().Address).Should().OnlyHaveUniqueItems();

        // On the day an SME cancels: only it and the buyers it was to meet hear about it, with a CANCEL per meeting.
        await using var connection = await host.OpenStoreAsync();
        var victim = await connection.QueryFirstAsync<(long Sme, string Email)>("""
            SELECT m.sme_id, s.contact_email FROM meetings m JOIN event_smes s ON s.event_id = m.event_id AND s.sme_id = m.sme_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' ORDER BY m.id LIMIT 1
            """, new { EventId });
        var victimMeetings = (await connection.QueryAsync<(long Id, string BuyerEmail)>("""
            SELECT m.id, b.contact_email FROM meetings m JOIN event_buyers b ON b.event_id = m.event_id AND b.buyer_id = m.buyer_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.sme_id = @Sme AND m.status = 'scheduled'
            """, new { EventId, victim.Sme })).ToList();
        const string LiveSql = """
            SELECT m.id AS Id, m.status || '/' || m.slot_id || '/' || m.table_no || '/' || m.sequence AS State, s.contact_email AS SmeEmail, b.contact_email AS BuyerEmail
            FROM meetings m JOIN event_smes s ON s.event_id = m.event_id AND s.sme_id = m.sme_id
                JOIN event_buyers b ON b.event_id = m.event_id AND b.buyer_id = m.buyer_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = 'busan-2026'
            """;
        var before = (await connection.QueryAsync<(long Id, string State, string SmeEmail, string BuyerEmail)>(LiveSql)).ToDictionary(m => m.Id);
        var repair = await client.PostAsJsonAsync($"/api/events/{EventId}/timetable/repairs", new { changes = new object[] { new { kind = "cancel", smeId = victim.Sme } } });
        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        (await client.PostAsync($"/api/events/{EventId}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        // Affected: the victim, the buyers it was to meet, and whoever got one of the freed places.
        var changed = (await connection.QueryAsync<(long Id, string State, string SmeEmail, string BuyerEmail)>(LiveSql))
            .Where(m => !before.TryGetValue(m.Id, out var b) || b.State != m.State).ToList();
        var affected = changed.SelectMany(m => new[] { m.SmeEmail, m.BuyerEmail }).Distinct().ToList();
        affected.Should().Contain(victim.Email).And.Contain(victimMeetings.Select(m => m.BuyerEmail));
        affected.Count.Should().BeLessThan(first.Count / 2, "a repair tells only the affected");
        var all = await smtp.WaitForAsync(first.Count + affected.Count);
        var second = all.Skip(first.Count).ToList();
        second.Select(m => m.To.Mailboxes.Single().Address).Should().BeEquivalentTo(affected);
        var toVictim = second.Single(m => m.To.Mailboxes.Single().Address == victim.Email);
        toVictim.Subject.Should().Contain("변경");
        var cancels = toVictim.Attachments.OfType<MimePart>().Select(Parse).ToList();
        cancels.Should().HaveCount(victimMeetings.Count).And.OnlyContain(c => c.Method == "CANCEL");
        foreach (var cancel in cancels)
        {
            var entry = cancel.Events.Single();
            var id = long.Parse(entry.Uid!.Split('@')[0]["meeting-".Length..]);
            victimMeetings.Select(m => m.Id).Should().Contain(id);
            entry.Sequence.Should().Be(await connection.ExecuteScalarAsync<int>("SELECT sequence FROM meetings WHERE id = @id", new { id }));
            entry.Sequence.Should().BeGreaterThan(0);
        }

        // Nothing is sent twice: every notification is recorded as sent once, one message each.
        var states = await client.GetFromJsonAsync<JsonElement>($"/api/events/{EventId}/notifications");
        states.EnumerateArray().Should().OnlyContain(n => n.GetProperty("state").GetString() == "sent" || n.GetProperty("state").GetString() == "skipped");
        all.Select(m => m.MessageId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_server_that_answers_4xx_is_retried_and_one_that_answers_5xx_marks_the_notification_failed_until_sent_again()
    {
        using var smtp = new LoopbackSmtp { RefuseNext = 3 };
        using var host = new MatchmakerHost(loadSamples: true, settings: smtp.Settings);
        using var client = host.CreateClient();
        var expected = await ParticipantsWithMeetingsAsync(host, afterPublish: false);
        var refused = expected.Values.Order().First();
        smtp.Rejected = refused;
        await ExpoFixtures.BuildAndPublishTimetableAsync(client, EventId);
        expected = await ParticipantsWithMeetingsAsync(host);
        var received = await smtp.WaitForAsync(expected.Count - 1);
        received.Should().HaveCount(expected.Count - 1, "452 answers are retried; only the 550 one is missing");

        JsonElement failed = default;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            var list = await client.GetFromJsonAsync<JsonElement>($"/api/events/{EventId}/notifications");
            if (list.EnumerateArray().Any(n => n.GetProperty("state").GetString() == "failed"))
            {
                failed = list.EnumerateArray().Single(n => n.GetProperty("state").GetString() == "failed");
                list.EnumerateArray().Where(n => n.GetProperty("state").GetString() == "sent").Should().Contain(n => n.GetProperty("attempts").GetInt32() > 1);
                break;
            }
            await Task.Delay(200);
        }
        failed.ValueKind.Should().Be(JsonValueKind.Object, "the 550 notification is marked failed");
        failed.GetProperty("lastError").GetString().Should().StartWith("550");

        smtp.Rejected = null;
        var again = await client.PostAsync($"/api/events/{EventId}/notifications/{failed.GetProperty("id").GetInt64()}/send-again", null);
        again.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await smtp.WaitForAsync(expected.Count)).Select(m => m.To.Mailboxes.Single().Address).Should().Contain(refused);
        (await client.PostAsync($"/api/events/{EventId}/notifications/999999/send-again", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Mail_goes_to_the_contact_registered_for_the_event_in_its_language_and_skips_who_opted_out_of_that_event()
    {
        using var host = new MatchmakerHost(loadSamples: true, settings: new Dictionary<string, string> { ["Matchmaker:Notifications:BatchSeconds"] = "0" });
        using var client = host.CreateClient();
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        _ = host.Services;
        await connection.OpenAsync();
        var posco = await connection.ExecuteScalarAsync<long>("SELECT id FROM buyers WHERE buyer_id = 'POSCO'");
        var sme = await connection.ExecuteScalarAsync<long>("SELECT id FROM smes WHERE business_number = '6218891612'");
        async Task SetContactAsync(string eventId, string who, long id, object contact) =>
            (await client.PutAsJsonAsync($"/api/events/{eventId}/{who}/{id}/contact", contact)).StatusCode.Should().Be(HttpStatusCode.OK);
        // The same companies registered other people, languages and choices for an earlier event.
        await SetContactAsync("past-2025", "buyers", posco, new { name = "예전 담당", email = "old-posco@example.com", language = "ko", optedOut = false });
        await SetContactAsync("past-2025", "smes", sme, new { name = "예전 담당", email = "old-sme@example.com", language = "ko", optedOut = false });
        await SetContactAsync(EventId, "buyers", posco, new { name = "Jane Kim", email = "posco-2026@example.com", language = "en", optedOut = false });
        await SetContactAsync(EventId, "smes", sme, new { name = "김민수", email = "sme-2026@example.com", language = "ko", optedOut = true });

        await ExpoFixtures.BuildAndPublishTimetableAsync(client, EventId);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE state = 'pending'") > 0 && DateTime.UtcNow < until)
            await Task.Delay(200);

        var messages = Directory.GetFiles(Path.Combine(host.DataFolder, "outbox"), "*.eml").Select(f => MimeMessage.Load(f)).ToList();
        var addresses = messages.Select(m => m.To.Mailboxes.Single().Address).ToList();
        addresses.Should().NotContain(["old-posco@example.com", "old-sme@example.com", "sme-2026@example.com"]);
        messages.Single(m => m.To.Mailboxes.Single().Address == "posco-2026@example.com").HtmlBody.Should().Contain("lang=\"en\"",
            "POSCO asked for English for this event");
        (await connection.QueryAsync<string>("""
            SELECT n.state || ':' || COALESCE(n.last_error, '') FROM notifications n JOIN events e ON e.id = n.event_id
            WHERE e.event_id = @EventId AND n.recipient_kind = 'sme' AND n.recipient_id = @sme
            """, new { EventId, sme })).Should().NotBeEmpty().And.OnlyContain(x => x == "skipped:opted out");
    }

    static Calendar Parse(MimePart part)
    {
        using var text = new MemoryStream();
        part.Content!.DecodeTo(text);
        return Calendar.Load(System.Text.Encoding.UTF8.GetString(text.ToArray()))!;
    }

    /// <summary>Recipient key → e-mail of every participant with a live meeting (after the publish), or of every
    /// participant with an address (before it).</summary>
    static async Task<Dictionary<string, string>> ParticipantsWithMeetingsAsync(MatchmakerHost host, bool afterPublish = true)
    {
        _ = host.Services; // the host has started and migrated the store
        await using var connection = await host.OpenStoreAsync();
        var rows = await connection.QueryAsync<(string Key, string Email)>(afterPublish ? """
            SELECT DISTINCT 'sme' || m.sme_id, s.contact_email FROM meetings m JOIN event_smes s ON s.event_id = m.event_id AND s.sme_id = m.sme_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' AND s.contact_email IS NOT NULL
            UNION
            SELECT DISTINCT 'buyer' || m.buyer_id, b.contact_email FROM meetings m JOIN event_buyers b ON b.event_id = m.event_id AND b.buyer_id = m.buyer_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' AND b.contact_email IS NOT NULL
            """ : """
            SELECT 'sme' || es.sme_id, es.contact_email FROM event_smes es JOIN events e ON e.id = es.event_id
            WHERE e.event_id = @EventId AND es.contact_email IS NOT NULL
            """, new { EventId });
        return rows.ToDictionary(r => r.Key, r => r.Email);
    }
}
