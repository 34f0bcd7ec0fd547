using System.Text;
using Ical.Net;
using Matchmaker.Core.Calendars;

namespace Matchmaker.Core.Tests.Calendars;

/// <summary>The writer's files, read back with Ical.Net's parser (and, for folding and line ends, byte by byte).</summary>
public class IcsWriterTests
{
    static readonly DateTimeOffset Stamp = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    static CalendarEntry Entry(string summary = "구매상담", string location = "BEXCO, A홀, 테이블 1", string description = "", int sequence = 0,
        bool cancelled = false) =>
        new("meeting-7@busan-2026.matchmaker", new DateTime(2026, 5, 20, 10, 0, 0), new DateTime(2026, 5, 20, 10, 30, 0), summary, location,
            description, sequence, cancelled);

    static CalendarFeed Feed(params CalendarEntry[] entries) => new("-//Matchmaker//Itineraries//KO", "상담 일정", "Asia/Seoul", entries);

    static Calendar Parse(byte[] bytes) => Calendar.Load(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes))!;

    static IEnumerable<byte[]> PhysicalLines(byte[] bytes)
    {
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
            if (bytes[i] == '\r' && bytes[i + 1] == '\n')
            {
                yield return bytes[start..i];
                start = i + 2;
                i++;
            }
        start.Should().Be(bytes.Length, "the file ends with CRLF");
    }

    [Fact]
    public void Backslash_semicolon_comma_and_line_breaks_in_text_come_back_as_written()
    {
        var bytes = IcsWriter.ToBytes(Feed(Entry(summary: "a\\b;c,d", location: "BEXCO, A홀; 1", description: "첫 줄\r\n둘째 줄\n셋째\r끝")), Stamp);
        var text = Encoding.UTF8.GetString(bytes);
        text.Should().Contain(@"SUMMARY:a\\b\;c\,d").And.Contain(@"LOCATION:BEXCO\, A홀\; 1");

        var entry = Parse(bytes).Events.Single();
        entry.Summary.Should().Be("a\\b;c,d");
        entry.Location.Should().Be("BEXCO, A홀; 1");
        entry.Description.Should().Be("첫 줄\n둘째 줄\n셋째\n끝", "every line break is one \\n");
    }

    [Fact]
    public void Regression_tabs_and_control_characters_in_text_do_not_break_the_file()
    {
        // Ical.Net writes a tab or a bell inside TEXT unescaped and its own parser then refuses the line.
        IcsWriter.Text("탭\t과\u0007벨\r\n끝").Should().Be("탭 과벨\n끝");
        var entry = Parse(IcsWriter.ToBytes(Feed(Entry(summary: "탭\t과\u0007벨", description: "\u0001x\ty")), Stamp)).Events.Single();
        entry.Summary.Should().Be("탭 과벨");
        entry.Description.Should().Be("x y");
    }

    [Fact]
    public void Every_line_ends_with_CRLF_and_no_bare_LF_is_left()
    {
        var bytes = IcsWriter.ToBytes(Feed(Entry(description: "첫 줄\n둘째 줄")), Stamp);
        var text = Encoding.UTF8.GetString(bytes);
        text.Replace("\r\n", "").Should().NotContain("\n").And.NotContain("\r");
        text.Should().StartWith("BEGIN:VCALENDAR\r\n").And.EndWith("END:VCALENDAR\r\n");
        text.Should().Contain(@"DESCRIPTION:첫 줄\n둘째 줄");
    }

    [Fact]
    public void Long_Korean_lines_fold_at_75_octets_without_splitting_a_character()
    {
        // 3-octet Hangul after an ASCII prefix of odd length puts a character across the 75th octet unless folding is careful.
        var summary = "X" + string.Concat(Enumerable.Repeat("가나다라마바사아자차카타파하", 12)) + " 😀 끝";
        var bytes = IcsWriter.ToBytes(Feed(Entry(summary: summary)), Stamp);

        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var lines = PhysicalLines(bytes).ToList();
        lines.Should().OnlyContain(l => l.Length <= IcsWriter.MaxLineOctets);
        foreach (var line in lines) strict.Invoking(e => e.GetString(line)).Should().NotThrow("each physical line holds whole characters");
        lines.Count(l => l.Length > 0 && l[0] == ' ').Should().BeGreaterThan(5);

        Parse(bytes).Events.Single().Summary.Should().Be(summary, "unfolding gives the line back");
    }

    [Fact]
    public void Seoul_gets_a_KST_timezone_without_daylight_saving_and_local_times_with_TZID()
    {
        var bytes = IcsWriter.ToBytes(Feed(Entry(sequence: 3, cancelled: true)), Stamp);
        var text = Encoding.UTF8.GetString(bytes);
        text.Should().Contain("DTSTART;TZID=Asia/Seoul:20260520T100000\r\n").And.Contain("DTEND;TZID=Asia/Seoul:20260520T103000\r\n");
        text.Should().Contain("DTSTAMP:20260501T093000Z\r\n").And.Contain("METHOD:PUBLISH\r\n").And.Contain("CALSCALE:GREGORIAN\r\n");

        var calendar = Parse(bytes);
        var zone = calendar.TimeZones.Single();
        zone.TzId.Should().Be("Asia/Seoul");
        var standard = zone.TimeZoneInfos.Should().ContainSingle("a VTIMEZONE needs a STANDARD or DAYLIGHT block; Seoul has one").Subject;
        standard.Name.Should().Be("STANDARD");
        standard.TimeZoneName.Should().Be("KST");
        standard.OffsetTo!.ToString().Should().Be("+0900");

        calendar.ProductId.Should().Be("-//Matchmaker//Itineraries//KO");
        calendar.Version.Should().Be("2.0");
        calendar.Properties["X-WR-CALNAME"]!.Value.Should().Be("상담 일정");
        var entry = calendar.Events.Single();
        entry.Uid.Should().Be("meeting-7@busan-2026.matchmaker");
        entry.Sequence.Should().Be(3);
        entry.Status.Should().Be("CANCELLED");
        entry.Transparency.Should().Be("TRANSPARENT");
        entry.DtStart!.TzId.Should().Be("Asia/Seoul");
        entry.DtStart!.AsUtc.Should().Be(new DateTime(2026, 5, 20, 1, 0, 0, DateTimeKind.Utc));
        entry.DtEnd!.AsUtc.Should().Be(new DateTime(2026, 5, 20, 1, 30, 0, DateTimeKind.Utc));
        entry.Location.Should().Be("BEXCO, A홀, 테이블 1");
    }

    [Fact]
    public void A_zone_with_daylight_saving_gets_its_standard_and_daylight_rules()
    {
        var winter = Entry() with { Uid = "winter", LocalStart = new DateTime(2026, 1, 20, 10, 0, 0), LocalEnd = new DateTime(2026, 1, 20, 10, 30, 0) };
        var feed = Feed(Entry(), winter) with { TimeZone = "Europe/Berlin" };
        var calendar = Parse(IcsWriter.ToBytes(feed, Stamp));

        calendar.TimeZones.Single().TimeZoneInfos.Select(i => i.Name).Should().BeEquivalentTo(["STANDARD", "DAYLIGHT"]);
        var events = calendar.Events.ToDictionary(e => e.Uid!);
        events["meeting-7@busan-2026.matchmaker"].DtStart!.AsUtc.Should().Be(new DateTime(2026, 5, 20, 8, 0, 0), "10:00 in Berlin in May is 08:00 UTC");
        events["winter"].DtStart!.AsUtc.Should().Be(new DateTime(2026, 1, 20, 9, 0, 0), "and in January 09:00 UTC");
    }

    [Fact]
    public void A_cancellation_file_has_METHOD_CANCEL_an_ORGANIZER_and_the_ATTENDEE()
    {
        var entry = Entry(sequence: 2, cancelled: true) with
        {
            Organizer = new CalendarPerson("2026 부산, \"구매상담회\"", "organiser@matchmaker.invalid"),
            Attendee = new CalendarPerson("㈜부산정밀", "sales@busan-precision.invalid"),
            LastModified = new DateTimeOffset(2026, 5, 20, 9, 0, 0, TimeSpan.FromHours(9)),
        };
        var calendar = Parse(IcsWriter.ToBytes(Feed(entry) with { Method = "CANCEL" }, Stamp));

        calendar.Method.Should().Be("CANCEL");
        var cancelled = calendar.Events.Single();
        cancelled.Status.Should().Be("CANCELLED");
        cancelled.Sequence.Should().Be(2);
        cancelled.Organizer!.CommonName.Should().Be("2026 부산, 구매상담회", "a parameter value may not hold a double quote");
        cancelled.Organizer.Value!.ToString().Should().Be("mailto:organiser@matchmaker.invalid");
        cancelled.Attendees.Single().CommonName.Should().Be("㈜부산정밀");
        cancelled.LastModified!.AsUtc.Should().Be(new DateTime(2026, 5, 20, 0, 0, 0));
    }

    [Fact]
    public void A_method_other_than_PUBLISH_REQUEST_or_CANCEL_and_an_entry_ending_before_it_starts_are_refused()
    {
        var method = () => IcsWriter.Write(Feed(Entry()) with { Method = "COUNTER" }, Stamp);
        method.Should().Throw<ArgumentException>().WithMessage("*PUBLISH, REQUEST or CANCEL*");
        var backwards = () => IcsWriter.Write(Feed(Entry() with { LocalEnd = new DateTime(2026, 5, 20, 9, 0, 0) }), Stamp);
        backwards.Should().Throw<ArgumentException>().WithMessage("*ends before it starts*");
    }
}
