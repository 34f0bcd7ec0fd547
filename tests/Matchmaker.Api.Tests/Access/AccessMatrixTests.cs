using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Matchmaker.Api.Tests.Requests;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Access;

/// <summary>
/// Every endpoint tried with a token of the wrong participant, of the wrong role and of the wrong event: refused,
/// nothing of the owner's in the answer, nothing written. One rule for the status (issue 10 item 7): 403 when the
/// token's role may never call the operation (which says nothing about any id); 404 for anything of a particular
/// participant, event, job or token that is not the caller's, exactly as if it did not exist.
/// </summary>
public class AccessMatrixTests
{
    /// <summary>Both stores: the matrix runs over SQLite and over PostgreSQL.</summary>
    public static TheoryData<string> Stores => new() { Matchmaker.Core.Storage.StoreOptions.Sqlite, Matchmaker.Core.Storage.StoreOptions.Postgres };

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Wrong_participants_and_wrong_roles_are_refused_everywhere_and_nothing_is_written(string store)
    {
        await using var expo = await SmallExpo.StartAsync(smes: 2, store: store);
        await expo.PublishTimetableAsync();
        var (owner, other) = (expo.Smes[0], expo.Smes[1]);
        using var ownerSme = await expo.AsAsync("sme", owner);
        await Scenario.ExpoDayScenarioTests.WaitForRecommendationsAsync(ownerSme, owner); // scored: matches exist to leak
        var requestId = await expo.RequestAsync(ownerSme, owner, expo.Khnp, "비밀 제안서");
        var meetingId = await expo.ScalarAsync<long>("SELECT id FROM meetings WHERE buyer_id = @Posco AND status = 'scheduled' LIMIT 1", new { expo.Posco });
        // The publish and the request above wrote notifications, which carry participants' addresses: organisers only.
        var notificationId = await expo.ScalarAsync<long>("SELECT id FROM notifications ORDER BY id LIMIT 1");
        var before = await expo.ScalarAsync<string>(
            "SELECT (SELECT string_agg(state, ',' ORDER BY id) FROM introduction_requests) || '|' || (SELECT string_agg(status, ',' ORDER BY id) FROM meetings) || '|' || (SELECT COUNT(*) FROM interactions)");
        using var otherSme = await expo.AsAsync("sme", other);
        using var posco = await expo.AsAsync("buyer", expo.Posco);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);
        var analystToken = (await (await expo.Organiser.PostAsJsonAsync("/api/events/busan-test/tokens", new { role = "analyst" })).Content
            .ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString();
        using var analyst = expo.Host.CreateClientWithToken(analystToken);
        var e = "/api/events/busan-test";

        // (caller, method, url, body): each must be refused.
        var attempts = new List<(string Who, HttpClient Client, HttpMethod Method, string Url, object? Body)>
        {
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/requests", null),
            ("other SME", otherSme, HttpMethod.Post, $"{e}/smes/{owner}/requests", new { buyerId = expo.Posco }),
            ("other SME", otherSme, HttpMethod.Post, $"{e}/smes/{owner}/requests/{requestId}/withdraw", null),
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/recommendations", null),
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/matches", null),
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/itinerary", null),
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/itinerary.ics", null),
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/itinerary.html", null),
            ("SME as buyer", ownerSme, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/requests", null),
            ("SME as buyer", ownerSme, HttpMethod.Post, $"{e}/buyers/{expo.Khnp}/requests/{requestId}/accept", new { }),
            ("SME as buyer", ownerSme, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/agenda", null),
            ("SME as buyer", ownerSme, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/matches", null),
            ("SME as buyer", ownerSme, HttpMethod.Post, $"{e}/meetings/{meetingId}/outcome", new { status = "held", rating = 5 }),
            ("other buyer", posco, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/requests", null),
            ("other buyer", posco, HttpMethod.Post, $"{e}/buyers/{expo.Khnp}/requests/{requestId}/accept", new { }),
            ("other buyer", posco, HttpMethod.Post, $"{e}/buyers/{expo.Posco}/requests/{requestId}/decline", new { reason = "x" }),
            ("other buyer", posco, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/agenda", null),
            ("other buyer", posco, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/agenda.ics", null),
            ("other buyer", khnp, HttpMethod.Post, $"{e}/meetings/{meetingId}/outcome", new { status = "no_show" }),
            ("buyer as SME", khnp, HttpMethod.Get, $"{e}/smes/{owner}/requests", null),
            ("buyer as SME", khnp, HttpMethod.Get, $"{e}/smes/{owner}/itinerary", null),
            ("buyer as organiser", khnp, HttpMethod.Post, $"{e}/timetable", null),
            ("buyer as organiser", khnp, HttpMethod.Get, $"{e}/timetable", null),
            ("buyer as organiser", khnp, HttpMethod.Post, $"{e}/timetable/repairs", new { changes = new[] { new { kind = "now", slot = "D1-02" } } }),
            ("buyer as organiser", khnp, HttpMethod.Get, $"{e}/report", null),
            ("buyer as organiser", khnp, HttpMethod.Get, $"{e}/timetable/export.csv", null),
            ("SME as organiser", ownerSme, HttpMethod.Put, $"{e}/request-window", new { open = false }),
            ("SME as organiser", ownerSme, HttpMethod.Put, e, new { eventId = "busan-test", name = "x", days = Array.Empty<object>() }),
            ("SME as analyst", ownerSme, HttpMethod.Post, "/api/weight-profiles", new { name = "mine" }),
            ("SME as analyst", ownerSme, HttpMethod.Post, $"{e}/rescoring", null),
            ("SME as analyst", ownerSme, HttpMethod.Get, $"{e}/scores/distribution", null),
            ("analyst as SME", analyst, HttpMethod.Get, $"{e}/smes/{owner}/requests", null),
            ("analyst as SME", analyst, HttpMethod.Post, $"{e}/smes/{owner}/requests", new { buyerId = expo.Posco }),
            ("analyst as buyer", analyst, HttpMethod.Post, $"{e}/buyers/{expo.Khnp}/requests/{requestId}/accept", new { }),
            ("analyst as organiser", analyst, HttpMethod.Post, $"{e}/timetable/publish", null),
            ("analyst as organiser", analyst, HttpMethod.Post, $"{e}/tokens", new { role = "sme", smeId = owner }),
            ("SME as organiser", ownerSme, HttpMethod.Get, $"{e}/notifications", null),
            ("buyer as organiser", khnp, HttpMethod.Get, $"{e}/notifications", null),
            ("analyst as organiser", analyst, HttpMethod.Get, $"{e}/notifications", null),
            ("SME as organiser", ownerSme, HttpMethod.Post, $"{e}/notifications/{notificationId}/send-again", null),
            // Contacts, language and opt-out: the participant itself and organisers only.
            ("other SME", otherSme, HttpMethod.Get, $"{e}/smes/{owner}/profile", null),
            ("other SME", otherSme, HttpMethod.Put, $"{e}/smes/{owner}/contact", new { email = "x@example.com" }),
            ("buyer as SME", khnp, HttpMethod.Get, $"{e}/smes/{owner}/profile", null),
            ("analyst as SME", analyst, HttpMethod.Get, $"{e}/smes/{owner}/profile", null),
            ("SME as buyer", ownerSme, HttpMethod.Get, $"{e}/buyers/{expo.Khnp}/profile", null),
            ("other buyer", posco, HttpMethod.Put, $"{e}/buyers/{expo.Khnp}/contact", new { email = "x@example.com" }),
            ("SME as organiser", ownerSme, HttpMethod.Get, $"{e}/contacts", null),
            ("buyer as organiser", khnp, HttpMethod.Get, $"{e}/contacts", null),
            ("analyst as organiser", analyst, HttpMethod.Get, $"{e}/contacts", null),
            ("buyer as organiser", khnp, HttpMethod.Post, $"{e}/notifications/{notificationId}/send-again", null),
        };

        foreach (var (who, client, method, url, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await client.SendAsync(request);
            // A role that may never do this: 403. Someone else's participant, meeting or request: 404, as if there were none.
            var expected = who.EndsWith("as organiser", StringComparison.Ordinal) || who == "SME as analyst" ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
            response.StatusCode.Should().Be(expected, $"{who}: {method} {url}");
            (await response.Content.ReadAsStringAsync()).Should().NotContain("비밀 제안서", $"{who}: {method} {url} leaks the owner's pitch");
        }

        var after = await expo.ScalarAsync<string>(
            "SELECT (SELECT string_agg(state, ',' ORDER BY id) FROM introduction_requests) || '|' || (SELECT string_agg(status, ',' ORDER BY id) FROM meetings) || '|' || (SELECT COUNT(*) FROM interactions)");
        after.Should().Be(before, "no refused call wrote anything");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM weight_profiles WHERE name = 'mine'")).Should().Be(0);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM timetables")).Should().Be(1);
    }

    /// <summary>
    /// Issue 10 items 2, 4 and 7: two events, an organiser and participants of each, an analyst of the first, and the
    /// administrator. Every operation of the OpenAPI document that names an event, a job or a token is called with every
    /// staff and participant token on the other event's real ids: each answer is exactly the answer for ids that do not
    /// exist (403 only where the role may never call it, else 404), carries nothing of the other event, and the other
    /// event's data is unchanged. Then the lists, the global endpoints and the administrator's own work.
    /// </summary>
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Tokens_of_one_event_reach_nothing_of_another_and_organisers_see_only_their_granted_events(string store)
    {
        await using var expo = await SmallExpo.StartAsync(smes: 2, store: store);
        var admin = expo.Organiser; // the configured token: the administrator
        await expo.PublishTimetableAsync();
        var (a, b) = ("busan-test", "daegu-test");
        await CreateEventAsync(admin, b);
        await ImportAsync(admin, b, "buyers", Encoding.UTF8.GetBytes(BuyersCsv));
        await ImportAsync(admin, b, "demands", Encoding.UTF8.GetBytes(DemandsCsv));
        var importB = await ImportAsync(admin, b, "smes", Encoding.UTF8.GetBytes(SmesCsv(2, firstSeed: 500)));
        (await admin.PutAsJsonAsync($"/api/events/{b}/request-window", new { open = true })).EnsureSuccessStatusCode();
        var build = await admin.PostAsync($"/api/events/{b}/timetable", null);
        (await WaitForJobAsync(admin, (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!)).GetProperty("state").GetString().Should().Be("succeeded");
        (await admin.PostAsync($"/api/events/{b}/timetable/publish", null)).EnsureSuccessStatusCode();

        // Accounts: an organiser of each event, an analyst account of the first; their tokens by the administrator.
        async Task<(long AccountId, HttpClient Client)> AccountAsync(string name, string role, string eventId)
        {
            var created = await admin.PostAsJsonAsync("/api/accounts", new { name, role, email = $"{role}@example.kr" });
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var accountId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetInt64();
            (await admin.PutAsync($"/api/accounts/{accountId}/events/{eventId}", null)).StatusCode.Should().Be(HttpStatusCode.NoContent);
            var issued = await admin.PostAsJsonAsync($"/api/accounts/{accountId}/tokens", new { label = name });
            issued.StatusCode.Should().Be(HttpStatusCode.Created);
            var signIn = await issued.Content.ReadFromJsonAsync<JsonElement>();
            signIn.GetProperty("signInLink").GetString().Should().Contain("/login?token=");
            return (accountId, expo.Host.CreateClientWithToken(signIn.GetProperty("token").GetString()));
        }
        var (organiserAId, organiserA) = await AccountAsync("부산시 주최자", "organiser", a);
        var (organiserBId, organiserB) = await AccountAsync("대구시 주최자", "organiser", b);
        var (_, analystA) = await AccountAsync("부산 분석가", "analyst", a);
        using var _1 = organiserA; using var _2 = organiserB; using var _3 = analystA;

        // Participants of each event, issued by each event's own organiser.
        async Task<(HttpClient Client, long TokenId)> ParticipantAsync(HttpClient organiser, string eventId, string role, long? smeId, long? buyerId)
        {
            var issued = await organiser.PostAsJsonAsync($"/api/events/{eventId}/tokens", new { role, smeId, buyerId });
            issued.StatusCode.Should().Be(HttpStatusCode.Created, await issued.Content.ReadAsStringAsync());
            var body = await issued.Content.ReadFromJsonAsync<JsonElement>();
            return (expo.Host.CreateClientWithToken(body.GetProperty("token").GetString()), body.GetProperty("tokenId").GetInt64());
        }
        async Task<(long Sme, long OtherSme, long Buyer)> IdsAsync(string eventId)
        {
            var smes = (await admin.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/smes")).GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).Order().ToArray();
            var buyer = (await admin.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/buyers")).EnumerateArray().First(x => x.GetProperty("buyerId").GetString() == "B-KHNP").GetProperty("id").GetInt64();
            return (smes[0], smes[1], buyer);
        }
        var idsA = await IdsAsync(a);
        var idsB = await IdsAsync(b);
        idsB.Sme.Should().NotBe(idsA.Sme);
        var (smeA, _) = await ParticipantAsync(organiserA, a, "sme", idsA.Sme, null);
        var (buyerA, _) = await ParticipantAsync(organiserA, a, "buyer", null, idsA.Buyer);
        var (eventAnalystA, _) = await ParticipantAsync(organiserA, a, "analyst", null, null);
        var (smeB, smeBTokenId) = await ParticipantAsync(organiserB, b, "sme", idsB.Sme, null);
        var (buyerB, _) = await ParticipantAsync(organiserB, b, "buyer", null, idsB.Buyer);
        using var _4 = smeA; using var _5 = buyerA; using var _6 = eventAnalystA; using var _7 = smeB; using var _8 = buyerB;
        var requestA = await expo.RequestAsync(smeA, idsA.Sme, idsA.Buyer, "부산 비밀 제안서");
        var askedB = await smeB.PostAsJsonAsync($"/api/events/{b}/smes/{idsB.Sme}/requests", new { buyerId = idsB.Buyer, priority = 1, pitch = "대구 비밀 제안서" });
        askedB.StatusCode.Should().Be(HttpStatusCode.Created, await askedB.Content.ReadAsStringAsync());
        var requestB = (await askedB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetInt64();

        // Each event's real ids, for calling one event's operations with the other's.
        async Task<Dictionary<string, string>> RealIdsAsync(string eventId, (long Sme, long OtherSme, long Buyer) ids, long requestId, string jobId, long tokenId, long accountId)
        {
            var eventDbId = await expo.ScalarAsync<long>("SELECT id FROM events WHERE event_id = @eventId", new { eventId });
            return new()
            {
                ["eventId"] = eventId, ["smeId"] = ids.Sme.ToString(CultureInfo.InvariantCulture), ["buyerId"] = ids.Buyer.ToString(CultureInfo.InvariantCulture),
                ["requestId"] = requestId.ToString(CultureInfo.InvariantCulture), ["jobId"] = jobId, ["tokenId"] = tokenId.ToString(CultureInfo.InvariantCulture),
                ["accountId"] = accountId.ToString(CultureInfo.InvariantCulture),
                ["meetingId"] = (await expo.ScalarAsync<long>("SELECT COALESCE(MAX(id), 999999) FROM meetings WHERE event_id = @eventDbId", new { eventDbId })).ToString(CultureInfo.InvariantCulture),
                ["notificationId"] = (await expo.ScalarAsync<long>("SELECT COALESCE(MAX(id), 999999) FROM notifications WHERE event_id = @eventDbId", new { eventDbId })).ToString(CultureInfo.InvariantCulture),
            };
        }
        var importA = await expo.ScalarAsync<string>("SELECT id FROM jobs WHERE event_id = (SELECT id FROM events WHERE event_id = @a) ORDER BY created_at LIMIT 1", new { a });
        var (_, smeATokenId) = await ParticipantAsync(organiserA, a, "sme", idsA.OtherSme, null);
        var realA = await RealIdsAsync(a, idsA, requestA, importA, smeATokenId, organiserAId);
        var realB = await RealIdsAsync(b, idsB, requestB, importB.GetProperty("jobId").GetString()!, smeBTokenId, organiserBId);
        var unknown = new Dictionary<string, string>
        {
            ["eventId"] = "no-such-event", ["jobId"] = "no-such-job", ["smeId"] = "999999", ["buyerId"] = "999999", ["requestId"] = "999999",
            ["tokenId"] = "999999", ["accountId"] = "999999", ["meetingId"] = "999999", ["notificationId"] = "999999",
        };

        using var anonymous = expo.Host.CreateClientWithToken(null);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.Contains("{eventId}", StringComparison.Ordinal) || p.Name.Contains("{jobId}", StringComparison.Ordinal) || p.Name.Contains("{tokenId}", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Method: o.Name.ToUpperInvariant(), Path: p.Name,
                Body: o.Value.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().First().Name : null)))
            .ToList();
        operations.Should().HaveCountGreaterThan(40, "the walk covers every operation of an event");

        var before = (A: await SnapshotAsync(expo, a), B: await SnapshotAsync(expo, b));
        var sides = new[]
        {
            (Event: a, Other: realB, Secret: "대구 비밀 제안서", Tokens: new (string, HttpClient)[] { ("organiser of A", organiserA), ("analyst account of A", analystA),
                ("analyst token of A", eventAnalystA), ("SME of A", smeA), ("buyer of A", buyerA) }),
            (Event: b, Other: realA, Secret: "부산 비밀 제안서", Tokens: new (string, HttpClient)[] { ("organiser of B", organiserB), ("SME of B", smeB), ("buyer of B", buyerB) }),
        };
        var calls = 0;
        foreach (var side in sides)
        foreach (var (who, client) in side.Tokens)
        foreach (var (method, path, bodyType) in operations)
        {
            var other = await CallAsync(client, method, Fill(path, side.Other), bodyType);
            var none = await CallAsync(client, method, Fill(path, unknown), bodyType);
            calls++;
            var what = $"{who}: {method} {Fill(path, side.Other)} answered {other.Status} {other.Body}";
            other.Status.Should().BeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], what);
            other.Status.Should().Be(none.Status, $"{what}; another event's ids must be answered like ids that do not exist");
            other.Field.Should().Be(none.Field, what);
            other.Body.Should().NotContain(side.Secret, what);
        }
        calls.Should().BeGreaterThan(300);
        (await SnapshotAsync(expo, a)).Should().Be(before.A, "no token of event B changed anything of event A");
        (await SnapshotAsync(expo, b)).Should().Be(before.B, "no token of event A changed anything of event B");

        // Within its own event, an organiser naming the other event's participants, meetings or requests gets what it
        // gets for ids that do not exist: it can neither read them nor act for them.
        // (The buyers are the same companies in both events, so their ids are left out: a buyer of both is a buyer of A.)
        var participantIds = new[] { "smeId", "buyerId", "meetingId", "requestId", "notificationId" }.Where(k => realA[k] != realB[k]).ToArray();
        participantIds.Should().Contain(["smeId", "meetingId", "requestId"]);
        var foreignInA = new Dictionary<string, string>(realA);
        var unknownInA = new Dictionary<string, string>(realA);
        foreach (var key in participantIds) (foreignInA[key], unknownInA[key]) = (realB[key], unknown[key]);
        foreach (var (method, path, bodyType) in operations.Where(o => o.Path.Contains("{eventId}", StringComparison.Ordinal)
                     && participantIds.Any(k => o.Path.Contains($"{{{k}}}", StringComparison.Ordinal))))
        {
            var foreign = await CallAsync(organiserA, method, Fill(path, foreignInA), bodyType);
            var none = await CallAsync(organiserA, method, Fill(path, unknownInA), bodyType);
            var what = $"organiser of A: {method} {Fill(path, foreignInA)} answered {foreign.Status} {foreign.Body}";
            foreign.Status.Should().Be(none.Status, what);
            foreign.Field.Should().Be(none.Field, what);
            foreign.Body.Should().NotContain("부산정밀50", $"{what} names an SME of event B").And.NotContain("대구 비밀 제안서", what);
        }
        var actForForeignSme = await organiserA.PostAsJsonAsync($"/api/events/{a}/smes/{idsB.Sme}/requests", new { buyerId = idsA.Buyer, pitch = "남의 행사 기업" });
        actForForeignSme.StatusCode.Should().Be(HttpStatusCode.NotFound, "an organiser acts only for the SMEs of its event");
        (await actForForeignSme.Content.ReadAsStringAsync()).Should().NotContain("부산정밀50");
        (await SnapshotAsync(expo, a)).Should().Be(before.A, "nothing of event A was written for event B's participants");
        (await SnapshotAsync(expo, b)).Should().Be(before.B);

        // Lists hold only what the token may see; the administrator sees both events.
        async Task<string[]> EventsOf(HttpClient client) =>
            (await client.GetFromJsonAsync<JsonElement>("/api/events")).EnumerateArray().Select(e => e.GetProperty("eventId").GetString()!).Order().ToArray();
        (await EventsOf(admin)).Should().Equal(a, b);
        (await EventsOf(organiserA)).Should().Equal(a);
        (await EventsOf(organiserB)).Should().Equal(b);
        (await EventsOf(analystA)).Should().Equal(a);
        (await EventsOf(smeB)).Should().Equal(b);
        (await EventsOf(buyerA)).Should().Equal(a);

        // Within its event an SME sees itself only among SMEs, buyers' public profiles and demands; a buyer no business numbers.
        var smesSeenBySme = await smeA.GetFromJsonAsync<JsonElement>($"/api/events/{a}/smes");
        smesSeenBySme.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()).Should().Equal(idsA.Sme);
        smesSeenBySme.GetProperty("total").GetInt32().Should().Be(1);
        var buyersSeenBySme = await smeA.GetFromJsonAsync<JsonElement>($"/api/events/{a}/buyers");
        buyersSeenBySme.EnumerateArray().Should().HaveCount(2);
        buyersSeenBySme.EnumerateArray().SelectMany(x => x.GetProperty("demands").EnumerateArray()).Should().NotBeEmpty();
        var smesSeenByBuyer = await buyerA.GetFromJsonAsync<JsonElement>($"/api/events/{a}/smes");
        smesSeenByBuyer.GetProperty("total").GetInt32().Should().Be(2);
        smesSeenByBuyer.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("businessNumber").ValueKind).Should().AllSatisfy(k => k.Should().Be(JsonValueKind.Null));
        await Scenario.ExpoDayScenarioTests.WaitForRecommendationsAsync(smeA, idsA.Sme);
        var buyerMatches = await buyerA.GetFromJsonAsync<JsonElement>($"/api/events/{a}/buyers/{idsA.Buyer}/matches");
        buyerMatches.GetProperty("items").EnumerateArray().Should().NotBeEmpty().And
            .AllSatisfy(m => m.GetProperty("key").ValueKind.Should().Be(JsonValueKind.Null, "a buyer's matches carry no business numbers"));
        (await organiserA.GetFromJsonAsync<JsonElement>($"/api/events/{a}/buyers/{idsA.Buyer}/matches")).GetProperty("items")[0].GetProperty("key").GetString()
            .Should().HaveLength(10, "staff see the business number");

        // Global things: weight profiles are a shared catalogue of settings (no event's data), readable by staff;
        // retraining the recommender (it learns from and scores every event) is the administrator's alone.
        (await organiserA.GetAsync("/api/weight-profiles")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await organiserA.PostAsync("/api/recommender/training", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await analystA.PostAsync("/api/recommender/training", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var replayOther = await analystA.PostAsJsonAsync("/api/evaluations", new { eventIds = new[] { b } });
        var replayNone = await analystA.PostAsJsonAsync("/api/evaluations", new { eventIds = new[] { "no-such-event" } });
        replayOther.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var (otherProblem, noneProblem) = (await replayOther.Content.ReadFromJsonAsync<JsonElement>(), await replayNone.Content.ReadFromJsonAsync<JsonElement>());
        otherProblem.GetProperty("detail").GetString().Should().Be(noneProblem.GetProperty("detail").GetString()!.Replace("no-such-event", b, StringComparison.Ordinal));
        otherProblem.GetProperty("field").GetString().Should().Be(noneProblem.GetProperty("field").GetString());
        var searchOther = await organiserA.PostAsJsonAsync("/api/weight-searches", new { fitEventIds = new[] { a }, heldOutEventId = b });
        searchOther.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await searchOther.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("heldOutEventId");

        // The administrator's work is its own: accounts, grants and the audit log are 403 to everyone else.
        foreach (var (who, client) in new[] { ("organiser", organiserA), ("analyst", analystA), ("SME", smeA), ("buyer", buyerB) })
        {
            (await client.GetAsync("/api/accounts")).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
            (await client.GetAsync("/api/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
            (await client.PostAsJsonAsync("/api/accounts", new { name = "몰래" })).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
            (await client.PutAsync($"/api/accounts/{organiserAId}/events/{b}", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
            (await client.PostAsJsonAsync($"/api/accounts/{organiserAId}/tokens", new { })).StatusCode.Should().Be(HttpStatusCode.Forbidden, who);
        }
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM event_grants")).Should().Be(3, "no refused call granted anything");

        // An organiser that creates an event runs it; the other organiser cannot reach it.
        var created = await organiserA.PostAsJsonAsync("/api/events", new
        {
            eventId = "busan-autumn", name = "부산 가을 상담회",
            days = new[] { new { date = "2026-10-20", windows = new[] { new { start = "10:00", end = "12:00" } }, breaks = Array.Empty<object>() } },
        });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await EventsOf(organiserA)).Should().Equal("busan-autumn", a);
        (await organiserB.GetAsync("/api/events/busan-autumn")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await organiserA.GetAsync($"/api/events/{a}/timetable")).StatusCode.Should().Be(HttpStatusCode.OK);

        // A grant taken back applies at once.
        (await admin.DeleteAsync($"/api/accounts/{organiserBId}/events/{b}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await organiserB.GetAsync($"/api/events/{b}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await EventsOf(organiserB)).Should().BeEmpty();

        // The audit log: who, when, what, which event; filtered by event for the administrator.
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?eventId={a}&pageSize=200");
        var entries = audit.GetProperty("items").EnumerateArray().ToList();
        entries.Should().OnlyContain(x => x.GetProperty("eventId").GetString() == a);
        entries.Should().Contain(x => x.GetProperty("action").GetString() == "IssueToken" && x.GetProperty("accountName").GetString() == "부산시 주최자"
            && x.GetProperty("role").GetString() == "organiser");
        entries.Should().Contain(x => x.GetProperty("action").GetString() == "GrantEvent" && x.GetProperty("role").GetString() == "administrator");
        entries.Should().Contain(x => x.GetProperty("action").GetString() == "PublishTimetable");
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/audit?pageSize=200");
        all.GetProperty("items").EnumerateArray().Should().Contain(x => x.GetProperty("action").GetString() == "CreateEvent"
            && x.GetProperty("eventId").GetString() == "busan-autumn" && x.GetProperty("accountName").GetString() == "부산시 주최자");
        all.GetProperty("items").EnumerateArray().Should().Contain(x => x.GetProperty("action").GetString() == "RevokeEvent" && x.GetProperty("eventId").GetString() == b);
        all.GetProperty("items").EnumerateArray().Should().NotContain(x => x.GetProperty("role").GetString() == "sme", "participants' own requests are not staff actions");
    }

    static string Fill(string path, IReadOnlyDictionary<string, string> ids) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m => Uri.EscapeDataString(ids.GetValueOrDefault(m.Groups[1].Value, "1")));

    /// <summary>Calls an operation with a body of the media type it takes (an empty object or form): the answer turns on the ids alone.</summary>
    static async Task<(HttpStatusCode Status, string? Field, string Body)> CallAsync(HttpClient client, string method, string url, string? bodyType)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url)
        {
            Content = bodyType switch
            {
                null => null,
                "multipart/form-data" => Upload(Encoding.UTF8.GetBytes(SmesCsv(1, 900)), "smes.csv", "smes"),
                _ => new StringContent("{}", Encoding.UTF8, bodyType),
            },
        };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        string? field = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            && JsonDocument.Parse(body).RootElement.TryGetProperty("field", out var f)) field = f.GetString();
        return (response.StatusCode, field, body);
    }

    /// <summary>Everything an event holds that a call could change, as one string (the background jobs done first). SQL
    /// spelled alike on both stores (string_agg with an order), one query per part.</summary>
    static async Task<string> SnapshotAsync(SmallExpo expo, string eventId)
    {
        for (var i = 0; i < 600 && await expo.ScalarAsync<long>("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')") > 0; i++) await Task.Delay(50);
        const string E = "(SELECT id FROM events WHERE event_id = @eventId)";
        string[] parts =
        [
            $"SELECT name || '|' || COALESCE(venue, '') || '|' || days_json || '|' || halls_json || '|' || CAST(requests_open AS text) || '|' || max_open_requests_per_sme || '|' || CAST(updated_at AS text) FROM events WHERE id = {E}",
            $"SELECT string_agg(code, ',' ORDER BY code) FROM slots WHERE event_id = {E}",
            $"SELECT string_agg(buyer_id || ':' || meeting_cap || ':' || tables, ',' ORDER BY buyer_id) FROM event_buyers WHERE event_id = {E}",
            $"SELECT string_agg(sme_id || ':' || meeting_cap, ',' ORDER BY sme_id) FROM event_smes WHERE event_id = {E}",
            $"SELECT string_agg(demand_id || ':' || title, ',' ORDER BY demand_id) FROM demands WHERE event_id = {E}",
            $"SELECT string_agg(id || ':' || state || ':' || priority, ',' ORDER BY id) FROM introduction_requests WHERE event_id = {E}",
            $"SELECT string_agg(id || ':' || status || ':' || slot_id || ':' || table_no, ',' ORDER BY id) FROM meetings WHERE event_id = {E}",
            $"SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM timetables WHERE event_id = {E}",
            $"SELECT CAST(COUNT(*) AS text) FROM jobs WHERE event_id = {E}",
            $"SELECT string_agg(id || ':' || COALESCE(CAST(revoked_at AS text), ''), ',' ORDER BY id) FROM access_tokens WHERE event_id = {E}",
            $"SELECT string_agg(CAST(profile_id AS text), ',' ORDER BY profile_id) FROM event_weight_profiles WHERE event_id = {E}",
            $"SELECT CAST(COUNT(*) AS text) FROM interactions WHERE event_id = {E}",
        ];
        var snapshot = new List<string>();
        foreach (var part in parts) snapshot.Add(await expo.ScalarAsync<string?>(part, new { eventId }) ?? "");
        return string.Join(" ‖ ", snapshot);
    }
}
