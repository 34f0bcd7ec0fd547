using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>Issue 14 item 1: a participant keeps its own contact, language and opt-out for the event on its page.</summary>
[Collection(BrowserCollection.Name)]
public class ContactPageTests(LiveApp app)
{
    [Fact]
    public async Task An_SME_saves_its_mobile_and_opts_out_on_its_page_and_a_landline_is_refused_naming_the_field()
    {
        var (smeId, _) = (await app.SmesAsync())[19];
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(await app.LinkAsync("sme", smeId));
        await Expect(page.Locator("#contact-form[data-loaded='true']")).ToBeVisibleAsync();
        await Expect(page.Locator("#contact-language")).ToHaveValueAsync("ko");

        await page.Locator("#contact-name").FillAsync("김민수");
        await page.Locator("#contact-email").FillAsync("minsu@busan.example.kr");
        await page.Locator("#contact-mobile").FillAsync("010 2222 3333");
        await page.Locator("#contact-language").SelectOptionAsync("en");
        await page.Locator("#contact-opt-out").CheckAsync();
        await page.Locator("#save-contact").ClickAsync();

        await Expect(page.Locator("#contact-message")).ToHaveTextAsync("저장했습니다.");
        await Expect(page.Locator("#contact-mobile")).ToHaveValueAsync("+821022223333", new() { Timeout = 5000 });
        var profile = await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{LiveApp.EventId}/smes/{smeId}/profile");
        (profile.GetProperty("contact").GetProperty("mobile").GetString(), profile.GetProperty("language").GetString(),
            profile.GetProperty("optedOut").GetBoolean()).Should().Be(("+821022223333", "en", true));

        await page.Locator("#contact-mobile").FillAsync("051-123-4567");
        await page.Locator("#save-contact").ClickAsync();
        await Expect(page.Locator("#contact-message")).ToContainTextAsync("mobile");
        await Expect(page.Locator("#contact-message")).ToHaveAttributeAsync("role", "alert");
        (await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{LiveApp.EventId}/smes/{smeId}/profile"))
            .GetProperty("contact").GetProperty("mobile").GetString().Should().Be("+821022223333", "a refused change writes nothing");

        // The organiser sees it on the participants page, with the opt-out.
        await using var laptop = await app.LaptopAsync();
        var organiser = await laptop.NewPageAsync();
        await organiser.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/participants?event={LiveApp.EventId}");
        var row = organiser.Locator($"#smes-table tr:has(button.issue-link[data-id='{smeId}'])");
        await Expect(row.Locator("td.contact")).ToContainTextAsync("minsu@busan.example.kr · +821022223333");
        await Expect(row.Locator("td.contact .badge.opted-out")).ToHaveTextAsync("수신거부");
    }
}
