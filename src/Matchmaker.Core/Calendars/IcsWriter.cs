using System.Globalization;
using System.Text;

namespace Matchmaker.Core.Calendars;

/// <summary>One meeting as a calendar event (VEVENT), in the event's local time.</summary>
/// <param name="Uid">Stable for the meeting across timetable versions, so a calendar updates the entry instead of adding one.</param>
/// <param name="Sequence">Raised on every change of time, place or status; calendars keep the entry with the highest.</param>
/// <param name="Cancelled">Kept in the feed as STATUS:CANCELLED so that subscribed calendars remove or strike the entry.</param>
/// <param name="LastModified">When the meeting last changed (LAST-MODIFIED), if known.</param>
/// <param name="Organizer">Who runs the meeting (ORGANIZER); iTIP requires it in a CANCEL message.</param>
/// <param name="Attendee">Who is told (ATTENDEE), when known.</param>
public sealed record CalendarEntry(string Uid, DateTime LocalStart, DateTime LocalEnd, string Summary, string Location, string Description,
    int Sequence, bool Cancelled, DateTimeOffset? LastModified = null, CalendarPerson? Organizer = null, CalendarPerson? Attendee = null);

/// <summary>A person or office in a calendar entry, written as <c>CN=name:mailto:email</c>.</summary>
public sealed record CalendarPerson(string Name, string Email);

/// <summary>A whole calendar file: the entries of one itinerary or agenda, all in one time zone.</summary>
/// <param name="TimeZone">IANA id of the zone the entries' local times are in (Asia/Seoul for Korean expos).</param>
/// <param name="Method">PUBLISH for a feed; REQUEST for an iTIP invitation (RFC 5546; one meeting, with ORGANIZER and
/// ATTENDEE); CANCEL only for a file that carries nothing but cancellations.</param>
public sealed record CalendarFeed(string ProdId, string Name, string TimeZone, IReadOnlyList<CalendarEntry> Entries, string Method = "PUBLISH");

/// <summary>
/// Writes RFC 5545 iCalendar files: CRLF line ends, TEXT values escaped, content lines folded at 75 octets without ever
/// splitting a UTF-8 sequence, a VTIMEZONE for the event's zone and DTSTART/DTEND with TZID.
/// </summary>
/// <remarks>
/// The VTIMEZONE is written for zones whose offset is the same all through the years the entries span (Asia/Seoul has had
/// no daylight saving since 1988): one STANDARD sub-component. For a zone that changes offset in those years the times go
/// out in UTC instead (no TZID), which every calendar reads correctly, rather than a hand-made set of DST rules that
/// could be wrong.
/// </remarks>
public static class IcsWriter
{
    /// <summary>The longest content line in octets, CRLF not counted (RFC 5545 §3.1).</summary>
    public const int MaxLineOctets = 75;

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Abbreviations for TZNAME; a zone not listed gets its offset ("+0900").</summary>
    static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["Asia/Seoul"] = "KST",
        ["Asia/Tokyo"] = "JST",
        ["Asia/Shanghai"] = "CST",
        ["Etc/UTC"] = "UTC",
        ["UTC"] = "UTC",
    };

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
        var fixedOffset = FixedOffset(zone, feed.Entries);
        var output = new StringBuilder();
        void Line(string line) => AppendFolded(output, line);

        Line("BEGIN:VCALENDAR");
        Line("PRODID:" + Escape(feed.ProdId));
        Line("VERSION:2.0");
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:" + feed.Method);
        Line("X-WR-CALNAME:" + Escape(feed.Name));
        if (fixedOffset is { } offset)
        {
            Line("X-WR-TIMEZONE:" + feed.TimeZone);
            Line("BEGIN:VTIMEZONE");
            Line("TZID:" + feed.TimeZone);
            Line("BEGIN:STANDARD");
            Line("DTSTART:19700101T000000");
            Line("TZOFFSETFROM:" + Offset(offset));
            Line("TZOFFSETTO:" + Offset(offset));
            Line("TZNAME:" + Escape(Abbreviations.GetValueOrDefault(feed.TimeZone) ?? Offset(offset)));
            Line("END:STANDARD");
            Line("END:VTIMEZONE");
        }
        var dtStamp = Utc(stamp);
        foreach (var entry in feed.Entries)
        {
            if (entry.LocalEnd < entry.LocalStart) throw new ArgumentException($"entry {entry.Uid} ends before it starts", nameof(feed));
            Line("BEGIN:VEVENT");
            Line("UID:" + Escape(entry.Uid));
            Line("DTSTAMP:" + dtStamp);
            if (fixedOffset is not null)
            {
                Line($"DTSTART;TZID={feed.TimeZone}:{Local(entry.LocalStart)}");
                Line($"DTEND;TZID={feed.TimeZone}:{Local(entry.LocalEnd)}");
            }
            else
            {
                Line("DTSTART:" + Utc(ToInstant(entry.LocalStart, zone)));
                Line("DTEND:" + Utc(ToInstant(entry.LocalEnd, zone)));
            }
            Line("SUMMARY:" + Escape(entry.Summary));
            if (entry.Location.Length > 0) Line("LOCATION:" + Escape(entry.Location));
            if (entry.Description.Length > 0) Line("DESCRIPTION:" + Escape(entry.Description));
            Line("SEQUENCE:" + Math.Max(0, entry.Sequence).ToString(CultureInfo.InvariantCulture));
            Line("STATUS:" + (entry.Cancelled ? "CANCELLED" : "CONFIRMED"));
            Line("TRANSP:" + (entry.Cancelled ? "TRANSPARENT" : "OPAQUE"));
            if (entry.LastModified is { } modified) Line("LAST-MODIFIED:" + Utc(modified));
            if (entry.Organizer is { } organizer) Line($"ORGANIZER;CN={Parameter(organizer.Name)}:mailto:{organizer.Email}");
            if (entry.Attendee is { } attendee) Line($"ATTENDEE;CN={Parameter(attendee.Name)};ROLE=REQ-PARTICIPANT:mailto:{attendee.Email}");
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return output.ToString();
    }

    /// <summary>A parameter value (RFC 5545 §3.2): quoted, with the characters a quoted value may not hold dropped.</summary>
    static string Parameter(string value) => "\"" + new string(value.Where(c => c != '"' && !char.IsControl(c)).ToArray()) + "\"";

    /// <summary>
    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break as \n; other control
    /// characters, which TEXT may not hold, are dropped.
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            switch (ch)
            {
                case '\\': builder.Append(@"\\"); break;
                case ';': builder.Append(@"\;"); break;
                case ',': builder.Append(@"\,"); break;
                case '\r':
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    builder.Append(@"\n");
                    break;
                case '\n': builder.Append(@"\n"); break;
                case '\t': builder.Append(' '); break;
                default:
                    if (!char.IsControl(ch)) builder.Append(ch);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Appends <paramref name="line"/> and CRLF, folded so that no physical line exceeds 75 octets of UTF-8: a
    /// continuation starts with one space (which counts), and a break falls only between whole characters.
    /// </summary>
    public static void AppendFolded(StringBuilder output, string line)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(line);
        var octets = 0;
        var limit = MaxLineOctets;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > limit)
            {
                output.Append("\r\n ");
                octets = 1;
                limit = MaxLineOctets;
            }
            output.Append(rune.ToString());
            octets += size;
        }
        output.Append("\r\n");
    }

    /// <summary>The zone's offset when it is the same on every day of the years the entries span; otherwise null.</summary>
    static TimeSpan? FixedOffset(TimeZoneInfo zone, IReadOnlyList<CalendarEntry> entries)
    {
        if (!zone.SupportsDaylightSavingTime) return zone.BaseUtcOffset;
        if (entries.Count == 0) return null;
        var first = entries.Min(e => e.LocalStart).Year;
        var last = entries.Max(e => e.LocalEnd).Year;
        var offset = zone.GetUtcOffset(new DateTime(first, 1, 1, 12, 0, 0, DateTimeKind.Unspecified));
        for (var day = new DateTime(first, 1, 1, 12, 0, 0, DateTimeKind.Unspecified); day.Year <= last; day = day.AddDays(1))
            if (zone.GetUtcOffset(day) != offset) return null;
        return offset;
    }

    static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }

    static string Local(DateTime local) => local.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

    static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    static string Offset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
}
