using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Matchmaker.Web.Tests;

/// <summary>The whole expo day as the API scenario, but clicked through the pages in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public class WholeDayTests(LiveApp app)
{
    const string Event = LiveApp.EventId;

    [Fact]
    public async Task Organiser_SME_and_buyer_run_the_day_by_clicking_and_a_repair_shows_on_the_board_and_the_SME_page()
    {
        var smes = await app.SmesAsync();
        var buyers = await app.BuyersAsync();
        var (smeId, smeName) = smes[3];
        var (buyerId, buyerName) = buyers[3];

        // The organiser signs in by the link and opens the request window.
        await using var organiserContext = await app.LaptopAsync();
        var organiser = await organiserContext.NewPageAsync();
        await organiser.GotoAsync($"{app.BaseUrl}/login?token={LiveApp.OrganiserToken}");
        await Expect(organiser).ToHaveURLAsync(new Regex("/organiser"));
        await organiser.GotoAsync($"{app.BaseUrl}/organiser?event={Event}");
        await Expect(organiser.Locator("#summary")).ToContainTextAsync("78");
        await organiser.ClickAsync("#open-window");
        await Expect(organiser.Locator("#window-message")).ToHaveClassAsync(new Regex("ok"));
        await PageChecks.AllAsync(organiser);
        await app.ScreenshotAsync(organiser, "organiser-overview-laptop");

        // It hands out access links from the participants page.
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/participants?event={Event}");
        var smeLink = await IssueLinkAsync(organiser, "#smes-table", smeId);
        var buyerLink = await IssueLinkAsync(organiser, "#buyers-table", buyerId);
        await PageChecks.AllAsync(organiser);
        await app.ScreenshotAsync(organiser, "organiser-participants-laptop");

        // The SME, on its phone, requests an introduction to the buyer.
        await using var smeContext = await app.PhoneAsync();
        var sme = await smeContext.NewPageAsync();
        await sme.GotoAsync(smeLink);
        await Expect(sme).ToHaveURLAsync(new Regex("/sme$"));
        await Expect(sme.Locator("h1")).ToHaveTextAsync(smeName);
        // Recommended buyers, each with "why this buyer": the components' contributions drawn as bars.
        await Expect(sme.Locator("#recs li.rec")).ToHaveCountAsync(10);
        var why = sme.Locator("#recs li.rec").First.Locator("details.why");
        await why.Locator("summary").ClickAsync();
        await Expect(why.Locator("svg.why-chart rect").First).ToBeVisibleAsync();
        await sme.Locator($"li.buyer[data-buyer-id='{buyerId}'] button.choose-buyer").ClickAsync();
        await Expect(sme.Locator("#req-buyer")).ToHaveValueAsync(buyerId.ToString());
        await sme.FillAsync("#req-pitch", "선박용 밸브 국산화 제품을 소개하고 싶습니다.");
        await sme.SelectOptionAsync("#req-priority", "1");
        await sme.ClickAsync("#send-request");
        await Expect(sme.Locator("#request-message")).ToHaveClassAsync(new Regex("ok"));
        var request = sme.Locator("#requests li.request", new() { HasText = buyerName });
        await Expect(request).ToHaveAttributeAsync("data-state", "pending");
        await PageChecks.AllAsync(sme);
        await app.ScreenshotAsync(sme, "sme-requested-phone");

        // Issue 16: a refused request (one already waits at this buyer) reads entirely in the page's language.
        var names = smes.Select(s => s.Name).Concat(buyers.Select(b => b.Name)).ToList();
        await sme.ClickAsync("#send-request");
        await Expect(sme.Locator("#request-message")).ToHaveClassAsync(new Regex("error"));
        await Expect(sme.Locator("#request-message")).ToContainTextAsync("이 구매기업에 이미 답을 기다리는 신청이 있습니다");
        await PageChecks.KoreanOnlyAsync(sme.Locator("#request-message"), names);
        await smeContext.AddCookiesAsync([new Cookie { Name = "lang", Value = "en", Url = app.BaseUrl }]);
        await sme.ReloadAsync();
        await sme.SelectOptionAsync("#req-buyer", buyerId.ToString());
        await sme.ClickAsync("#send-request");
        await Expect(sme.Locator("#request-message")).ToContainTextAsync("you already have an open request to this buyer");
        await PageChecks.EnglishOnlyAsync(sme.Locator("#request-message"), names);
        await smeContext.AddCookiesAsync([new Cookie { Name = "lang", Value = "ko", Url = app.BaseUrl }]);
        await sme.ReloadAsync();

        // The buyer, on its phone, sees the SME's profile in its inbox and accepts.
        await using var buyerContext = await app.PhoneAsync();
        var buyer = await buyerContext.NewPageAsync();
        await buyer.GotoAsync(buyerLink);
        await Expect(buyer).ToHaveURLAsync(new Regex("/buyer$"));
        var incoming = buyer.Locator("#inbox li.request", new() { HasText = smeName });
        await Expect(incoming).ToHaveAttributeAsync("data-state", "pending");
        await Expect(incoming.Locator("dl.kv")).ToBeVisibleAsync();
        await Expect(incoming.Locator(".badge.score")).ToBeVisibleAsync();
        await Expect(incoming.Locator("details.why")).ToHaveCountAsync(1);
        await PageChecks.AllAsync(buyer);
        await app.ScreenshotAsync(buyer, "buyer-inbox-phone");
        await incoming.Locator("button.accept").ClickAsync();
        await Expect(buyer.Locator("#inbox li.request", new() { HasText = smeName })).ToHaveAttributeAsync("data-state", "accepted");

        // The organiser builds the draft on the board, tries a clashing move (refused inline, naming the field), locks, publishes.
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/board?event={Event}");
        await organiser.ClickAsync("#build");
        await Expect(organiser.Locator("#board-message")).ToHaveClassAsync(new Regex("ok"), new() { Timeout = 120_000 });
        await Expect(organiser.Locator("#statStatus")).ToContainTextAsync("초안");
        await Expect(organiser.Locator("#statGap")).ToBeVisibleAsync();
        await Expect(organiser.Locator("#statBound")).ToBeVisibleAsync();
        var ours = organiser.Locator($"button.meeting[data-sme='{smeName}']", new() { HasText = "★" });
        await Expect(ours.First).ToBeVisibleAsync();

        var grid = await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{Event}/timetable");
        var meetings = grid.GetProperty("meetings").EnumerateArray().ToList();
        var mine = meetings.Single(m => m.GetProperty("smeId").GetInt64() == smeId && m.GetProperty("buyerId").GetInt64() == buyerId);
        var table = mine.GetProperty("table").GetInt32();
        var clash = meetings.First(m => m.GetProperty("buyerId").GetInt64() == buyerId && m.GetProperty("table").GetInt32() == table
            && m.GetProperty("meetingId").GetInt64() != mine.GetProperty("meetingId").GetInt64());
        // (Another SME's meeting at the same table: locking the SME that later cancels would make the repair refuse.)
        var clashId = clash.GetProperty("meetingId").GetInt64();
        await organiser.Locator($"button.meeting[data-meeting-id='{clashId}']").ClickAsync();
        await organiser.SelectOptionAsync("#move-slot", mine.GetProperty("slotCode").GetString()!);
        await organiser.FillAsync("#move-table", table.ToString());
        await organiser.ClickAsync("#move-apply");
        await Expect(organiser.Locator("#move-message")).ToHaveClassAsync(new Regex("error"));
        await Expect(organiser.Locator("#move-message")).ToContainTextAsync("항목:");
        await PageChecks.KoreanOnlyAsync(organiser.Locator("#move-message"), names); // issue 16: the refused move in Korean only
        await organiser.SelectOptionAsync("#move-slot", clash.GetProperty("slotCode").GetString()!);
        await organiser.ClickAsync("#move-apply");
        await Expect(organiser.Locator("#move-message")).ToHaveClassAsync(new Regex("ok"));
        await Expect(organiser.Locator($"button.meeting[data-meeting-id='{clashId}']")).ToHaveAttributeAsync("data-locked", "true");
        await Expect(organiser.Locator($"button.meeting[data-meeting-id='{clashId}'] svg.lock")).ToBeVisibleAsync();
        await PageChecks.AllAsync(organiser);
        await app.ScreenshotAsync(organiser, "organiser-board-draft-laptop");
        await organiser.ClickAsync("#publish");
        await Expect(organiser.Locator("#statStatus")).ToContainTextAsync("발표됨");

        // The SME sees the meeting, with its table and hall, in its itinerary.
        await sme.ReloadAsync();
        var booked = sme.Locator("#itinerary li.meeting", new() { HasText = buyerName });
        await Expect(booked).ToHaveAttributeAsync("data-status", "scheduled");
        await Expect(booked).ToContainTextAsync($"{table}번 테이블");
        // Issue 16: the meeting's day and time as Koreans write them ("5월 20일 (수) 10:00–10:30").
        await Expect(booked).ToContainTextAsync(new Regex(@"\d+월 \d+일 \([일월화수목금토]\) \d\d:\d\d–\d\d:\d\d"));
        await PageChecks.AllAsync(sme);
        await app.ScreenshotAsync(sme, "sme-itinerary-phone");
        var ics = await smeContext.APIRequest.GetAsync(app.BaseUrl + await sme.Locator("#ics").GetAttributeAsync("href"));
        ics.Status.Should().Be(200);
        (await ics.TextAsync()).Should().Contain("BEGIN:VCALENDAR").And.Contain(buyerName);
        await sme.EmulateMediaAsync(new() { Media = Media.Print });
        await app.ScreenshotAsync(sme, "sme-itinerary-print");
        var pdf = Encoding.Latin1.GetString(await sme.PdfAsync(new() { Format = "A4", PreferCSSPageSize = true }));
        Regex.Count(pdf, @"/Type\s*/Page\b").Should().Be(1, "the printed itinerary is one A4 page");
        await sme.EmulateMediaAsync(new() { Media = Media.Screen });

        // On the day the SME cancels: the organiser repairs, reviews the diff and who will be told, and publishes.
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/day?event={Event}");
        await organiser.FillAsync("#meeting-filter", smeName);
        var option = organiser.Locator("#meeting option", new() { HasText = buyerName });
        await organiser.SelectOptionAsync("#meeting", await option.GetAttributeAsync("value") ?? "");
        await organiser.SelectOptionAsync("#who", "sme");
        await organiser.SelectOptionAsync("#what", "cancel");
        await organiser.ClickAsync("#repair");
        await Expect(organiser.Locator("#diff")).ToBeVisibleAsync();
        await Expect(organiser.Locator("#count-cancelled b")).Not.ToHaveTextAsync("0");
        await Expect(organiser.Locator("#list-cancelled")).ToContainTextAsync(buyerName);
        await Expect(organiser.Locator("#list-notifyBuyers")).ToContainTextAsync(buyerName);
        // Issue 16: the repair's diff and its reasons (the API's text) in Korean only.
        await Expect(organiser.Locator("#list-cancelled")).ToContainTextAsync("(중소기업 취소)");
        await PageChecks.KoreanOnlyAsync(organiser.Locator("#diff"), names);
        await PageChecks.AllAsync(organiser);
        await app.ScreenshotAsync(organiser, "organiser-day-diff-laptop");
        var cancelled = await organiser.Locator("#count-cancelled b").InnerTextAsync();
        await organiser.ClickAsync("#confirm");
        await Expect(organiser.Locator("#confirm-message")).ToHaveClassAsync(new Regex("ok"));

        // The board no longer shows the SME; its page shows the meeting cancelled.
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/board?event={Event}");
        await Expect(organiser.Locator("#statStatus")).ToContainTextAsync("발표됨");
        await Expect(organiser.Locator("button.meeting").First).ToBeVisibleAsync();
        await Expect(organiser.Locator($"button.meeting[data-sme='{smeName}']")).ToHaveCountAsync(0);
        await Expect(organiser.Locator("#statDiff")).ToContainTextAsync($"취소 {cancelled}");
        await app.ScreenshotAsync(organiser, "organiser-board-repaired-laptop");
        var csv = await organiserContext.APIRequest.GetAsync(app.BaseUrl + await organiser.Locator("#export-csv-buyer").GetAttributeAsync("href"));
        csv.Status.Should().Be(200);
        (await csv.TextAsync()).Should().Contain(buyerName).And.NotContain(smeName, "the cancelled SME has no live meeting left");
        await sme.ReloadAsync();
        await Expect(sme.Locator("#itinerary")).ToBeVisibleAsync();
        await Expect(sme.Locator("#itinerary li.meeting[data-status='scheduled']")).ToHaveCountAsync(0);
        await app.ScreenshotAsync(sme, "sme-itinerary-after-repair-phone");

        // Later that day the buyer records the outcome of another of its meetings on its agenda (recorded before the
        // cancellation it would have made every earlier slot history, which a repair keeps as it is).
        await buyer.ReloadAsync();
        var other = buyer.Locator("#agenda li.meeting[data-status='scheduled']").Filter(new() { HasNotText = smeName }).First;
        await other.Locator("select[id^='status-']").SelectOptionAsync("held");
        await other.Locator("select[id^='rating-']").SelectOptionAsync("4");
        await other.Locator("select[id^='follow-']").SelectOptionAsync("sample");
        await other.Locator("button[type='submit']").ClickAsync();
        await Expect(other.Locator(".message")).ToHaveClassAsync(new Regex("ok"));
        await PageChecks.AllAsync(buyer);
        await app.ScreenshotAsync(buyer, "buyer-agenda-phone");

        // The event report draws its charts from what happened: the held meeting with its rating, the cancellation.
        await organiser.GotoAsync($"{app.BaseUrl}/organiser/report?event={Event}");
        await Expect(organiser.Locator("#rHeld b")).ToHaveTextAsync("1");
        await Expect(organiser.Locator("#rMeanRating b")).ToHaveTextAsync("4.00");
        foreach (var chart in new[] { "chart-meetings", "chart-sector", "chart-ratings", "chart-follow", "chart-fairness" })
            (await organiser.Locator($"#{chart}-svg rect.bar").CountAsync()).Should().BeGreaterThan(0, chart);
        await PageChecks.AllAsync(organiser);
        await app.ScreenshotAsync(organiser, "organiser-report-laptop");
    }

    [Fact]
    public async Task An_SME_withdraws_one_request_and_the_buyer_declines_another_with_a_reason_the_SME_then_reads()
    {
        await app.OpenRequestWindowAsync();
        var (smeId, smeName) = (await app.SmesAsync())[20];
        var buyers = await app.BuyersAsync();
        var (keptId, keptName) = buyers[10];
        var (withdrawnId, withdrawnName) = buyers[11];

        await using var smeContext = await app.PhoneAsync();
        var sme = await smeContext.NewPageAsync();
        await sme.GotoAsync(await app.LinkAsync("sme", smeId));
        foreach (var id in new[] { keptId, withdrawnId })
        {
            await sme.SelectOptionAsync("#req-buyer", id.ToString());
            await sme.FillAsync("#req-pitch", "수소 배관용 밸브를 소개합니다.");
            await sme.ClickAsync("#send-request");
            await Expect(sme.Locator("#request-message")).ToHaveClassAsync(new Regex("ok"));
        }
        var withdrawn = sme.Locator("#requests li.request", new() { HasText = withdrawnName });
        await withdrawn.Locator("button.withdraw").ClickAsync();
        await Expect(sme.Locator("#requests li.request", new() { HasText = withdrawnName })).ToHaveAttributeAsync("data-state", "withdrawn");

        await using var buyerContext = await app.PhoneAsync();
        var buyer = await buyerContext.NewPageAsync();
        await buyer.GotoAsync(await app.LinkAsync("buyer", keptId));
        var incoming = buyer.Locator("#inbox li.request[data-state='pending']", new() { HasText = smeName });
        await incoming.Locator("textarea").FillAsync("이번 행사에서는 배관 자재 수요가 없습니다.");
        await incoming.Locator("button.decline").ClickAsync();
        await Expect(buyer.Locator("#inbox li.request", new() { HasText = smeName })).ToHaveAttributeAsync("data-state", "declined");
        await app.ScreenshotAsync(buyer, "buyer-declined-phone");

        await sme.ReloadAsync();
        var declined = sme.Locator("#requests li.request", new() { HasText = keptName });
        await Expect(declined).ToHaveAttributeAsync("data-state", "declined");
        await Expect(declined).ToContainTextAsync("배관 자재 수요가 없습니다");
        await PageChecks.AllAsync(sme);
    }

    [Fact]
    public async Task On_the_day_a_buyer_accepts_a_request_straight_into_a_free_slot_and_both_schedules_show_it()
    {
        await app.OpenRequestWindowAsync();
        await app.PublishTimetableAsync();
        var (smeId, smeName) = (await app.SmesAsync())[30];
        var recommendations = await app.Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{Event}/smes/{smeId}/recommendations?top=30");
        var pick = recommendations.GetProperty("items").EnumerateArray().First(r => r.GetProperty("freeSlots").GetArrayLength() > 0
            && r.GetProperty("request").ValueKind == JsonValueKind.Null && r.GetProperty("meetingId").ValueKind == JsonValueKind.Null);
        var buyerId = pick.GetProperty("buyerId").GetInt64();
        var buyerName = pick.GetProperty("buyerName").GetString()!;
        var slot = pick.GetProperty("freeSlots")[0].GetProperty("code").GetString()!;

        await using var smeContext = await app.PhoneAsync();
        var sme = await smeContext.NewPageAsync();
        await sme.GotoAsync(await app.LinkAsync("sme", smeId));
        await sme.SelectOptionAsync("#req-buyer", buyerId.ToString());
        await sme.ClickAsync("#send-request");
        await Expect(sme.Locator("#request-message")).ToHaveClassAsync(new Regex("ok"));

        await using var buyerContext = await app.PhoneAsync();
        var buyer = await buyerContext.NewPageAsync();
        await buyer.GotoAsync(await app.LinkAsync("buyer", buyerId));
        var incoming = buyer.Locator("#inbox li.request[data-state='pending']", new() { HasText = smeName });
        await incoming.Locator("select.book-slot").SelectOptionAsync(slot);
        await PageChecks.AllAsync(buyer);
        await incoming.Locator("button.accept").ClickAsync();
        await Expect(buyer.Locator("#inbox-message")).ToHaveClassAsync(new Regex("ok"));
        await Expect(buyer.Locator("#inbox-message")).ToContainTextAsync(slot);
        await Expect(buyer.Locator("#agenda li.meeting", new() { HasText = smeName })).ToHaveAttributeAsync("data-status", "scheduled");
        await app.ScreenshotAsync(buyer, "buyer-booked-phone");

        await sme.ReloadAsync();
        await Expect(sme.Locator("#itinerary li.meeting[data-status='scheduled']", new() { HasText = buyerName })).ToHaveCountAsync(1);
    }

    static async Task<string> IssueLinkAsync(IPage organiser, string table, long id)
    {
        var row = organiser.Locator($"{table} button.issue-link[data-id='{id}']");
        await row.ClickAsync();
        var link = organiser.Locator($"{table} input.access-link[id$='-{id}']");
        await Expect(link).ToHaveValueAsync(new Regex("/login\\?token="));
        return await link.InputValueAsync();
    }
}
