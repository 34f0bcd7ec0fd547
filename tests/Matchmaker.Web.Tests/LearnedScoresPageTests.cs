using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>The analyst page names the model that scored each pair (hand weights or the learned pair model).</summary>
[Collection(BrowserCollection.Name)]
public class LearnedScoresPageTests(LiveApp app)
{
    async Task ActivateAsync(long profileId)
    {
        var response = await app.Organiser.PutAsJsonAsync($"/api/events/{LiveApp.EventId}/weight-profile", new { profileId });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString();
        for (var i = 0; i < 900; i++)
        {
            var job = await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            var state = job.GetProperty("state").GetString();
            if (state == "succeeded") return;
            state.Should().NotBe("failed", job.ToString());
            await Task.Delay(200);
        }
        throw new TimeoutException("rescoring took over three minutes");
    }

    [Fact]
    public async Task An_analyst_sees_which_model_scored_each_pair_and_the_learned_parts_of_a_cold_one()
    {
        var defaults = (await app.Organiser.GetFromJsonAsync<JsonElement>("/api/weight-profiles")).EnumerateArray()
            .First(p => p.GetProperty("name").GetString() == "default").GetProperty("id").GetInt64();
        var created = await app.Organiser.PostAsJsonAsync("/api/weight-profiles", new { name = "web-cold-learned", coldStart = "learned" });
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        await ActivateAsync((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        try
        {
            // An SME new in 2026 (no history): its pairs are cold, so the learned model scores them.
            long? coldSme = null;
            foreach (var (id, _) in await app.SmesAsync())
            {
                var matches = await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{LiveApp.EventId}/smes/{id}/matches?top=1");
                if (matches.GetProperty("items")[0].GetProperty("explanation").GetProperty("scoredBy").GetString() == "learned-lightgbm") { coldSme = id; break; }
            }
            coldSme.Should().NotBeNull("the sample expo has SMEs without history");

            await using var context = await app.LaptopAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(await app.LinkAsync("analyst", 0));
            await page.GotoAsync($"{app.BaseUrl}/analyst?event={LiveApp.EventId}");
            var total = (await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{LiveApp.EventId}/smes?pageSize=1")).GetProperty("total").GetInt32();
            await Expect(page.Locator("#pair-sme option")).ToHaveCountAsync(total, new() { Timeout = 30_000 }); // every page of SMEs, not only the first
            await page.Locator("#pair-sme").SelectOptionAsync(coldSme!.Value.ToString());
            var learnedRows = page.Locator("#pairs tbody tr[data-scored-by='learned-lightgbm']");
            await Expect(learnedRows).ToHaveCountAsync(20);
            await Expect(learnedRows.First.Locator("td.scored-by")).ToHaveTextAsync("학습 모델 (LightGBM 순위)");
            await Expect(page.Locator("#pair-run")).ToContainTextAsync("web-cold-learned");
            await learnedRows.First.Locator("summary").ClickAsync();
            // Eleven fields and the baseline, each drawn as a bar with its signed part.
            await Expect(learnedRows.First.Locator("svg.why-chart rect")).ToHaveCountAsync(12);
            await Expect(learnedRows.First.Locator("svg.why-chart")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("구매기업별 과거 상담 성과"));
            await PageChecks.AllAsync(page);
            await app.ScreenshotAsync(page, "analyst-pairs-learned-laptop");

            // A returning SME's warm pairs keep the hand-weighted hybrid.
            var warmSme = (await app.SmesAsync()).Select(s => s.Id).First(id => id != coldSme);
            foreach (var (id, _) in await app.SmesAsync())
            {
                var m = await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{LiveApp.EventId}/smes/{id}/matches?top=20");
                if (m.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("explanation").GetProperty("scoredBy").GetString() == "weights")) { warmSme = id; break; }
            }
            await page.Locator("#pair-sme").SelectOptionAsync(warmSme.ToString());
            await Expect(page.Locator("#pairs tbody tr[data-scored-by='weights'] td.scored-by").First).ToHaveTextAsync("가중치(수작업)");
        }
        finally
        {
            await ActivateAsync(defaults);
        }
    }
}
