using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Matchmaker.Api.Tests.Itineraries;

/// <summary>
/// Reads a calendar file with a real parser, Debian's python3-icalendar (<c>apt-get install python3-icalendar</c>; .ci/run
/// installs it), and returns what it found as JSON: the calendar's properties, its time zones and its events.
/// </summary>
public static class IcsParser
{
    const string Python = "/usr/bin/python3";

    const string Script = """
        import json, sys
        import icalendar
        def text(v):
            v = v.to_ical()
            return v.decode() if isinstance(v, bytes) else v
        data = open(sys.argv[1], 'rb').read()
        cal = icalendar.Calendar.from_ical(data)
        out = {'calendar': {k: str(cal.get(k)) for k in ('PRODID', 'VERSION', 'CALSCALE', 'METHOD')},
               'errors': [], 'timezones': [], 'events': []}
        for c in cal.walk():
            out['errors'] += [str(e) for e in getattr(c, 'errors', [])]
            if c.name == 'VTIMEZONE':
                out['timezones'].append({'tzid': str(c['TZID']), 'standard': [
                    {'tzname': str(s.get('TZNAME')), 'from': text(s['TZOFFSETFROM']), 'to': text(s['TZOFFSETTO'])}
                    for s in c.subcomponents if s.name == 'STANDARD'], 'daylight': len([s for s in c.subcomponents if s.name == 'DAYLIGHT'])})
            if c.name == 'VEVENT':
                start, end = c['DTSTART'], c['DTEND']
                out['events'].append({
                    'uid': str(c['UID']), 'summary': str(c.get('SUMMARY', '')), 'location': str(c.get('LOCATION', '')),
                    'description': str(c.get('DESCRIPTION', '')), 'sequence': int(c.get('SEQUENCE', -1)), 'status': str(c.get('STATUS', '')),
                    'start': start.dt.isoformat(), 'end': end.dt.isoformat(), 'tzid': start.params.get('TZID'), 'endTzid': end.params.get('TZID'),
                    'dtstamp': c['DTSTAMP'].dt.isoformat(),
                    'lastModified': c['LAST-MODIFIED'].dt.isoformat() if 'LAST-MODIFIED' in c else None})
        print(json.dumps(out, ensure_ascii=False))
        """;

    public static async Task<JsonElement> ParseAsync(byte[] ics)
    {
        File.Exists(Python).Should().BeTrue("the calendar tests need {0} with python3-icalendar (apt-get install -y python3-icalendar)", Python);
        var path = Path.Combine(Path.GetTempPath(), $"matchmaker-{Guid.NewGuid():N}.ics");
        await File.WriteAllBytesAsync(path, ics);
        try
        {
            var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Script);
            start.ArgumentList.Add(path);
            start.Environment["PYTHONIOENCODING"] = "utf-8";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.ExitCode.Should().Be(0, "python3-icalendar must read the file: {0}", await error);
            var parsed = JsonDocument.Parse(await output).RootElement.Clone();
            parsed.GetProperty("errors").EnumerateArray().Should().BeEmpty("the parser reported no broken property");
            return parsed;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The file's physical lines (without CRLF), checking that every line ends with CRLF.</summary>
    public static IReadOnlyList<byte[]> PhysicalLines(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n') (i > 0 && bytes[i - 1] == '\r').Should().BeTrue($"line {lines.Count + 1} ends with CRLF");
            if (bytes[i] != '\n') continue;
            lines.Add(bytes[start..(i - 1)]);
            start = i + 1;
        }
        start.Should().Be(bytes.Length, "the file ends with CRLF");
        return lines;
    }
}
