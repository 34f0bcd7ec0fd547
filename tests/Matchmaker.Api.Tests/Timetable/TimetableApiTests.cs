using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Timetable;

public class TimetableApiTests
{
    static async Task<JsonElement> BuildAsync(HttpClient client, string eventId = "busan-2026")
    {
        var response = await client.PostAsync($"/api/events/{eventId}/timetable", null);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        var job = await ExpoFixtures.WaitForJobAsync(client, jobId);
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        return job;
    }

    static async Task<(JsonElement Grid, string ETag)> GridAsync(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/events/busan-2026/timetable{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), response.Headers.ETag!.Tag);
    }

    static HttpRequestMessage WithIfMatch(HttpMethod method, string url, string etag, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        return request;
    }

    static void ShouldBeValid(JsonElement grid)
    {
        var meetings = grid.GetProperty("meetings").EnumerateArray().Select(m => (
            Sme: m.GetProperty("smeId").GetInt64(), Buyer: m.GetProperty("buyerId").GetInt64(),
            Slot: m.GetProperty("slotCode").GetString(), Table: m.GetProperty("table").GetInt32())).ToList();
        meetings.GroupBy(m => (m.Slot, m.Sme)).Should().OnlyContain(g => g.Count() == 1, "no SME is in two meetings at once");
        meetings.GroupBy(m => (m.Slot, m.Buyer, m.Table)).Should().OnlyContain(g => g.Count() == 1, "no table hosts two meetings at once");
        meetings.GroupBy(m => (m.Sme, m.Buyer)).Should().OnlyContain(g => g.Count() == 1, "a pair meets once");
    }

    [Fact]
    public async Task An_organiser_builds_reviews_locks_publishes_and_repairs_the_timetable()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var client = host.CreateClient();

        var job = await BuildAsync(client);
        job.GetProperty("report").GetProperty("status").GetString().Should().Be("optimal", "the expo is certified optimal against the flow bound");

        var (draft, etag) = await GridAsync(client);
        draft.GetProperty("status").GetString().Should().Be("draft");
        draft.GetProperty("gap").GetDouble().Should().Be(0);
        draft.GetProperty("meetingCount").GetInt32().Should().BeGreaterThan(500);
        draft.GetProperty("buyers").GetArrayLength().Should().BeGreaterThanOrEqualTo(70);
        ShouldBeValid(draft);

        // Lock one meeting in a free place: another slot where neither side nor its table is busy.
        var first = draft.GetProperty("meetings")[0];
        var meetingId = first.GetProperty("meetingId").GetInt64();
        var all = draft.GetProperty("meetings").EnumerateArray().ToList();
        var freeSlot = draft.GetProperty("slots").EnumerateArray().Select(s => s.GetString()!).First(slot =>
            !all.Any(m => m.GetProperty("slotCode").GetString() == slot &&
                          (m.GetProperty("smeId").GetInt64() == first.GetProperty("smeId").GetInt64() ||
                           (m.GetProperty("buyerId").GetInt64() == first.GetProperty("buyerId").GetInt64() && m.GetProperty("table").GetInt32() == 1))));
        var moved = await client.SendAsync(WithIfMatch(HttpMethod.Put, $"/api/events/busan-2026/timetable/meetings/{meetingId}/lock", etag,
            new { locked = true, slot = freeSlot, table = 1 }));
        moved.StatusCode.Should().Be(HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());

        var stale = await client.SendAsync(WithIfMatch(HttpMethod.Post, "/api/events/busan-2026/timetable/publish", etag));
        stale.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed, "the draft changed since that ETag was read");

        var (locked, lockedETag) = await GridAsync(client);
        locked.GetProperty("meetings").EnumerateArray().Single(m => m.GetProperty("meetingId").GetInt64() == meetingId)
            .GetProperty("slotCode").GetString().Should().Be(freeSlot);
        var published = await client.SendAsync(WithIfMatch(HttpMethod.Post, "/api/events/busan-2026/timetable/publish", lockedETag));
        published.StatusCode.Should().Be(HttpStatusCode.OK, await published.Content.ReadAsStringAsync());

        await using var connection = await host.OpenStoreAsync();
        var liveBefore = (await connection.QueryAsync<(long Id, long Sme, long Buyer, string Slot, long Table, long Sequence)>("""
            SELECT m.id, m.sme_id, m.buyer_id, s.code, m.table_no, m.sequence FROM meetings m JOIN slots s ON s.id = m.slot_id
            JOIN events e ON e.id = m.event_id WHERE e.event_id = 'busan-2026' AND m.status = 'scheduled'
            """)).ToList();
        liveBefore.Should().HaveCount(locked.GetProperty("meetingCount").GetInt32());

        // On the day: one SME does not come to its first meeting.
        var victim = liveBefore.OrderBy(m => m.Slot).ThenBy(m => m.Id).First(m => m.Id != liveBefore.Single(x => x.Slot == freeSlot && x.Sme == first.GetProperty("smeId").GetInt64()).Id);
        var repair = await client.PostAsJsonAsync("/api/events/busan-2026/timetable/repairs", new
        {
            changes = new object[] { new { kind = "cancel", smeId = victim.Sme } },
        });
        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        var outcome = await repair.Content.ReadFromJsonAsync<JsonElement>();
        var diff = outcome.GetProperty("diff");
        diff.GetProperty("cancelled").EnumerateArray().Should().OnlyContain(c => c.GetProperty("meeting").GetProperty("smeId").GetInt64() == victim.Sme);
        diff.GetProperty("cancelled").GetArrayLength().Should().Be(liveBefore.Count(m => m.Sme == victim.Sme));
        diff.GetProperty("notifySmes").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).Should().Contain(victim.Sme);
        diff.GetProperty("moved").EnumerateArray().Should().BeEmpty("a cancellation frees places; nothing else has to move");
        diff.GetProperty("kept").GetArrayLength().Should().Be(liveBefore.Count - liveBefore.Count(m => m.Sme == victim.Sme));

        var (repaired, repairedETag) = await GridAsync(client);
        repaired.GetProperty("status").GetString().Should().Be("draft");
        repaired.GetProperty("diff").ValueKind.Should().Be(JsonValueKind.Object);
        ShouldBeValid(repaired);
        (await client.SendAsync(WithIfMatch(HttpMethod.Post, "/api/events/busan-2026/timetable/publish", repairedETag))).StatusCode.Should().Be(HttpStatusCode.OK);

        var cancelled = await connection.QueryAsync<long>("""
            SELECT m.sequence FROM meetings m JOIN events e ON e.id = m.event_id
            WHERE e.event_id = 'busan-2026' AND m.sme_id = @Sme AND m.status = 'cancelled'
            """, new { victim.Sme });
        cancelled.Should().HaveCount(liveBefore.Count(m => m.Sme == victim.Sme)).And.OnlyContain(s => s >= 1, "calendars see a higher SEQUENCE");
        var liveAfter = (await connection.QueryAsync<(long Id, long Sme, long Buyer, string Slot, long Table, long Sequence)>("""
            SELECT m.id, m.sme_id, m.buyer_id, s.code, m.table_no, m.sequence FROM meetings m JOIN slots s ON s.id = m.slot_id
            JOIN events e ON e.id = m.event_id WHERE e.event_id = 'busan-2026' AND m.status = 'scheduled'
            """)).ToList();
        liveAfter.Should().Contain(liveBefore.Where(m => m.Sme != victim.Sme), "kept meetings keep their id, place and sequence");
        liveAfter.Should().HaveCount(liveBefore.Count - liveBefore.Count(m => m.Sme == victim.Sme) + diff.GetProperty("added").GetArrayLength());

        var versions = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/timetable/versions");
        versions.EnumerateArray().Select(v => v.GetProperty("status").GetString()).Should().Equal("published", "superseded");
    }

    [Fact]
    public async Task Moves_that_would_double_book_or_break_availability_are_refused_naming_the_field()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var client = host.CreateClient();
        await BuildAsync(client);
        var (grid, etag) = await GridAsync(client);
        var meetings = grid.GetProperty("meetings").EnumerateArray().ToList();
        var a = meetings[0];
        var smeBusy = meetings.Where(m => m.GetProperty("smeId").GetInt64() == a.GetProperty("smeId").GetInt64())
            .Select(m => m.GetProperty("slotCode").GetString()).ToHashSet();
        var clash = meetings.First(m => !smeBusy.Contains(m.GetProperty("slotCode").GetString())
                                        && m.GetProperty("buyerId").GetInt64() == a.GetProperty("buyerId").GetInt64());
        var url = $"/api/events/busan-2026/timetable/meetings/{a.GetProperty("meetingId").GetInt64()}/lock";

        var onTakenTable = await client.PutAsJsonAsync(url, new { locked = true, slot = clash.GetProperty("slotCode").GetString(), table = clash.GetProperty("table").GetInt32() });
        var noSuchSlot = await client.PutAsJsonAsync(url, new { locked = true, slot = "D9-99" });
        var noSuchTable = await client.PutAsJsonAsync(url, new { locked = true, table = 99 });
        var badETag = await client.SendAsync(WithIfMatch(HttpMethod.Put, url, "\"1.77\"", new { locked = true }));

        onTakenTable.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await onTakenTable.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("table");
        noSuchSlot.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noSuchSlot.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("slot");
        noSuchTable.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        badETag.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        var (after, afterETag) = await GridAsync(client);
        afterETag.Should().Be(etag, "nothing was written");
        after.GetProperty("meetings")[0].GetProperty("slotCode").GetString().Should().Be(a.GetProperty("slotCode").GetString());
    }

    [Fact]
    public async Task Repairs_need_a_published_timetable_and_known_participants()
    {
        using var host = new MatchmakerHost(loadSamples: true);
        using var client = host.CreateClient();

        var beforeAny = await client.PostAsJsonAsync("/api/events/busan-2026/timetable/repairs", new { changes = new[] { new { kind = "now", slot = "D1-02" } } });
        beforeAny.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.GetAsync("/api/events/busan-2026/timetable")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        await BuildAsync(client);
        (await client.PostAsync("/api/events/busan-2026/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var unknownKind = await client.PostAsJsonAsync("/api/events/busan-2026/timetable/repairs", new { changes = new[] { new { kind = "teleport" } } });
        var unknownSme = await client.PostAsJsonAsync("/api/events/busan-2026/timetable/repairs", new { changes = new[] { new { kind = "cancel", smeId = 999_999 } } });
        var empty = await client.PostAsJsonAsync("/api/events/busan-2026/timetable/repairs", new { changes = Array.Empty<object>() });

        (await unknownKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("changes[0].kind");
        (await unknownSme.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("changes[0].smeId");
        empty.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var versions = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-2026/timetable/versions");
        versions.GetArrayLength().Should().Be(1, "refused repairs write no version");
    }
}

public class TimetableRepairRegressionTests
{
    /// <summary>Regression: a repair refused to cancel an SME whose meeting the organiser had locked
    /// ("locks[0].slot: … is unavailable"). The lock is released with its SME.</summary>
    [Fact]
    public async Task Cancelling_an_SME_with_a_locked_meeting_releases_the_lock_and_cancels_its_meetings()
    {
        await using var expo = await Requests.SmallExpo.StartAsync();
        await expo.PublishTimetableAsync();
        var grid = await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/timetable");
        var locked = grid.GetProperty("meetings")[0];
        var smeId = locked.GetProperty("smeId").GetInt64();
        (await expo.Organiser.PutAsJsonAsync($"/api/events/busan-test/timetable/meetings/{locked.GetProperty("meetingId").GetInt64()}/lock", new { locked = true }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        var repair = await expo.Organiser.PostAsJsonAsync("/api/events/busan-test/timetable/repairs", new { changes = new[] { new { kind = "cancel", smeId } } });

        repair.StatusCode.Should().Be(HttpStatusCode.Created, await repair.Content.ReadAsStringAsync());
        var diff = (await repair.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("diff");
        diff.GetProperty("cancelled").EnumerateArray().Select(c => c.GetProperty("meeting").GetProperty("smeId").GetInt64())
            .Should().OnlyContain(id => id == smeId).And.HaveCount(grid.GetProperty("meetings").EnumerateArray().Count(m => m.GetProperty("smeId").GetInt64() == smeId));
    }

    /// <summary>
    /// The repair is computed outside the write transaction; an organiser who locks a meeting of the published version
    /// meanwhile must not be overwritten silently: the repair answers 409 and saves nothing.
    /// </summary>
    [Fact]
    public async Task A_repair_answers_409_when_the_published_timetable_is_edited_while_it_is_computed()
    {
        var clock = new EditDuringRepairClock();
        await using var expo = await Requests.SmallExpo.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        await expo.PublishTimetableAsync();
        var grid = await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/timetable");
        var meetingId = grid.GetProperty("meetings")[0].GetProperty("meetingId").GetInt64();
        clock.Edit = () =>
        {
            using var organiser = expo.Host.CreateClient(); // the organiser on another tab locks a meeting while the repair runs
            organiser.PutAsJsonAsync($"/api/events/busan-test/timetable/meetings/{meetingId}/lock", new { locked = true })
                .GetAwaiter().GetResult().StatusCode.Should().Be(HttpStatusCode.OK);
        };

        var repair = await expo.Organiser.PostAsJsonAsync("/api/events/busan-test/timetable/repairs", new { changes = new[] { new { kind = "now", slot = "D1-02" } } });

        clock.Edited.Should().BeTrue("the edit ran while the repair was computed");
        repair.StatusCode.Should().Be(HttpStatusCode.Conflict, await repair.Content.ReadAsStringAsync());
        (await repair.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("changes");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM timetables")).Should().Be(1, "nothing was saved");
        (await expo.Organiser.PostAsJsonAsync("/api/events/busan-test/timetable/repairs", new { changes = new[] { new { kind = "now", slot = "D1-02" } } }))
            .StatusCode.Should().Be(HttpStatusCode.Created, "repeated on the edited timetable, it goes through");
    }

    /// <summary>The system clock, which runs <see cref="Edit"/> once, from inside the repair (the first time it reads the clock).</summary>
    sealed class EditDuringRepairClock : TimeProvider
    {
        public Action? Edit { get; set; }
        public bool Edited { get; private set; }

        public override long GetTimestamp()
        {
            if (Edit is { } edit && !Edited && new System.Diagnostics.StackTrace().ToString().Contains(nameof(Core.Scheduling.ScheduleRepair)))
            {
                Edited = true;
                edit();
            }
            return base.GetTimestamp();
        }
    }

    /// <summary>Regression: the grid named "version − 1" as the base of every version, not the version it was built from.</summary>
    [Fact]
    public async Task A_repair_draft_names_the_published_version_it_repairs_even_when_a_newer_draft_exists()
    {
        await using var expo = await Requests.SmallExpo.StartAsync();
        await expo.PublishTimetableAsync();                                   // v1, published
        var build = await expo.Organiser.PostAsync("/api/events/busan-test/timetable", null); // v2, a draft nobody publishes
        await ExpoFixtures.WaitForJobAsync(expo.Organiser, (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);

        var repair = await expo.Organiser.PostAsJsonAsync("/api/events/busan-test/timetable/repairs", new { changes = new[] { new { kind = "now", slot = "D1-02" } } });
        repair.StatusCode.Should().Be(HttpStatusCode.Created);

        var grid = await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/timetable");
        grid.GetProperty("version").GetInt32().Should().Be(3);
        grid.GetProperty("basedOnVersion").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task The_event_says_whether_its_request_window_is_open()
    {
        await using var expo = await Requests.SmallExpo.StartAsync();
        (await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test")).GetProperty("requestsOpen").GetBoolean().Should().BeTrue();
        await expo.Organiser.PutAsJsonAsync("/api/events/busan-test/request-window", new { open = false });
        (await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test")).GetProperty("requestsOpen").GetBoolean().Should().BeFalse();
    }
}
