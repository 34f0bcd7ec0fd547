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
        await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("상담가능건수"); // as the file names it
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

    /// <summary>Issue 16: the issue's bad SME file (Korean headers) reads entirely in the page's language.</summary>
    [Theory]
    [InlineData("ko")]
    [InlineData("en")]
    public async Task The_bad_import_of_issue_16_reads_entirely_in_the_pages_language(string lang)
    {
        await using var context = await app.LaptopAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
        await context.AddCookiesAsync([new Cookie { Name = "lang", Value = lang, Url = app.BaseUrl }]);

        await page.GotoAsync($"{app.BaseUrl}/organiser/import?event={LiveApp.EventId}");
        await Expect(page.Locator("#event")).ToHaveValueAsync(LiveApp.EventId);
        await page.SelectOptionAsync("#kind", "smes");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "중소기업.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes("사업자등록번호,기업명,종업원수,산업분류코드\n1234567890,㈜부산정밀,서른다섯,25921\n"),
        });
        await page.ClickAsync("#upload");
        await Expect(page.Locator("#import-message")).ToHaveClassAsync(new Regex("error"));
        var rows = page.Locator("#import-errors tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var texts = new List<string> { await page.Locator("#import-message").InnerTextAsync() };
        for (var i = 0; i < 2; i++) texts.Add(await rows.Nth(i).Locator("td").Nth(2).InnerTextAsync());
        // The columns are named as the file names them, on both pages.
        await Expect(rows.Nth(0).Locator("td").Nth(1)).ToHaveTextAsync("사업자등록번호");
        await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("종업원수");
        if (lang == "ko")
        {
            texts.Should().Equal("아무것도 가져오지 않았습니다: 파일에 문제 2건.",
                "사업자등록번호 검증번호가 맞지 않습니다: 1234567890",
                "종업원수 '서른다섯'은(는) 정수가 아닙니다. 0–100000 사이의 숫자를 적어 주세요");
            // No English sentence anywhere in the report (two English words in a row).
            (await page.Locator("#import-message").InnerTextAsync() + "\n" + await page.Locator("#import-report").InnerTextAsync()).Should().NotMatchRegex(@"[A-Za-z]{2,}\s+[A-Za-z]{2,}");
        }
        else
        {
            texts.Should().Equal("Nothing imported: 2 problems in the file.",
                "business number '1234567890' fails its check digit",
                "employees '서른다섯' is not a whole number; expected 0–100000");
            // No Korean but the file's own column names and value.
            await PageChecks.EnglishOnlyAsync(page.Locator("#import-message"), []);
            await PageChecks.EnglishOnlyAsync(page.Locator("#import-report"), ["사업자등록번호", "종업원수", "서른다섯"]);
        }
        await app.ScreenshotAsync(page, $"organiser-import-issue16-{lang}");
    }
}
