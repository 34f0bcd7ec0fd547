using System.Globalization;
using Matchmaker.Core.Calendars;
using Matchmaker.Core.Meetings;

namespace Matchmaker.Api.Itineraries;

/// <summary>Itineraries and agendas as calendar feeds: one entry per live meeting, cancelled ones kept as cancelled.</summary>
public static class ItineraryCalendar
{
    static string ProdId(ItineraryText text) => $"-//Matchmaker//Itineraries 1.0//{text.Lang.ToUpperInvariant()}";

    public static CalendarFeed Sme(SmeItinerary itinerary, ItineraryText text)
    {
        var e = itinerary.Event;
        return new CalendarFeed(ProdId(text), $"{e.Name} {text.Calendar} – {itinerary.SmeName}", e.TimeZone, itinerary.Meetings.Select(m =>
            new CalendarEntry(CalendarEntry.MeetingUid(m.MeetingId, e.EventId), m.LocalStart, m.LocalEnd, $"{text.MeetingWith}: {m.Buyer.Name}",
                text.Place(e.Venue, m.Hall, m.Table, m.Buyer.Name),
                Lines(
                    $"{text.Buyer}: {m.Buyer.Name}",
                    m.Demand is { } d ? $"{text.Demand}: {d.Title}" : null,
                    $"{text.Slot}: {m.Slot}",
                    m.Status == MeetingStatus.Scheduled ? null : $"{text.StatusHeader}: {text.Status(m.Status)}"),
                m.Sequence, m.Status == MeetingStatus.Cancelled, m.UpdatedAt)).ToList());
    }

    public static CalendarFeed Buyer(BuyerAgenda agenda, ItineraryText text)
    {
        var e = agenda.Event;
        var entries = agenda.Tables.SelectMany(t => t.Meetings.Select(m => (t.Table, m)))
            .OrderBy(x => x.m.LocalStart).ThenBy(x => x.Table)
            .Select(x => new CalendarEntry(CalendarEntry.MeetingUid(x.m.MeetingId, e.EventId), x.m.LocalStart, x.m.LocalEnd,
                $"{text.MeetingWith}: {x.m.Sme.Name} ({text.Table(x.Table)})",
                text.Place(e.Venue, agenda.Hall, x.Table),
                Lines(
                    $"{text.Sme}: {x.m.Sme.Name} ({text.BusinessNumber} {x.m.Sme.BusinessNumber})",
                    x.m.Sme.Sector is { Length: > 0 } sector ? $"{text.Sector}: {sector}" : null,
                    x.m.Sme.Region is { Length: > 0 } region ? $"{text.Region}: {region}" : null,
                    x.m.Demand is { } d ? $"{text.Demand}: {d.Title}" : null,
                    x.m.Score is { } score ? $"{text.Score}: {score.ToString("0.00", CultureInfo.InvariantCulture)}" : null,
                    $"{text.Slot}: {x.m.Slot}",
                    x.m.Status == MeetingStatus.Scheduled ? null : $"{text.StatusHeader}: {text.Status(x.m.Status)}"),
                x.m.Sequence, x.m.Status == MeetingStatus.Cancelled, x.m.UpdatedAt))
            .ToList();
        return new CalendarFeed(ProdId(text), $"{e.Name} {text.Calendar} – {agenda.Name}", e.TimeZone, entries);
    }

    static string Lines(params string?[] lines) => string.Join("\n", lines.OfType<string>());
}
