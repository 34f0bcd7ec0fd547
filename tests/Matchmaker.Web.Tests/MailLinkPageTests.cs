using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>The live app with no SMTP configured (messages land as .eml files in the outbox folder), sent at once.</summary>
public sealed class OutboxLiveApp() : LiveApp(new Dictionary<string, string> { ["Matchmaker:Notifications:BatchSeconds"] = "0" })
{
    public string OutboxFolder => Path.Combine(Path.GetDirectoryName(DatabasePath)!, "outbox");
}

[CollectionDefinition(Name)]
public sealed class OutboxBrowserCollection : ICollectionFixture<OutboxLiveApp>
{
    public const string Name = "browser with an outbox folder";
}

[Collection(OutboxBrowserCollection.Name)]
public class MailLinkPageTests(OutboxLiveApp app)
{
    [Fact]
    public async Task The_link_in_an_sme_s_published_timetable_mail_opens_its_own_page_signed_in_and_an_altered_link_says_why_not()
    {
        await app.PublishTimetableAsync();
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        var (smeId, smeName, email) = await connection.QueryFirstAsync<(long, string, string)>("""
            SELECT DISTINCT s.id, es.name, es.contact_email FROM meetings m JOIN smes s ON s.id = m.sme_id
            JOIN event_smes es ON es.event_id = m.event_id AND es.sme_id = m.sme_id
            WHERE m.status = 'scheduled' AND es.contact_email IS NOT NULL ORDER BY s.id LIMIT 1
            """);
        MimeMessage? mail = null;
        for (var i = 0; i < 300 && mail is null; i++)
        {
            mail = Directory.Exists(app.OutboxFolder)
                ? Directory.GetFiles(app.OutboxFolder, "*.eml").Select(f => MimeMessage.Load(f)).FirstOrDefault(m => m.To.Mailboxes.Single().Address == email)
                : null;
            if (mail is null) await Task.Delay(200);
        }
        mail.Should().NotBeNull("the publish writes the SME's mail into the outbox");
        var link = Regex.Match(mail!.TextBody ?? "", @"https?://\S+?(/login\?mail=ml_[A-Za-z0-9_-]+)");
        link.Success.Should().BeTrue(mail.TextBody);
        var path = link.Groups[1].Value; // the configured public address is not this test server's port

        // A phone that never signed in: the mail's link lands on the SME's own page, signed in, with its meetings.
        await using var phone = await app.PhoneAsync();
        var page = await phone.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + path);
        await Expect(page).ToHaveURLAsync(new Regex("/sme$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync(smeName);
        await Expect(page.Locator("#itinerary li").First).ToBeVisibleAsync();
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "sme-from-mail-link-phone");

        // The same link with one character changed: a page that says the link is not valid, and no session.
        await using var other = await app.PhoneAsync();
        var refused = await other.NewPageAsync();
        var altered = path[..^1] + (path[^1] == 'A' ? 'B' : 'A');
        var response = await refused.GotoAsync(app.BaseUrl + altered);
        response!.Status.Should().Be(403);
        await Expect(refused.Locator("h1")).ToContainTextAsync("로그인할 수 없습니다");
        await Expect(refused.Locator("#refusal")).ToContainTextAsync("올바르지 않은 로그인 링크");
        (await other.CookiesAsync()).Should().NotContain(c => c.Name == "mm_token");
        await app.ScreenshotAsync(refused, "mail-link-refused-phone");
    }
}
