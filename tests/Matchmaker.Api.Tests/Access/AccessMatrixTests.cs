using System.Net;
using System.Net.Http.Json;
using Matchmaker.Api.Tests.Requests;

namespace Matchmaker.Api.Tests.Access;

/// <summary>
/// Every participant endpoint tried with a token of the wrong participant and of the wrong role: refused (403/404),
/// nothing of the owner's in the answer, nothing written.
/// </summary>
public class AccessMatrixTests
{
    [Fact]
    public async Task Wrong_participants_and_wrong_roles_are_refused_everywhere_and_nothing_is_written()
    {
        await using var expo = await SmallExpo.StartAsync(smes: 2);
        await expo.PublishTimetableAsync();
        var (owner, other) = (expo.Smes[0], expo.Smes[1]);
        using var ownerSme = await expo.AsAsync("sme", owner);
        await Scenario.ExpoDayScenarioTests.WaitForRecommendationsAsync(ownerSme, owner); // scored: matches exist to leak
        var requestId = await expo.RequestAsync(ownerSme, owner, expo.Khnp, "비밀 제안서");
        var meetingId = await expo.ScalarAsync<long>("SELECT id FROM meetings WHERE buyer_id = @Posco AND status = 'scheduled' LIMIT 1", new { expo.Posco });
        // The publish and the request above wrote notifications, which carry participants' addresses: organisers only.
        var notificationId = await expo.ScalarAsync<long>("SELECT id FROM notifications ORDER BY id LIMIT 1");
        var before = await expo.ScalarAsync<string>(
            "SELECT (SELECT group_concat(state) FROM introduction_requests) || '|' || (SELECT group_concat(status) FROM meetings) || '|' || (SELECT COUNT(*) FROM interactions)");
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
            response.StatusCode.Should().BeOneOf([HttpStatusCode.Forbidden, HttpStatusCode.NotFound], $"{who}: {method} {url}");
            (await response.Content.ReadAsStringAsync()).Should().NotContain("비밀 제안서", $"{who}: {method} {url} leaks the owner's pitch");
        }

        var after = await expo.ScalarAsync<string>(
            "SELECT (SELECT group_concat(state) FROM introduction_requests) || '|' || (SELECT group_concat(status) FROM meetings) || '|' || (SELECT COUNT(*) FROM interactions)");
        after.Should().Be(before, "no refused call wrote anything");
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM weight_profiles WHERE name = 'mine'")).Should().Be(0);
        (await expo.ScalarAsync<long>("SELECT COUNT(*) FROM timetables")).Should().Be(1);
    }
}
