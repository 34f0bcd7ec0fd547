using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>Keyboard-only use, labels on every field, both languages, and a screenshot of every page on a phone and a laptop.</summary>
[Collection(BrowserCollection.Name)]
public class AccessibilityTests(LiveApp app)
{
    [Fact]
    public async Task An_SME_requests_and_the_buyer_accepts_with_the_keyboard_alone()
    {
        await app.OpenRequestWindowAsync();
        var (smeId, smeName) = (await app.SmesAsync())[7];
        var (buyerId, buyerName) = (await app.BuyersAsync())[0];

        await using var smeContext = await app.PhoneAsync();
        var sme = await smeContext.NewPageAsync();
        await sme.GotoAsync(await app.LinkAsync("sme", smeId));
        await Expect(sme.Locator($"li.buyer[data-buyer-id='{buyerId}'] button.choose-buyer")).ToBeVisibleAsync();
        await TabToAsync(sme, $"li.buyer[data-buyer-id='{buyerId}'] button.choose-buyer");
        await sme.Keyboard.PressAsync("Enter");
        await Expect(sme.Locator("#req-pitch")).ToBeFocusedAsync();
        await Expect(sme.Locator("#req-buyer")).ToHaveValueAsync(buyerId.ToString());
        await sme.Keyboard.TypeAsync("키보드만으로 보낸 신청입니다.");
        await TabToAsync(sme, "#send-request");
        await sme.Keyboard.PressAsync("Enter");
        await Expect(sme.Locator("#requests li.request", new() { HasText = buyerName })).ToHaveAttributeAsync("data-state", "pending");

        await using var buyerContext = await app.PhoneAsync();
        var buyer = await buyerContext.NewPageAsync();
        await buyer.GotoAsync(await app.LinkAsync("buyer", buyerId));
        var incoming = $"#inbox li.request[data-state='pending']:has-text('{smeName}') button.accept";
        await Expect(buyer.Locator(incoming)).ToBeVisibleAsync();
        await TabToAsync(buyer, incoming);
        await buyer.Keyboard.PressAsync("Enter");
        await Expect(buyer.Locator("#inbox li.request", new() { HasText = smeName })).ToHaveAttributeAsync("data-state", "accepted");
    }

    [Fact]
    public async Task Every_page_labels_its_fields_switches_to_English_and_back_and_fits_a_phone_and_a_laptop()
    {
        await app.OpenRequestWindowAsync();
        var (smeId, _) = (await app.SmesAsync())[11];
        var (buyerId, _) = (await app.BuyersAsync())[5];
        var smeLink = await app.LinkAsync("sme", smeId);
        var buyerLink = await app.LinkAsync("buyer", buyerId);
        var organiserPages = new[] { "/organiser", "/organiser/setup", "/organiser/import", "/organiser/participants", "/organiser/board", "/organiser/day", "/organiser/notifications", "/organiser/report", "/analyst" };

        foreach (var (size, open) in new (string, Func<Task<IBrowserContext>>)[] { ("laptop", app.LaptopAsync), ("phone", app.PhoneAsync) })
        {
            await using var context = await open();
            var page = await context.NewPageAsync();
            await page.GotoAsync(app.BaseUrl + "/");
            await Settle(page);
            await PageChecks.AllAsync(page);
            await app.ScreenshotAsync(page, $"index-{size}");

            await page.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
            foreach (var path in organiserPages)
            {
                await page.GotoAsync($"{app.BaseUrl}{path}?event={LiveApp.EventId}");
                await Settle(page);
                await PageChecks.AllAsync(page);
                await NoSidewaysScrollAsync(page, path);
                await app.ScreenshotAsync(page, $"{path.Trim('/').Replace('/', '-')}-{size}");
            }

            // English, kept by the lang cookie from page to page, then Korean again.
            await page.GotoAsync($"{app.BaseUrl}/organiser?event={LiveApp.EventId}");
            await page.Keyboard.PressAsync("Tab");
            await page.Locator("#lang-toggle").PressAsync("Enter");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Event overview");
            await page.GotoAsync($"{app.BaseUrl}/organiser/day?event={LiveApp.EventId}");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Day-of panel");
            await Settle(page);
            await PageChecks.AllAsync(page);
            await app.ScreenshotAsync(page, $"organiser-day-en-{size}");
            await page.ClickAsync("#lang-toggle");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ko");
            await Expect(page.Locator("h1")).ToHaveTextAsync("당일 운영");

            foreach (var (link, name) in new[] { (smeLink, "sme"), (buyerLink, "buyer") })
            {
                await page.GotoAsync(link);
                await Expect(page).ToHaveURLAsync(new Regex($"/{name}$"));
                await Settle(page);
                await PageChecks.AllAsync(page);
                await NoSidewaysScrollAsync(page, name);
                if (size == "phone") await PageChecks.BigTouchTargetsAsync(page);
                await app.ScreenshotAsync(page, $"{name}-{size}");
            }
        }
    }

    [Fact]
    public async Task An_analyst_moves_a_weight_slider_and_sees_the_metrics_of_both_profiles_recomputed_side_by_side()
    {
        await using var context = await app.LaptopAsync();
        var page = await context.NewPageAsync();
        // The replay compares on past events: an analyst account granted them (an event's analyst token reads that event only).
        await page.GotoAsync(await app.AnalystOfEveryEventLinkAsync());
        // Signed in and the token gone from the address; the page's event picker (pairs table) adds ?event=.
        await Expect(page).ToHaveURLAsync(new Regex("/analyst(\\?event=[^&]+)?$"));
        await Expect(page.Locator("#w-text")).ToHaveValueAsync(new Regex("^0\\.25?$"));
        await page.Locator("#w-text").FocusAsync();
        for (var i = 0; i < 20; i++) await page.Keyboard.PressAsync("ArrowRight");
        await Expect(page.Locator("#o-text")).ToHaveTextAsync("0.45");
        await Expect(page.Locator("#eval-message")).ToHaveClassAsync(new Regex("ok"), new() { Timeout = 60_000 });
        await Expect(page.Locator("#compare-chart rect.bar-a")).ToHaveCountAsync(7);
        await Expect(page.Locator("#compare-chart rect.bar-b")).ToHaveCountAsync(7);
        await Expect(page.Locator("#metrics tbody tr")).ToHaveCountAsync(7);
        await Expect(page.Locator("#metrics thead")).ToContainTextAsync("B: analyst-try (unsaved)");
        var profiles = await app.Organiser.GetStringAsync("/api/weight-profiles");
        profiles.Should().NotContain("analyst-try", "trying weights saves nothing");
        await page.Locator("#save").ClickAsync();
        await Expect(page.Locator("#eval-message")).ToContainTextAsync("analyst-try v1");
        (await app.Organiser.GetStringAsync("/api/weight-profiles")).Should().Contain("analyst-try");
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "analyst-compare-laptop");
    }

    [Fact]
    public async Task A_page_without_a_sign_in_asks_for_the_link_and_a_bad_link_is_refused()
    {
        await using var context = await app.PhoneAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/sme");
        await Expect(page.Locator("a.button[href='/']")).ToBeVisibleAsync();
        await page.GotoAsync($"{app.BaseUrl}/login?token=not-a-token");
        await Expect(page.Locator("#message")).ToHaveClassAsync(new Regex("error"));
        var cookies = await context.CookiesAsync();
        cookies.Should().NotContain(c => c.Name == "mm_token");
    }

    [Fact]
    public async Task The_login_cookie_is_HttpOnly_and_SameSite_Strict_and_cookie_writes_need_the_page_header()
    {
        await using var context = await app.LaptopAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "mm_token");
        cookie.HttpOnly.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteAttribute.Strict);
        (await page.EvaluateAsync<string>("() => document.cookie")).Should().NotContain("mm_token");
        var status = await page.EvaluateAsync<int>($$"""
            async () => (await fetch("/api/events/{{LiveApp.EventId}}/request-window", { method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"open":true}' })).status
            """);
        status.Should().Be(403, "a cookie-signed write without X-Requested-With could come from another site");

        await page.GotoAsync($"{app.BaseUrl}/organiser");
        await page.ClickAsync("#logout");
        await Expect(page).ToHaveURLAsync(app.BaseUrl + "/");
        (await context.CookiesAsync()).Should().NotContain(c => c.Name == "mm_token");
    }

    static async Task Settle(IPage page)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator("header.site")).ToBeVisibleAsync();
    }

    /// <summary>Tabs through the page until <paramref name="selector"/> has the focus (at most 400 presses).</summary>
    static async Task TabToAsync(IPage page, string selector)
    {
        var target = page.Locator(selector).First;
        for (var i = 0; i < 400; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
            await page.Keyboard.PressAsync("Tab");
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {selector}");
    }

    /// <summary>The page itself never scrolls sideways (the board scrolls inside its own frame).</summary>
    static async Task NoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        overflow.Should().BeLessThanOrEqualTo(1, $"{what} must fit the window's width");
    }
}
