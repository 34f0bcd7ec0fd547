using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Tests.Itineraries;

/// <summary>
/// The sample expo with its timetable built and published, shared by the tests that only read it (itineraries, agendas,
/// exports, reports), with tokens for two SMEs, two buyers, an analyst and an SME of a past event.
/// </summary>
public sealed class PublishedExpo : IAsyncLifetime
{
    public const string EventId = "busan-2026";

    public MatchmakerHost Host { get; } = new(loadSamples: true);
    public HttpClient Organiser { get; private set; } = null!;

    /// <summary>An SME with several meetings that also came to past-2025 (the same store id in both events).</summary>
    public long SmeId { get; private set; }
    public long OtherSmeId { get; private set; }
    /// <summary>A buyer with meetings at more than one table.</summary>
    public long BuyerId { get; private set; }
    public long OtherBuyerId { get; private set; }

    public string SmeToken { get; private set; } = "";
    public string OtherSmeToken { get; private set; } = "";
    public string BuyerToken { get; private set; } = "";
    public string OtherBuyerToken { get; private set; } = "";
    public string AnalystToken { get; private set; } = "";
    /// <summary>An analyst of the past event past-2025 (an analyst token reads only the event it was issued for).</summary>
    public string PastEventAnalystToken { get; private set; } = "";
    /// <summary>The same SME (same id) as <see cref="SmeId"/>, but its token is for past-2025.</summary>
    public string PastEventSmeToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Organiser = Host.CreateClient();
        var build = await Organiser.PostAsync($"/api/events/{EventId}/timetable", null);
        build.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var jobId = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        (await ExpoFixtures.WaitForJobAsync(Organiser, jobId)).GetProperty("state").GetString().Should().Be("succeeded");
        (await Organiser.PostAsync($"/api/events/{EventId}/timetable/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        await using var connection = await OpenAsync();
        var smes = (await connection.QueryAsync<long>("""
            SELECT m.sme_id FROM meetings m JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled'
              AND m.sme_id IN (SELECT es.sme_id FROM event_smes es JOIN events p ON p.id = es.event_id WHERE p.event_id = 'past-2025')
            GROUP BY m.sme_id HAVING COUNT(*) >= 3 ORDER BY m.sme_id LIMIT 2
            """, new { EventId })).ToList();
        (SmeId, OtherSmeId) = (smes[0], smes[1]);
        var buyers = (await connection.QueryAsync<long>("""
            SELECT m.buyer_id FROM meetings m JOIN events e ON e.id = m.event_id
            WHERE e.event_id = @EventId AND m.status = 'scheduled'
            GROUP BY m.buyer_id HAVING COUNT(DISTINCT m.table_no) >= 2 ORDER BY m.buyer_id LIMIT 2
            """, new { EventId })).ToList();
        (BuyerId, OtherBuyerId) = (buyers[0], buyers[1]);

        SmeToken = await IssueAsync(EventId, new { role = "sme", smeId = SmeId });
        OtherSmeToken = await IssueAsync(EventId, new { role = "sme", smeId = OtherSmeId });
        BuyerToken = await IssueAsync(EventId, new { role = "buyer", buyerId = BuyerId });
        OtherBuyerToken = await IssueAsync(EventId, new { role = "buyer", buyerId = OtherBuyerId });
        AnalystToken = await IssueAsync(EventId, new { role = "analyst" });
        PastEventAnalystToken = await IssueAsync("past-2025", new { role = "analyst" });
        PastEventSmeToken = await IssueAsync("past-2025", new { role = "sme", smeId = SmeId });
    }

    async Task<string> IssueAsync(string eventId, object request)
    {
        var response = await Organiser.PostAsJsonAsync($"/api/events/{eventId}/tokens", request);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<System.Data.Common.DbConnection> OpenAsync()
    {
        return await Host.OpenStoreAsync();
    }

    public Task DisposeAsync()
    {
        Organiser.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedExpoCollection : ICollectionFixture<PublishedExpo>
{
    public const string Name = "published sample expo";
}
