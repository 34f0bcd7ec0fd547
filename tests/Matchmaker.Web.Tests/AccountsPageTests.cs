using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>
/// Issue 10 item 4: the administrator creates an organiser, grants it one event and hands it a sign-in link on the
/// accounts page; the organiser signs in by that link and its pages offer only that event; the audit log shows it all.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AccountsPageTests(LiveApp app)
{
    [Fact]
    public async Task The_administrator_creates_an_organiser_grants_it_one_event_and_its_sign_in_link_opens_only_that_event()
    {
        var everyEvent = (await app.Organiser.GetFromJsonAsync<JsonElement>("/api/events")).EnumerateArray().Select(e => e.GetProperty("eventId").GetString()).ToList();
        everyEvent.Should().Contain(LiveApp.EventId).And.HaveCountGreaterThan(1, "the sample has past events the organiser must not see");

        await using var admin = await app.LaptopAsync();
        var page = await admin.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
        await page.GotoAsync($"{app.BaseUrl}/organiser/accounts");
        await page.FillAsync("#account-name", "김주최 (부산시 기업지원과)");
        await page.FillAsync("#account-email", "organiser@busan.example");
        await page.ClickAsync("#create-account");
        await Expect(page.Locator("#account-message")).ToHaveClassAsync(new Regex("ok"));
        var row = page.Locator("#accounts-table tbody tr", new() { HasText = "김주최" });
        try { await Expect(row).ToHaveCountAsync(1); }
        catch (PlaywrightException e)
        {
            PageChecks.Errors.TryGetValue(page, out var errors);
            throw new InvalidOperationException($"{e.Message}\nmessage: {await page.Locator("#account-message").InnerTextAsync()}\nerrors: {string.Join(" | ", errors ?? [])}\n{await page.InnerHTMLAsync("#accounts-table")}", e);
        }

        await row.Locator("select.grant-event").SelectOptionAsync(LiveApp.EventId);
        await row.Locator("button.grant-button").ClickAsync();
        await Expect(row.Locator(".grant")).ToHaveCountAsync(1);
        await Expect(row.Locator(".grant")).ToContainTextAsync(LiveApp.EventId);
        await row.Locator("button.sign-in-link").ClickAsync();
        var link = await row.Locator("input.access-link").InputValueAsync();
        link.Should().StartWith($"{app.BaseUrl}/login?token=mm_");

        // The audit log shows who did what: the account, the grant (with its event) and the link.
        var audit = page.Locator("#audit-table tbody tr");
        await Expect(audit.Filter(new() { HasText = "GrantEvent" })).ToContainTextAsync(LiveApp.EventId);
        await Expect(audit.Filter(new() { HasText = "CreateAccount" })).ToHaveCountAsync(1);
        await Expect(audit.Filter(new() { HasText = "IssueAccountToken" })).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#audit-event", LiveApp.EventId);
        await Expect(audit.Filter(new() { HasText = "CreateAccount" })).ToHaveCountAsync(0);
        await Expect(audit.Filter(new() { HasText = "GrantEvent" })).ToHaveCountAsync(1);
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "administrator-accounts-laptop");

        // The organiser's own browser: signed in by the link, its event picker offers only the granted event.
        await using var organiserBrowser = await app.LaptopAsync();
        var organiser = await organiserBrowser.NewPageAsync();
        await organiser.GotoAsync(link);
        await Expect(organiser).ToHaveURLAsync(new Regex("/organiser(\\?event=[a-z0-9-]+)?$"));
        await Expect(organiser.Locator("#event option")).ToHaveCountAsync(1);
        await Expect(organiser.Locator("#event")).ToHaveValueAsync(LiveApp.EventId);
        await Expect(organiser.Locator("header.site nav a[href^='/organiser/accounts']")).ToHaveCountAsync(0);
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/participants?event={everyEvent.First(e => e != LiveApp.EventId)}");
        await Expect(organiser.Locator("#event")).ToHaveValueAsync(LiveApp.EventId, new() { Timeout = 30_000 }); // another event's address falls back
        await Expect(organiser.Locator("#smes-table tbody tr").First).ToBeVisibleAsync();
        await PageChecks.AllAsync(organiser);

        // The accounts page is the administrator's alone.
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/accounts");
        await Expect(organiser.Locator("main h1")).ToHaveTextAsync(new Regex("로그인이 필요합니다|Please sign in"));

        // The administrator revokes that link (a lost laptop): the organiser's next call is refused.
        await page.ReloadAsync();
        await row.Locator("button.revoke-token").ClickAsync();
        await Expect(row.Locator(".account-token")).ToHaveCountAsync(0);
        var after = await organiser.GotoAsync($"{app.BaseUrl}/api/events");
        after!.Status.Should().Be(401);
    }
}
