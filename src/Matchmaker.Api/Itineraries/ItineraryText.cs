using Matchmaker.Core.Messages;
using System.Globalization;
using Matchmaker.Core.Meetings;

namespace Matchmaker.Api.Itineraries;

/// <summary>The words of printed itineraries, calendars and exports, in Korean (the default) and English, from the message catalogue.</summary>
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

    static string T(string code, MessageLanguage language) => MessageCatalog.Text(code, language);

    public static readonly ItineraryText Korean = new(
        Lang: "ko",
        ItineraryTitle: T("print.itinerary_title", MessageLanguage.Ko),
        AgendaTitle: T("print.agenda_title", MessageLanguage.Ko),
        Time: T("print.time", MessageLanguage.Ko),
        Slot: T("print.slot", MessageLanguage.Ko),
        Buyer: T("print.buyer", MessageLanguage.Ko),
        Sme: T("print.sme", MessageLanguage.Ko),
        HallHeader: T("print.hall_header", MessageLanguage.Ko),
        TableHeader: T("print.table_header", MessageLanguage.Ko),
        Demand: T("print.demand", MessageLanguage.Ko),
        StatusHeader: T("print.status_header", MessageLanguage.Ko),
        Score: T("print.score", MessageLanguage.Ko),
        Sector: T("print.sector", MessageLanguage.Ko),
        Region: T("print.region", MessageLanguage.Ko),
        BusinessNumber: T("print.business_number", MessageLanguage.Ko),
        NoMeetings: T("print.no_meetings", MessageLanguage.Ko),
        CancelledMeetings: T("print.cancelled_meetings", MessageLanguage.Ko),
        Printed: T("print.printed", MessageLanguage.Ko),
        Calendar: T("print.calendar", MessageLanguage.Ko),
        MeetingWith: T("print.meeting_with", MessageLanguage.Ko),
        Scheduled: T("print.scheduled", MessageLanguage.Ko),
        Held: T("print.held", MessageLanguage.Ko),
        NoShow: T("print.no_show", MessageLanguage.Ko),
        CancelledStatus: T("print.cancelled_status", MessageLanguage.Ko),
        Hall: hall => $"{hall}홀",
        Table: table => $"테이블 {table.ToString(CultureInfo.InvariantCulture)}",
        Day: day => $"{day.Month}월 {day.Day}일 ({KoreanWeekdays[(int)day.DayOfWeek]})");

    public static readonly ItineraryText English = new(
        Lang: "en",
        ItineraryTitle: T("print.itinerary_title", MessageLanguage.En),
        AgendaTitle: T("print.agenda_title", MessageLanguage.En),
        Time: T("print.time", MessageLanguage.En),
        Slot: T("print.slot", MessageLanguage.En),
        Buyer: T("print.buyer", MessageLanguage.En),
        Sme: T("print.sme", MessageLanguage.En),
        HallHeader: T("print.hall_header", MessageLanguage.En),
        TableHeader: T("print.table_header", MessageLanguage.En),
        Demand: T("print.demand", MessageLanguage.En),
        StatusHeader: T("print.status_header", MessageLanguage.En),
        Score: T("print.score", MessageLanguage.En),
        Sector: T("print.sector", MessageLanguage.En),
        Region: T("print.region", MessageLanguage.En),
        BusinessNumber: T("print.business_number", MessageLanguage.En),
        NoMeetings: T("print.no_meetings", MessageLanguage.En),
        CancelledMeetings: T("print.cancelled_meetings", MessageLanguage.En),
        Printed: T("print.printed", MessageLanguage.En),
        Calendar: T("print.calendar", MessageLanguage.En),
        MeetingWith: T("print.meeting_with", MessageLanguage.En),
        Scheduled: T("print.scheduled", MessageLanguage.En),
        Held: T("print.held", MessageLanguage.En),
        NoShow: T("print.no_show", MessageLanguage.En),
        CancelledStatus: T("print.cancelled_status", MessageLanguage.En),
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
