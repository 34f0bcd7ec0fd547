using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ical.Net.DataTypes;

namespace Matchmaker.Api.Tests.Itineraries;

/// <summary>
/// Reads a calendar file with a real parser, Ical.Net, and returns what it found as JSON: the calendar's properties, its
/// time zones and its events (times as ISO 8601 with the offset Ical.Net resolved from the TZID).
/// </summary>
public static class IcsParser
{
    public static Task<JsonElement> ParseAsync(byte[] ics) => Task.FromResult(Parse(ics));

    public static JsonElement Parse(byte[] ics)
    {
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ics);
        var calendar = Ical.Net.Calendar.Load(text);
        calendar.Should().NotBeNull("Ical.Net reads the file");
        var events = new JsonArray();
        foreach (var e in calendar!.Events)
        {
            e.DtStart.Should().NotBeNull("every event has DTSTART");
            e.DtEnd.Should().NotBeNull("every event has DTEND");
            events.Add(new JsonObject
            {
                ["uid"] = e.Uid,
                ["summary"] = e.Summary ?? "",
                ["location"] = e.Location ?? "",
                ["description"] = e.Description ?? "",
                ["sequence"] = e.Properties.ContainsKey("SEQUENCE") ? e.Sequence : -1,
                ["status"] = e.Status ?? "",
                ["start"] = Iso(e.DtStart!),
                ["end"] = Iso(e.DtEnd!),
                ["tzid"] = e.DtStart!.TzId,
                ["endTzid"] = e.DtEnd!.TzId,
                ["dtstamp"] = Iso(e.DtStamp!),
                ["lastModified"] = e.LastModified is { } modified ? Iso(modified) : null,
                ["organizer"] = e.Organizer?.CommonName,
            });
        }
        var timezones = new JsonArray();
        foreach (var zone in calendar.TimeZones)
        {
            var standard = new JsonArray();
            foreach (var info in zone.TimeZoneInfos.Where(i => i.Name == "STANDARD"))
                standard.Add(new JsonObject
                {
                    ["tzname"] = info.TimeZoneName,
                    ["from"] = info.OffsetFrom?.ToString(),
                    ["to"] = info.OffsetTo?.ToString(),
                });
            timezones.Add(new JsonObject
            {
                ["tzid"] = zone.TzId,
                ["standard"] = standard,
                ["daylight"] = zone.TimeZoneInfos.Count(i => i.Name == "DAYLIGHT"),
            });
        }
        var root = new JsonObject
        {
            ["calendar"] = new JsonObject
            {
                ["PRODID"] = calendar.ProductId,
                ["VERSION"] = calendar.Version,
                ["CALSCALE"] = calendar.Scale,
                ["METHOD"] = calendar.Method,
            },
            ["timezones"] = timezones,
            ["events"] = events,
        };
        return JsonDocument.Parse(root.ToJsonString()).RootElement.Clone();
    }

    /// <summary>The instant Ical.Net reads (its own TZID resolution), shown in the value's zone, or UTC for a UTC value.</summary>
    static string Iso(CalDateTime value)
    {
        var utc = DateTime.SpecifyKind(value.AsUtc, DateTimeKind.Utc);
        if (value.TzId is not { } tzid || value.IsUtc)
            return new DateTimeOffset(utc).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tzid);
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
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
