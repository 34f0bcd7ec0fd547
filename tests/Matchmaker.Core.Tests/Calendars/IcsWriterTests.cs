using System.Text;
using Matchmaker.Core.Calendars;

namespace Matchmaker.Core.Tests.Calendars;

public class IcsWriterTests
{
    static readonly DateTimeOffset Stamp = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    static CalendarEntry Entry(string summary = "구매상담", string location = "BEXCO, A홀, 테이블 1", string description = "", int sequence = 0,
        bool cancelled = false) =>
        new("meeting-7@busan-2026.matchmaker", new DateTime(2026, 5, 20, 10, 0, 0), new DateTime(2026, 5, 20, 10, 30, 0), summary, location,
            description, sequence, cancelled);

    static CalendarFeed Feed(params CalendarEntry[] entries) => new("-//Matchmaker//Itineraries//KO", "상담 일정", "Asia/Seoul", entries);

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
    public void Escapes_backslash_semicolon_comma_and_line_breaks_in_text()
    {
        IcsWriter.Escape("a\\b;c,d\r\ne\nf\rg").Should().Be(@"a\\b\;c\,d\ne\nf\ng");
        IcsWriter.Escape("탭\t과\u0007벨").Should().Be("탭 과벨", "TEXT may hold no control characters");
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

        // Unfolding (drop CRLF + one space) gives the line back.
        var unfolded = Encoding.UTF8.GetString(bytes).Replace("\r\n ", "");
        unfolded.Should().Contain("SUMMARY:" + summary + "\r\n");
    }

    [Fact]
    public void A_line_of_exactly_75_octets_is_not_folded_and_76_is()
    {
        var builder = new StringBuilder();
        IcsWriter.AppendFolded(builder, new string('a', 75));
        builder.ToString().Should().Be(new string('a', 75) + "\r\n");
        builder.Clear();
        IcsWriter.AppendFolded(builder, new string('a', 76));
        builder.ToString().Should().Be(new string('a', 75) + "\r\n a\r\n");
    }

    [Fact]
    public void Seoul_gets_a_fixed_KST_timezone_and_local_times_with_TZID()
    {
        var text = IcsWriter.Write(Feed(Entry(sequence: 3, cancelled: true)), Stamp);

        text.Should().Contain("BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:KST\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n");
        text.Should().Contain("DTSTART;TZID=Asia/Seoul:20260520T100000\r\n").And.Contain("DTEND;TZID=Asia/Seoul:20260520T103000\r\n");
        text.Should().Contain("DTSTAMP:20260501T093000Z\r\n").And.Contain("SEQUENCE:3\r\n").And.Contain("STATUS:CANCELLED\r\n");
        text.Should().Contain(@"LOCATION:BEXCO\, A홀\, 테이블 1");
        text.Should().Contain("PRODID:-//Matchmaker//Itineraries//KO\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    }

    [Fact]
    public void A_zone_with_daylight_saving_in_those_years_writes_UTC_times_instead()
    {
        var feed = Feed(Entry()) with { TimeZone = "Europe/Berlin" };
        var text = IcsWriter.Write(feed, Stamp);

        text.Should().NotContain("VTIMEZONE").And.NotContain("TZID=");
        text.Should().Contain("DTSTART:20260520T080000Z\r\n", "10:00 in Berlin in May is 08:00 UTC");
    }
}
