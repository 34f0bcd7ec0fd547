using System.Globalization;
using Matchmaker.Core.Meetings;

namespace Matchmaker.Api.Itineraries;

/// <summary>The words of printed itineraries and calendars, in Korean (the default) and English.</summary>
public sealed record ItineraryText(
    string Lang,
    string ItineraryTitle,
    string AgendaTitle,
    string Time,
    string Slot,
    string Buyer,
    string Sme,
    string HallHeader,
    string TableHeader,
    string Demand,
    string StatusHeader,
    string Score,
    string Sector,
    string Region,
    string BusinessNumber,
    string NoMeetings,
    string CancelledMeetings,
    string Printed,
    string Calendar,
    string MeetingWith,
    string Scheduled,
    string Held,
    string NoShow,
    string CancelledStatus,
    Func<string, string> Hall,
    Func<int, string> Table,
    Func<DateTime, string> Day)
{
    static readonly string[] KoreanWeekdays = ["일", "월", "화", "수", "목", "금", "토"];

    public static readonly ItineraryText Korean = new(
        Lang: "ko",
        ItineraryTitle: "상담 일정표",
        AgendaTitle: "구매상담 일정표",
        Time: "시간",
        Slot: "슬롯",
        Buyer: "구매기업",
        Sme: "참가기업",
        HallHeader: "상담홀",
        TableHeader: "테이블",
        Demand: "수요",
        StatusHeader: "상태",
        Score: "적합도",
        Sector: "업종",
        Region: "지역",
        BusinessNumber: "사업자등록번호",
        NoMeetings: "배정된 상담이 없습니다.",
        CancelledMeetings: "취소된 상담",
        Printed: "출력",
        Calendar: "상담 일정",
        MeetingWith: "구매상담",
        Scheduled: "예정",
        Held: "완료",
        NoShow: "불참",
        CancelledStatus: "취소",
        Hall: hall => $"{hall}홀",
        Table: table => $"테이블 {table.ToString(CultureInfo.InvariantCulture)}",
        Day: day => $"{day.Month}월 {day.Day}일 ({KoreanWeekdays[(int)day.DayOfWeek]})");

    public static readonly ItineraryText English = new(
        Lang: "en",
        ItineraryTitle: "Meeting itinerary",
        AgendaTitle: "Buyer agenda",
        Time: "Time",
        Slot: "Slot",
        Buyer: "Buyer",
        Sme: "SME",
        HallHeader: "Hall",
        TableHeader: "Table",
        Demand: "Demand",
        StatusHeader: "Status",
        Score: "Fit",
        Sector: "Sector",
        Region: "Region",
        BusinessNumber: "Business no.",
        NoMeetings: "No meetings are scheduled.",
        CancelledMeetings: "Cancelled meetings",
        Printed: "Printed",
        Calendar: "meetings",
        MeetingWith: "Consultation",
        Scheduled: "Scheduled",
        Held: "Held",
        NoShow: "No-show",
        CancelledStatus: "Cancelled",
        Hall: hall => $"Hall {hall}",
        Table: table => $"Table {table.ToString(CultureInfo.InvariantCulture)}",
        Day: day => day.ToString("ddd d MMM", CultureInfo.InvariantCulture));

    public static ItineraryText For(Language language) => language == Language.En ? English : Korean;

    public string Status(MeetingStatus status) => status switch
    {
        MeetingStatus.Held => Held,
        MeetingStatus.NoShow => NoShow,
        MeetingStatus.Cancelled => CancelledStatus,
        _ => Scheduled,
    };

    /// <summary>"10:00–10:30".</summary>
    public static string Span(DateTime start, DateTime end) =>
        $"{start.ToString("HH:mm", CultureInfo.InvariantCulture)}–{end.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Venue, hall and table, e.g. "BEXCO 제1전시장, A홀, 포스코 테이블 2". Table numbers count per buyer, so an SME's
    /// calendar names the buyer whose table it is (<paramref name="buyer"/>); a buyer's own calendar does not need to.
    /// </summary>
    public string Place(string venue, string? hall, int table, string? buyer = null) =>
        string.Join(", ", new[] { venue, hall is { Length: > 0 } ? Hall(hall) : null, buyer is null ? Table(table) : $"{buyer} {Table(table)}" }
            .Where(p => !string.IsNullOrEmpty(p)));
}
