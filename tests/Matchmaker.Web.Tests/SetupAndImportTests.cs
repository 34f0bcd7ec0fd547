using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>An organiser creates an event with the form and imports participants, seeing every bad row of a bad file.</summary>
[Collection(BrowserCollection.Name)]
public class SetupAndImportTests(LiveApp app)
{
    [Fact]
    public async Task An_organiser_creates_an_event_and_an_import_with_bad_rows_lists_each_row_column_and_reason()
    {
        await using var context = await app.LaptopAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");

        await page.GotoAsync($"{app.BaseUrl}/organiser/setup");
        await page.FillAsync("#eventId", "daegu-web-2026");
        await page.FillAsync("#name", "2026 대구 의료기기 구매상담회");
        await page.FillAsync("#venue", "EXCO");
        await page.FillAsync("#slotMinutes", "20");
        await page.FillAsync("#halls", "1홀, 2홀");
        await page.FillAsync("#date-1", "2026-09-08");
        await page.FillAsync("#windows-1", "10:00-12:00, 13:00-16:00");
        await page.FillAsync("#breaks-1", "14:30-14:40");
        await page.ClickAsync("#add-day");
        await page.FillAsync("#date-2", "2026-09-09");
        await page.ClickAsync("#create-event");
        await Expect(page.Locator("#setup-message")).ToHaveClassAsync(new Regex("ok"));
        await Expect(page.Locator("#setup-message a")).ToHaveAttributeAsync("href", "/organiser/import?event=daegu-web-2026");
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "organiser-setup-created-laptop");

        // The same id again: the API's conflict is shown, naming the field.
        await page.ClickAsync("#create-event");
        await Expect(page.Locator("#setup-message")).ToHaveClassAsync(new Regex("error"));
        await Expect(page.Locator("#setup-message")).ToContainTextAsync("eventId");

        await page.GotoAsync($"{app.BaseUrl}/organiser/import?event=daegu-web-2026");
        await Expect(page.Locator("#event")).ToHaveValueAsync("daegu-web-2026");
        await page.SelectOptionAsync("#kind", "buyers");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "구매기업.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("구매기업ID,기업명,상담가능건수,테이블수\nKNUH,경북대학교병원,10,2\n,이름만 있음,5,1\nDCMC,대구가톨릭대학교병원,많이,1\n"),
        });
        await page.ClickAsync("#upload");
        await Expect(page.Locator("#import-message")).ToHaveClassAsync(new Regex("error"));
        var rows = page.Locator("#import-errors tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td").Nth(0)).ToHaveTextAsync("3");
        await Expect(rows.Nth(1).Locator("td").Nth(0)).ToHaveTextAsync("4");
        await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("meeting_cap");
        await Expect(rows.Nth(1).Locator("td").Nth(2)).ToContainTextAsync("많이");
        await PageChecks.AllAsync(page);
        await app.ScreenshotAsync(page, "organiser-import-errors-laptop");

        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "buyers.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("buyer_id,name,meeting_cap,tables,hall\nKNUH,경북대학교병원,10,2,1홀\nDCMC,대구가톨릭대학교병원,8,1,2홀\n"),
        });
        await page.ClickAsync("#upload");
        await Expect(page.Locator("#import-message")).ToHaveClassAsync(new Regex("ok"));
        await Expect(page.Locator("#import-report .stats")).ToContainTextAsync("2");
        await Expect(page.Locator("#import-errors")).ToHaveCountAsync(0);
    }
}
