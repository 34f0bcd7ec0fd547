using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Matchmaker.Core.Storage;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Requests;

/// <summary>The small test expo (포스코 with 2 tables, 한국수력원자력 with 1) with SMEs, tokens and an open request window.</summary>
public sealed class SmallExpo : IAsyncDisposable
{
    public required MatchmakerHost Host { get; init; }
    public required HttpClient Organiser { get; init; }
    public required long Posco { get; init; }
    public required long Khnp { get; init; }
    public required long[] Smes { get; init; }

    /// <summary>Set when the expo made its own PostgreSQL database (<c>store: "postgres"</c>); dropped with the expo.</summary>
    Matchmaker.Tests.Postgres.TestPostgresDatabase? OwnDatabase { get; init; }

    /// <param name="store">"postgres": on a fresh database of the test run's cluster (for tests run on both stores).</param>
    public static async Task<SmallExpo> StartAsync(int smes = 3, Action<IServiceCollection>? services = null,
        Matchmaker.Tests.Postgres.TestPostgresDatabase? postgres = null, string? store = null)
    {
        var own = postgres is null && store == StoreOptions.Postgres
            ? await (await Matchmaker.Tests.Postgres.PostgresCluster.SharedAsync()).CreateDatabaseAsync()
            : null;
        var expo = await StartOnAsync(smes, services, postgres ?? own);
        return own is null ? expo : new SmallExpo
        {
            Host = expo.Host, Organiser = expo.Organiser, Posco = expo.Posco, Khnp = expo.Khnp, Smes = expo.Smes, OwnDatabase = own,
        };
    }

    static async Task<SmallExpo> StartOnAsync(int smes, Action<IServiceCollection>? services, Matchmaker.Tests.Postgres.TestPostgresDatabase? postgres)
    {
        var host = new MatchmakerHost(services: services, postgres: postgres);
        var organiser = host.CreateClient();
        await CreateEventAsync(organiser);
        await ImportAsync(organiser, "busan-test", "buyers", Encoding.UTF8.GetBytes(BuyersCsv));
        await ImportAsync(organiser, "busan-test", "demands", Encoding.UTF8.GetBytes(DemandsCsv));
        await ImportAsync(organiser, "busan-test", "smes", Encoding.UTF8.GetBytes(SmesCsv(smes)));
        var buyers = await organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/buyers");
        long Buyer(string id) => buyers.EnumerateArray().Single(b => b.GetProperty("buyerId").GetString() == id).GetProperty("id").GetInt64();
        var smeIds = (await organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes")).GetProperty("items").EnumerateArray()
            .Select(s => s.GetProperty("id").GetInt64()).Order().ToArray();
        (await organiser.PutAsJsonAsync("/api/events/busan-test/request-window", new { open = true })).EnsureSuccessStatusCode();
        return new SmallExpo { Host = host, Organiser = organiser, Posco = Buyer("B-POSCO"), Khnp = Buyer("B-KHNP"), Smes = smeIds };
    }

    /// <summary>A client of <paramref name="on"/> (default: this expo's host; another API process on the same store) acting
    /// as the participant, with a token of its own.</summary>
    public async Task<HttpClient> AsAsync(string role, long id, MatchmakerHost? on = null) =>
        (on ?? Host).CreateClientWithToken((await IssueTokenAsync(role, id)).Token);

    public async Task<(long TokenId, string Token)> IssueTokenAsync(string role, long id)
    {
        var response = await Organiser.PostAsJsonAsync("/api/events/busan-test/tokens", role == "sme" ? new { role, smeId = (long?)id, buyerId = (long?)null } : new { role, smeId = (long?)null, buyerId = (long?)id });
        response.EnsureSuccessStatusCode();
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (issued.GetProperty("tokenId").GetInt64(), issued.GetProperty("token").GetString()!);
    }

    public async Task<long> RequestAsync(HttpClient sme, long smeId, long buyerId, string pitch = "금형 전문기업입니다")
    {
        var response = await sme.PostAsJsonAsync($"/api/events/busan-test/smes/{smeId}/requests", new { buyerId, priority = 1, pitch });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetInt64();
    }

    /// <summary>A slot in which none of the given SMEs has a meeting.</summary>
    public async Task<string> FreeSlotAsync(params long[] smes)
    {
        await using var connection = await Host.OpenStoreAsync();
        return (await connection.ExecuteScalarAsync<string>($"""
            SELECT code FROM slots WHERE id NOT IN (SELECT slot_id FROM meetings WHERE status <> 'cancelled' AND {connection.In("sme_id", "@smes")})
            ORDER BY local_start LIMIT 1
            """, new { smes }))!;
    }

    /// <summary>Builds and publishes the timetable (the SMEs' codes fit 포스코's demand; 한국수력원자력 gets no meeting).</summary>
    public async Task PublishTimetableAsync()
    {
        var build = await Organiser.PostAsync("/api/events/busan-test/timetable", null);
        var job = await WaitForJobAsync(Organiser, (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!);
        job.GetProperty("state").GetString().Should().Be("succeeded");
        (await Organiser.PostAsync("/api/events/busan-test/timetable/publish", null)).EnsureSuccessStatusCode();
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Host.OpenStoreAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    public async ValueTask DisposeAsync()
    {
        Organiser.Dispose();
        await Host.DisposeAsync();
        if (OwnDatabase is not null) await OwnDatabase.DisposeAsync();
    }
}

public class RequestFlowTests
{
    [Fact]
    public async Task An_SME_requests_an_introduction_and_the_buyer_accepts_it()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);

        var requestId = await expo.RequestAsync(sme, expo.Smes[0], expo.Khnp, "원전 밸브 주조 부품 국산화 경험이 있습니다");

        var inbox = await khnp.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/buyers/{expo.Khnp}/requests?state=pending");
        inbox.EnumerateArray().Single().GetProperty("pitch").GetString().Should().Contain("원전 밸브");
        var accepted = await khnp.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{requestId}/accept", new { });
        accepted.StatusCode.Should().Be(HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        var mine = await sme.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/smes/{expo.Smes[0]}/requests");
        mine.EnumerateArray().Single().GetProperty("state").GetString().Should().Be("accepted");
        (await sme.PostAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests/{requestId}/withdraw", null)).StatusCode
            .Should().Be(HttpStatusCode.Conflict, "an accepted request cannot be withdrawn");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM interactions WHERE kind IN ('requested', 'accepted')")).Should().Be(2);
    }

    [Fact]
    public async Task An_SME_cannot_hold_more_open_requests_than_the_event_allows_or_ask_one_buyer_twice()
    {
        await using var expo = await SmallExpo.StartAsync();
        await expo.ScalarAsync<long>("UPDATE events SET max_open_requests_per_sme = 1 RETURNING 1");
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        await expo.RequestAsync(sme, expo.Smes[0], expo.Posco);

        var twice = await sme.PostAsJsonAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Posco });
        var overCap = await sme.PostAsJsonAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Khnp });

        twice.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("buyerId");
        overCap.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await overCap.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("smeId");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(1);
    }

    [Theory]
    [InlineData("{\"priority\":1}", "buyerId")]
    [InlineData("{\"buyerId\":1,\"priority\":7}", "priority")]
    [InlineData("{\"demandId\":999999}", "demandId")]
    [InlineData("{\"buyerId\":999999}", "buyerId")]
    public async Task Bad_requests_are_refused_naming_the_field_and_nothing_is_written(string body, string field)
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);

        var response = await sme.PostAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be(field);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests")).Should().Be(0);
    }

    [Fact]
    public async Task A_pitch_over_500_characters_is_refused()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);

        var response = await sme.PostAsJsonAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Posco, pitch = new string('금', 501) });

        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("pitch");
    }

    [Fact]
    public async Task Closing_the_window_expires_pending_requests_and_refuses_new_ones()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        await expo.RequestAsync(sme, expo.Smes[0], expo.Posco);

        (await expo.Organiser.PutAsJsonAsync("/api/events/busan-test/request-window", new { open = false })).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await sme.GetFromJsonAsync<JsonElement>($"/api/events/busan-test/smes/{expo.Smes[0]}/requests"))[0].GetProperty("state").GetString().Should().Be("expired");
        (await sme.PostAsJsonAsync($"/api/events/busan-test/smes/{expo.Smes[0]}/requests", new { buyerId = expo.Khnp })).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Participants_never_see_or_change_what_is_not_theirs()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        using var otherSme = await expo.AsAsync("sme", expo.Smes[1]);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);
        using var posco = await expo.AsAsync("buyer", expo.Posco);
        var requestId = await expo.RequestAsync(sme, expo.Smes[0], expo.Khnp);
        var mine = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";

        (await otherSme.GetAsync(mine)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await otherSme.PostAsJsonAsync(mine, new { buyerId = expo.Posco })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await otherSme.PostAsync($"{mine}/{requestId}/withdraw", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await khnp.GetAsync(mine)).StatusCode.Should().Be(HttpStatusCode.NotFound, "a buyer does not read an SME's requests list");
        (await posco.GetAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await posco.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Posco}/requests/{requestId}/accept", new { })).StatusCode
            .Should().Be(HttpStatusCode.NotFound, "the request is addressed to another buyer");
        (await sme.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{requestId}/accept", new { })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await sme.PutAsJsonAsync("/api/events/busan-test/request-window", new { open = false })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await expo.ScalarAsync<string>("SELECT state FROM introduction_requests")).Should().Be("pending", "nothing was written");
        (await expo.ScalarAsync<long>("SELECT requests_open FROM events")).Should().Be(1);
    }

    [Fact]
    public async Task Two_acceptances_racing_for_the_same_table_and_slot_end_with_exactly_one_winner()
    {
        await using var expo = await SmallExpo.StartAsync();
        await TwoAcceptancesRaceForOneTableAsync(expo);
    }

    /// <summary>Two desks of one buyer accept two SMEs into the same last table at once: exactly one wins (on either store;
    /// with <paramref name="secondProcess"/>, the second desk talks to another API process on the same store).</summary>
    internal static async Task TwoAcceptancesRaceForOneTableAsync(SmallExpo expo, MatchmakerHost? secondProcess = null)
    {
        await expo.PublishTimetableAsync();
        using var first = await expo.AsAsync("sme", expo.Smes[0]);
        using var second = await expo.AsAsync("sme", expo.Smes[1]);
        var a = await expo.RequestAsync(first, expo.Smes[0], expo.Khnp);
        var b = await expo.RequestAsync(second, expo.Smes[1], expo.Khnp);
        using var khnpDesk1 = await expo.AsAsync("buyer", expo.Khnp);
        using var khnpDesk2 = await expo.AsAsync("buyer", expo.Khnp, secondProcess);

        var slot = await expo.FreeSlotAsync(expo.Smes[0], expo.Smes[1]);

        var responses = await Task.WhenAll(
            khnpDesk1.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{a}/accept", new { slot }),
            khnpDesk2.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{b}/accept", new { slot }));

        var bodies = string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())));
        responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict], bodies);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM meetings WHERE status = 'scheduled' AND buyer_id = @Khnp", new { expo.Khnp })).Should().Be(1);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM introduction_requests WHERE state = 'accepted'")).Should().Be(1,
            "the loser's acceptance rolled back with its booking");
    }

    [Fact]
    public async Task Two_buyers_booking_one_SME_into_slots_too_close_for_the_walk_between_halls_end_with_exactly_one_winner()
    {
        await using var expo = await SmallExpo.StartAsync(smes: 6);
        await TwoBuyersRaceForAnSmesNextSlotAsync(expo);
    }

    /// <summary>
    /// For each SME in turn (its meetings removed first): 포스코 (hall A) and 한국수력원자력 (hall B, a 10-minute walk away with a
    /// 5-minute changeover) accept its requests at once into two slots one right after the other. No unique index stands
    /// between the two bookings (other buyer, other slot, other table); only the availability rule over the SME's meetings
    /// does, so exactly one winner shows that a booking sees the booking of the same SME committed just before it
    /// (PostgreSQL: the SME's row is locked first).
    /// </summary>
    internal static async Task TwoBuyersRaceForAnSmesNextSlotAsync(SmallExpo expo)
    {
        (await expo.Organiser.PutAsJsonAsync("/api/events/busan-test", new
        {
            eventId = "busan-test", name = "부산 구매상담회 (test)", venue = "BEXCO", slotMinutes = 30, changeoverMinutes = 5,
            days = new[] { new { date = "2026-05-20", windows = new[] { new { start = "10:00", end = "12:00" }, new { start = "13:00", end = "17:00" } }, breaks = Array.Empty<object>() } },
            halls = new[] { "A", "B" },
            travelMinutes = new Dictionary<string, Dictionary<string, int>> { ["A"] = new() { ["B"] = 10 } },
        })).EnsureSuccessStatusCode();
        await expo.PublishTimetableAsync();
        using var posco = await expo.AsAsync("buyer", expo.Posco);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);
        var slots = (await expo.Organiser.GetFromJsonAsync<JsonElement>("/api/events/busan-test/slots")).EnumerateArray()
            .Select(s => (Code: s.GetProperty("code").GetString()!, Start: s.GetProperty("localStart").GetDateTime(), End: s.GetProperty("localEnd").GetDateTime()))
            .OrderBy(s => s.Start).ToList();
        foreach (var smeId in expo.Smes)
        {
            await expo.ScalarAsync<long>("""
                DELETE FROM timetable_meetings WHERE sme_id = @smeId; DELETE FROM meetings WHERE sme_id = @smeId; SELECT 1
                """, new { smeId });
            using var sme = await expo.AsAsync("sme", smeId);
            var toPosco = await expo.RequestAsync(sme, smeId, expo.Posco);
            var toKhnp = await expo.RequestAsync(sme, smeId, expo.Khnp);
            await using var connection = await expo.Host.OpenStoreAsync();
            var taken = (await connection.QueryAsync<(string Slot, long Buyer)>("""
                SELECT s.code, m.buyer_id FROM meetings m JOIN slots s ON s.id = m.slot_id WHERE m.status <> 'cancelled'
                """)).ToList();
            // A slot with a free table of 포스코 (two tables), followed too closely for the walk by one free at 한국수력원자력 (one).
            var (first, second) = slots.Zip(slots.Skip(1)).First(p => p.Second.Start - p.First.End < TimeSpan.FromMinutes(10)
                && taken.Count(t => t.Slot == p.First.Code && t.Buyer == expo.Posco) < 2 && !taken.Contains((p.Second.Code, expo.Khnp)));

            var responses = await Task.WhenAll(
                posco.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Posco}/requests/{toPosco}/accept", new { slot = first.Code }),
                khnp.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{toKhnp}/accept", new { slot = second.Code }));

            var bodies = string.Join(" | ", await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync())));
            responses.Select(r => r.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict], bodies);
            bodies.Should().Contain("slot.hall_travel", "the loser saw the winner's meeting next door");
            (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM meetings WHERE status = 'scheduled' AND sme_id = @smeId", new { smeId })).Should().Be(1);
        }
    }

    [Fact]
    public async Task The_buyer_records_an_outcome_once_and_it_feeds_the_recommender()
    {
        await using var expo = await SmallExpo.StartAsync();
        await expo.PublishTimetableAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        using var khnp = await expo.AsAsync("buyer", expo.Khnp);
        using var posco = await expo.AsAsync("buyer", expo.Posco);
        var requestId = await expo.RequestAsync(sme, expo.Smes[0], expo.Khnp);
        (await khnp.PostAsJsonAsync($"/api/events/busan-test/buyers/{expo.Khnp}/requests/{requestId}/accept", new { slot = await expo.FreeSlotAsync(expo.Smes[0]) })).EnsureSuccessStatusCode();
        var meetingId = await expo.ScalarAsync<long>("SELECT id FROM meetings WHERE buyer_id = @Khnp", new { expo.Khnp });
        var url = $"/api/events/busan-test/meetings/{meetingId}/outcome";

        (await posco.PostAsJsonAsync(url, new { status = "held", rating = 5 })).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await sme.PostAsJsonAsync(url, new { status = "held", rating = 5 })).StatusCode.Should().Be(HttpStatusCode.NotFound, "SMEs do not record outcomes");
        var badRating = await khnp.PostAsJsonAsync(url, new { status = "held", rating = 9 });
        (await badRating.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be("rating");
        var held = await khnp.PostAsJsonAsync(url, new { status = "held", rating = 5, followUp = "contract", contractKrw = 150_000_000 });
        held.StatusCode.Should().Be(HttpStatusCode.OK, await held.Content.ReadAsStringAsync());
        (await khnp.PostAsJsonAsync(url, new { status = "no_show" })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await expo.ScalarAsync<string>("SELECT status || ':' || rating || ':' || follow_up || ':' || contract_krw FROM meetings WHERE id = @meetingId", new { meetingId }))
            .Should().Be("held:5:contract:150000000");
        (await expo.ScalarAsync<string>("SELECT group_concat(kind, ',') FROM (SELECT kind FROM interactions WHERE buyer_id = @Khnp ORDER BY id)", new { expo.Khnp }))
            .Should().Be("requested,accepted,held,rated_well,contract");
    }
}
