using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Matchmaker.Core.Notifications;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Matchmaker.Api.Tests.Notifications;

/// <summary>Notifications that depend on the clock: the minute's batching, the reminder the day before and the outcome
/// form link after a meeting. The clock is an input (a settable <see cref="TimeProvider"/>); the sample expo's first day
/// is 2026-05-20 in Asia/Seoul, its first slot 10:00–10:30.</summary>
public sealed class NotificationTimingTests
{
    const string EventId = "busan-2026";

    static readonly IReadOnlyDictionary<string, string> Quiet = new Dictionary<string, string>
    {
        // The test runs delivery and sweeps itself; the schedules would only fire at start.
        ["Matchmaker:Notifications:DeliverEverySeconds"] = "3600",
        ["Matchmaker:Notifications:SweepEverySeconds"] = "3600",
    };

    [Fact]
    public async Task Changes_for_one_participant_within_a_minute_are_held_and_sent_as_one_message()
    {
        using var smtp = new LoopbackSmtp();
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        using var host = new MatchmakerHost(loadSamples: true, settings: Settings(smtp, batchSeconds: null), services: OnNotificationClock(clock));
        using var client = host.CreateClient();
        var delivery = host.Services.GetRequiredService<NotificationDelivery>();
        await ExpoFixtures.BuildAndPublishTimetableAsync(client, EventId);
        await using var connection = await host.OpenStoreAsync();
        // The changes are written on the system's clock; the delivery's clock is set from when they were.
        var published = (await connection.QueryAsync<DateTimeOffset>("SELECT created_at FROM notifications")).Min();

        clock.Now = published.AddSeconds(30);
        var early = await delivery.DeliverPendingAsync();
        early.Sent.Should().Be(0, "no notification is a minute old yet");
        early.Pending.Should().BeGreaterThan(0);
        smtp.Received.Should().BeEmpty();

        // Within the minute an SME cancels: it and the buyers it was to meet now have two notifications each.
        var victim = await connection.QueryFirstAsync<(long Sme, string Email)>("""
            SELECT m.sme_id, s.contact_email FROM meetings m JOIN event_smes s ON s.event_id = m.event_id AND s.sme_id = m.sme_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' AND s.contact_email IS NOT NULL ORDER BY m.id LIMIT 1
            """, new { EventId });
        var repair = await client.PostAsJsonAsync($"/api/events/{EventId}/timetable/repairs", new { changes = new object[] { new { kind = "cancel", smeId = victim.Sme } } });
        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        (await client.PostAsync($"/api/events/{EventId}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var twice = (await connection.QueryAsync<string>("""
            SELECT n.recipient_kind || n.recipient_id FROM notifications n JOIN events e ON e.id = n.event_id
            WHERE e.event_id = @EventId GROUP BY n.recipient_kind, n.recipient_id HAVING COUNT(*) = 2
            """, new { EventId })).ToList();
        twice.Should().Contain("sme" + victim.Sme);
        var repaired = (await connection.QueryAsync<DateTimeOffset>("SELECT created_at FROM notifications WHERE kind = 'timetable_repaired'")).Max();
        (repaired - published).Should().BeLessThan(TimeSpan.FromSeconds(60), "the repair must land within the publish's minute for this test to mean anything");

        clock.Now = published.AddSeconds(61);
        await delivery.DeliverPendingAsync();
        var recipients = await connection.ExecuteScalarAsync<int>("""
            SELECT COUNT(DISTINCT n.recipient_kind || n.recipient_id) FROM notifications n JOIN events e ON e.id = n.event_id
            WHERE e.event_id = @EventId AND n.state = 'sent'
            """, new { EventId });
        var received = await smtp.WaitForAsync(recipients);
        received.Should().HaveCount(recipients, "one message per participant, the held repair joined to the publish");
        received.Select(m => m.To.Mailboxes.Single().Address).Should().OnlyHaveUniqueItems();
        var toVictim = received.Single(m => m.To.Mailboxes.Single().Address == victim.Email);
        toVictim.TextBody.Should().Contain("상담 일정이 확정되었습니다").And.Contain("변경되었습니다");
        toVictim.Attachments.OfType<MimePart>().Select(p => p.ContentType.Parameters["method"]).Should().NotBeEmpty().And.OnlyContain(m => m == "CANCEL");
        (await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE state = 'pending'")).Should().Be(0);
    }

    [Fact]
    public async Task The_day_before_each_participant_with_meetings_is_reminded_once_and_after_a_meeting_its_buyer_gets_the_outcome_form_link()
    {
        using var smtp = new LoopbackSmtp();
        // The publish (on the system's clock) is delivered first; then the notifications' clock goes back to the expo's May.
        var clock = new SettableClock(DateTimeOffset.UtcNow);
        using var host = new MatchmakerHost(loadSamples: true, settings: Settings(smtp, batchSeconds: "0"), services: OnNotificationClock(clock));
        using var client = host.CreateClient();
        var delivery = host.Services.GetRequiredService<NotificationDelivery>();
        var sweep = host.Services.GetRequiredService<NotificationSweep>();
        await ExpoFixtures.BuildAndPublishTimetableAsync(client, EventId);
        await delivery.DeliverPendingAsync();
        await using var connection = await host.OpenStoreAsync();
        var published = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE state = 'sent'");
        (await smtp.WaitForAsync(published)).Should().HaveCount(published);
        smtp.Received.Clear();

        // Reminders: not before 15:00 the day before (Seoul time), then one per participant with meetings on day 1.
        var day1 = (await connection.QueryAsync<(long Id, string Sme, string SmeEmail, string Buyer, string BuyerEmail, string LocalStart)>("""
            SELECT m.id, 'sme' || m.sme_id, s.contact_email, 'buyer' || m.buyer_id, b.contact_email, sl.local_start
            FROM meetings m JOIN slots sl ON sl.id = m.slot_id JOIN event_smes s ON s.event_id = m.event_id AND s.sme_id = m.sme_id JOIN event_buyers b ON b.event_id = m.event_id AND b.buyer_id = m.buyer_id
            JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' AND sl.local_start LIKE '2026-05-20T%'
            """, new { EventId })).ToList();
        day1.Should().NotBeEmpty();
        var remindedParticipants = day1.Select(m => m.Sme).Concat(day1.Select(m => m.Buyer)).Distinct().Count();
        var englishSme = day1.First(m => m.SmeEmail is not null);
        await connection.ExecuteAsync("UPDATE event_smes SET language = 'en' WHERE 'sme' || sme_id = @Sme AND event_id = (SELECT id FROM events WHERE event_id = @EventId)",
            new { englishSme.Sme, EventId });
        clock.Now = new DateTimeOffset(2026, 5, 19, 14, 59, 0, TimeSpan.FromHours(9));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(0, 0));
        clock.Now = new DateTimeOffset(2026, 5, 19, 15, 0, 0, TimeSpan.FromHours(9));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(remindedParticipants, 0));
        clock.Now = new DateTimeOffset(2026, 5, 19, 18, 0, 0, TimeSpan.FromHours(9));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(0, 0), "one reminder per participant per event day");

        var run = await delivery.DeliverPendingAsync();
        var withAddress = day1.Select(m => m.SmeEmail).Concat(day1.Select(m => m.BuyerEmail)).Where(a => a is not null).Distinct().ToList();
        var reminders = await smtp.WaitForAsync(run.Sent);
        reminders.Should().HaveCount(withAddress.Count);
        reminders.Select(m => m.To.Mailboxes.Single().Address).Should().BeEquivalentTo(withAddress);
        var everyAddress = (await connection.QueryAsync<string>("SELECT contact_email FROM event_smes WHERE contact_email IS NOT NULL UNION SELECT contact_email FROM event_buyers WHERE contact_email IS NOT NULL")).ToList();
        reminders.Should().Contain(m => m.To.Mailboxes.Single().Address == englishSme.SmeEmail, "an SME reading English is reminded too");
        foreach (var message in reminders)
        {
            var to = message.To.Mailboxes.Single().Address;
            var own = day1.Where(m => m.SmeEmail == to || m.BuyerEmail == to).ToList();
            if (to == englishSme.SmeEmail)
            {
                message.Subject.Should().Contain("your meetings tomorrow");
                message.TextBody.Should().Contain($"Tomorrow (Wednesday 20 May) you have {own.Count} one-to-one meeting").And.Contain("[Your meetings]");
                message.HtmlBody.Should().Contain("lang=\"en\"");
            }
            else
            {
                message.Subject.Should().Contain("내일 상담 일정 안내");
                message.TextBody.Should().Contain($"내일(5월 20일)").And.Contain($"{own.Count}건의 1:1 상담");
                message.HtmlBody.Should().Contain("lang=\"ko\"").And.Contain("나의 상담 일정");
                message.TextBody.Should().MatchRegex(@"일정 보기: http://localhost:5000/login\?mail=ml_[A-Za-z0-9_-]+\r?\n", "the link signs the participant in on its own page");
            }
            // Meeting times as each language writes them (issue 16); the reminder lists that day's meetings only.
            var (day20, day21) = to == englishSme.SmeEmail ? ("Wed 20 May 2026, ", "Thu 21 May 2026, ") : ("2026년 5월 20일 (수) ", "2026년 5월 21일 (목) ");
            message.TextBody.Should().Contain(day20).And.NotContain(day21, "the reminder lists that day's meetings only");
            message.Attachments.Should().BeEmpty("a reminder changes no calendar entry");
            var body = message.TextBody + message.HtmlBody;
            everyAddress.Where(a => a != to).Should().OnlyContain(a => !body.Contains(a), "no other participant's contact data");
        }
        smtp.Received.Clear();

        // Outcome links: after the first slot (10:00–10:30) ends, to each of its buyers; one recorded first is not asked for.
        var first = (await connection.QueryAsync<(long Id, long Buyer, string BuyerEmail, string SmeName)>("""
            SELECT m.id, m.buyer_id, b.contact_email, s.name FROM meetings m JOIN slots sl ON sl.id = m.slot_id JOIN event_buyers b ON b.event_id = m.event_id AND b.buyer_id = m.buyer_id
            JOIN event_smes s ON s.event_id = m.event_id AND s.sme_id = m.sme_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' AND sl.local_start = '2026-05-20T10:00' AND b.contact_email IS NOT NULL
            ORDER BY m.id
            """, new { EventId })).ToList();
        first.Should().HaveCountGreaterThan(2);
        var slotMeetings = await connection.ExecuteScalarAsync<int>("""
            SELECT COUNT(*) FROM meetings m JOIN slots sl ON sl.id = m.slot_id JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled' AND sl.local_start = '2026-05-20T10:00'
            """, new { EventId });
        clock.Now = new DateTimeOffset(2026, 5, 20, 10, 29, 0, TimeSpan.FromHours(9));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(0, 0));
        clock.Now = new DateTimeOffset(2026, 5, 20, 10, 31, 0, TimeSpan.FromHours(9));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(0, slotMeetings));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(0, 0));
        // One buyer's own single meeting of the slot is recorded first; another buyer reads English.
        var recorded = first.First(m => first.Count(x => x.Buyer == m.Buyer) == 1);
        var outcome = await client.PostAsJsonAsync($"/api/events/{EventId}/meetings/{recorded.Id}/outcome", new { status = "no_show" });
        outcome.IsSuccessStatusCode.Should().BeTrue(await outcome.Content.ReadAsStringAsync());
        // A buyer at two tables in the slot records one meeting: its message asks only for the other.
        var twoTables = first.GroupBy(m => m.Buyer).First(g => g.Count() >= 2 && g.Key != recorded.Buyer);
        var recordedToo = twoTables.First();
        outcome = await client.PostAsJsonAsync($"/api/events/{EventId}/meetings/{recordedToo.Id}/outcome", new { status = "no_show" });
        outcome.IsSuccessStatusCode.Should().BeTrue(await outcome.Content.ReadAsStringAsync());
        var english = first.First(m => m.Buyer != recorded.Buyer && m.Buyer != twoTables.Key);
        await connection.ExecuteAsync("UPDATE event_buyers SET language = 'en' WHERE buyer_id = @Buyer AND event_id = (SELECT id FROM events WHERE event_id = @EventId)",
            new { english.Buyer, EventId });

        await delivery.DeliverPendingAsync();
        var asked = first.Where(m => m.Id != recorded.Id).Select(m => m.BuyerEmail).Distinct().ToList();
        var links = await smtp.WaitForAsync(asked.Count);
        links.Select(m => m.To.Mailboxes.Single().Address).Should().BeEquivalentTo(asked);
        foreach (var meeting in first.Where(m => m.Id != recorded.Id && m.Id != recordedToo.Id))
        {
            var message = links.Single(m => m.To.Mailboxes.Single().Address == meeting.BuyerEmail);
            // The mail's sign-in link, landing on the meeting's outcome form of the buyer's page.
            message.TextBody.Should().MatchRegex($@"http://localhost:5000/login\?mail=ml_[A-Za-z0-9_-]+#meeting-{meeting.Id}\b").And.Contain(meeting.SmeName);
            message.HtmlBody.Should().MatchRegex($@"href=""http://localhost:5000/login\?mail=ml_[A-Za-z0-9_-]+#meeting-{meeting.Id}""");
            if (meeting.Buyer == english.Buyer)
                message.Subject.Should().Contain("please record your meeting's outcome");
            else
                message.Subject.Should().Contain("상담 결과를 기록해 주십시오");
        }
        var skipped = await connection.QuerySingleAsync<(string State, string LastError)>("""
            SELECT state, last_error FROM notifications WHERE kind = 'outcome_requested' AND change_key = @key
            """, new { key = $"meeting-{recorded.Id}" });
        skipped.Should().Be(("skipped", "outcome already recorded"));
        (await connection.QuerySingleAsync<(string State, string LastError)>("""
            SELECT state, last_error FROM notifications WHERE kind = 'outcome_requested' AND change_key = @key
            """, new { key = $"meeting-{recordedToo.Id}" })).Should().Be(("skipped", "outcome already recorded"));
        links.Single(m => m.To.Mailboxes.Single().Address == recordedToo.BuyerEmail).TextBody.Should().NotContain($"#meeting-{recordedToo.Id}");

        // A day later the meetings of the day before are not asked about again, nor those older than the window.
        clock.Now = new DateTimeOffset(2026, 5, 23, 10, 31, 0, TimeSpan.FromHours(9));
        (await sweep.SweepAsync()).Should().Be(new SweepRun(0, 0));
    }

    /// <summary>The notification services on the test's clock; the rest of the app (the job engine above all, whose
    /// triggers a clock jumping by days would misfire) keeps the system's.</summary>
    static Action<IServiceCollection> OnNotificationClock(SettableClock clock) => s =>
    {
        s.AddSingleton(sp => ActivatorUtilities.CreateInstance<NotificationDelivery>(sp, (TimeProvider)clock));
        s.AddSingleton(sp => ActivatorUtilities.CreateInstance<NotificationSweep>(sp, (TimeProvider)clock));
    };

    static IReadOnlyDictionary<string, string> Settings(LoopbackSmtp smtp, string? batchSeconds)
    {
        var settings = smtp.Settings.Concat(Quiet).ToDictionary(p => p.Key, p => p.Value);
        if (batchSeconds is null) settings.Remove("Matchmaker:Notifications:BatchSeconds");
        else settings["Matchmaker:Notifications:BatchSeconds"] = batchSeconds;
        return settings;
    }
}

/// <summary>A wall clock the test sets, which then runs on from there; timers and timestamps (retry delays) are the
/// system's, so waiting still works.</summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    TimeSpan _offset = start - System.GetUtcNow();

    public DateTimeOffset Now
    {
        get => GetUtcNow();
        set => _offset = value - System.GetUtcNow();
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;
}
