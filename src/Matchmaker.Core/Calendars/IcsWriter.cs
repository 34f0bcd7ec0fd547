using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Matchmaker.Core.Calendars;

/// <summary>One meeting as a calendar event (VEVENT), in the event's local time.</summary>
/// <param name="Uid">Stable for the meeting across timetable versions, so a calendar updates the entry instead of adding one.</param>
/// <param name="Sequence">Raised on every change of time, place or status; calendars keep the entry with the highest.</param>
/// <param name="Cancelled">Kept in the feed as STATUS:CANCELLED so that subscribed calendars remove or strike the entry.</param>
/// <param name="LastModified">When the meeting last changed (LAST-MODIFIED), if known.</param>
/// <param name="Organizer">Who runs the meeting (ORGANIZER); iTIP requires it in a CANCEL message.</param>
/// <param name="Attendee">Who is told (ATTENDEE), when known.</param>
public sealed record CalendarEntry(string Uid, DateTime LocalStart, DateTime LocalEnd, string Summary, string Location, string Description,
    int Sequence, bool Cancelled, DateTimeOffset? LastModified = null, CalendarPerson? Organizer = null, CalendarPerson? Attendee = null)
{
    /// <summary>The UID of a meeting's calendar entry, in every feed, cancellation file and notification: the meeting's id
    /// is stable for the SME–buyer pair across timetable versions, so calendars update the entry in place.</summary>
    public static string MeetingUid(long meetingId, string eventId) =>
        $"meeting-{meetingId.ToString(System.Globalization.CultureInfo.InvariantCulture)}@{eventId}.matchmaker";
}

/// <summary>A person or office in a calendar entry, written as <c>CN=name:mailto:email</c>.</summary>
public sealed record CalendarPerson(string Name, string Email);

/// <summary>A whole calendar file: the entries of one itinerary or agenda, all in one time zone.</summary>
/// <param name="TimeZone">IANA id of the zone the entries' local times are in (Asia/Seoul for Korean expos).</param>
/// <param name="Method">PUBLISH for a feed; REQUEST for an iTIP invitation (RFC 5546; one meeting, with ORGANIZER and
/// ATTENDEE); CANCEL only for a file that carries nothing but cancellations.</param>
public sealed record CalendarFeed(string ProdId, string Name, string TimeZone, IReadOnlyList<CalendarEntry> Entries, string Method = "PUBLISH");

/// <summary>
/// Writes RFC 5545 iCalendar files with Ical.Net: a VTIMEZONE for the event's zone, DTSTART/DTEND with TZID, TEXT
/// escaped and content lines folded at 75 octets by its serializer.
/// </summary>
/// <remarks>
/// The VTIMEZONE comes from <c>VTimeZone.FromDateTimeZone(zone, 1 January of the first entry's year, false)</c>: its
/// rules from that year on (Asia/Seoul: one STANDARD block at +0900; a zone with daylight saving gets its STANDARD and
/// DAYLIGHT rules). <c>new VTimeZone(id)</c> would write the TZID alone, with no STANDARD block, which RFC 5545 forbids.
/// One part stays ours, <see cref="Text"/>: Ical.Net writes a tab or other control character inside TEXT as it is, and
/// its own parser then refuses the line, so we turn tabs into spaces and drop other control characters first.
/// </remarks>
public static class IcsWriter
{
    /// <summary>The longest content line in octets, CRLF not counted (RFC 5545 §3.1).</summary>
    public const int MaxLineOctets = 75;

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The calendar as UTF-8 bytes (no BOM).</summary>
    public static byte[] ToBytes(CalendarFeed feed, DateTimeOffset stamp) => Utf8.GetBytes(Write(feed, stamp));

    /// <summary>The calendar text. <paramref name="stamp"/> is DTSTAMP, when the file was made (from a TimeProvider).</summary>
    /// <exception cref="TimeZoneNotFoundException">The feed's zone is unknown on this system.</exception>
    public static string Write(CalendarFeed feed, DateTimeOffset stamp)
    {
        ArgumentNullException.ThrowIfNull(feed);
        if (feed.Method is not ("PUBLISH" or "REQUEST" or "CANCEL"))
            throw new ArgumentException($"method must be PUBLISH, REQUEST or CANCEL, not '{feed.Method}'", nameof(feed));
        var zone = TimeZoneInfo.FindSystemTimeZoneById(feed.TimeZone);
        var firstYear = feed.Entries.Count > 0
            ? feed.Entries.Min(e => e.LocalStart).Year
            : TimeZoneInfo.ConvertTime(stamp, zone).Year;

        var calendar = new Calendar { ProductId = feed.ProdId, Scale = "GREGORIAN", Method = feed.Method };
        calendar.AddProperty("X-WR-CALNAME", Text(feed.Name));
        calendar.AddProperty("X-WR-TIMEZONE", feed.TimeZone);
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(feed.TimeZone, new DateTime(firstYear, 1, 1), includeHistoricalData: false));
        var dtStamp = Utc(stamp);
        foreach (var entry in feed.Entries)
        {
            if (entry.LocalEnd < entry.LocalStart) throw new ArgumentException($"entry {entry.Uid} ends before it starts", nameof(feed));
            var item = new CalendarEvent
            {
                Uid = entry.Uid,
                DtStamp = dtStamp,
                DtStart = Local(entry.LocalStart, feed.TimeZone),
                DtEnd = Local(entry.LocalEnd, feed.TimeZone),
                Summary = Text(entry.Summary),
                Sequence = Math.Max(0, entry.Sequence),
                Status = entry.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
                Transparency = entry.Cancelled ? TransparencyType.Transparent : TransparencyType.Opaque,
            };
            if (entry.Location.Length > 0) item.Location = Text(entry.Location);
            if (entry.Description.Length > 0) item.Description = Text(entry.Description);
            if (entry.LastModified is { } modified) item.LastModified = Utc(modified);
            if (entry.Organizer is { } organizer)
                item.Organizer = new Organizer("mailto:" + organizer.Email) { CommonName = Parameter(organizer.Name) };
            if (entry.Attendee is { } attendee)
                item.Attendees.Add(new Attendee("mailto:" + attendee.Email) { CommonName = Parameter(attendee.Name), Role = "REQ-PARTICIPANT" });
            calendar.Events.Add(item);
        }
        return new CalendarSerializer().SerializeToString(calendar)
               ?? throw new InvalidOperationException("Ical.Net wrote no calendar");
    }

    /// <summary>
    /// A TEXT value as Ical.Net should get it: every line break as LF (it escapes that as \n), a tab as a space, no other
    /// control character (TEXT may not hold them, and Ical.Net would write them unescaped).
    /// </summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            switch (ch)
            {
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    builder.Append('\n');
                    break;
                case '\n': builder.Append('\n'); break;
                case '\t': builder.Append(' '); break;
                default:
                    if (!char.IsControl(ch)) builder.Append(ch);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>A parameter value (CN): no line breaks or control characters, and no double quote, which no parameter may hold.</summary>
    static string Parameter(string value) => new(value.Where(c => c != '"' && !char.IsControl(c)).ToArray());

    static CalDateTime Local(DateTime local, string zone) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);

    static CalDateTime Utc(DateTimeOffset instant) =>
        new(DateTime.SpecifyKind(instant.UtcDateTime.AddTicks(-(instant.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc));
}
