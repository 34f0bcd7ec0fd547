using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Matchmaker.Core.Events;

/// <summary>Reads and writes an event definition as <c>event.json</c> (snake_case; see docs/import-format.md).</summary>
public static class EventFile
{
    static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Event Read(string json)
    {
        var file = JsonSerializer.Deserialize<File>(json, Options) ?? throw new FormatException("event.json is empty");
        return new Event(
            file.EventId ?? "", file.Name ?? "", file.Venue ?? "", file.TimeZone ?? "Asia/Seoul",
            file.SlotMinutes, file.ChangeoverMinutes,
            (file.Days ?? []).Select(d => new EventDay(
                DateOnly.ParseExact(d.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                (d.Windows ?? []).Select(ToWindow).ToList(),
                (d.Breaks ?? []).Select(ToWindow).ToList())).ToList(),
            file.Halls ?? [],
            (file.TravelMinutes ?? []).ToDictionary(
                kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value),
            file.MinMeetingsPerSme, file.MaxOpenRequestsPerSme ?? 5);
    }

    public static string Write(Event @event) => JsonSerializer.Serialize(new File
    {
        EventId = @event.EventId,
        Name = @event.Name,
        Venue = @event.Venue,
        TimeZone = @event.TimeZone,
        SlotMinutes = @event.SlotMinutes,
        ChangeoverMinutes = @event.ChangeoverMinutes,
        Days = @event.Days.Select(d => new DayFile
        {
            Date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Windows = d.Windows.Select(FromWindow).ToList(),
            Breaks = d.Breaks.Select(FromWindow).ToList(),
        }).ToList(),
        Halls = @event.Halls.ToList(),
        TravelMinutes = @event.TravelMinutes.ToDictionary(kv => kv.Key, kv => kv.Value.ToDictionary()),
        MinMeetingsPerSme = @event.MinMeetingsPerSme,
        MaxOpenRequestsPerSme = @event.MaxOpenRequestsPerSme,
    }, Options);

    /// <summary>The days alone, as stored in the events table.</summary>
    public static string WriteDays(IReadOnlyList<EventDay> days) => JsonSerializer.Serialize(days.Select(d => new DayFile
    {
        Date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Windows = d.Windows.Select(FromWindow).ToList(),
        Breaks = d.Breaks.Select(FromWindow).ToList(),
    }), Options);

    public static IReadOnlyList<EventDay> ReadDays(string json) =>
        (JsonSerializer.Deserialize<List<DayFile>>(json, Options) ?? []).Select(d => new EventDay(
            DateOnly.ParseExact(d.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            (d.Windows ?? []).Select(ToWindow).ToList(),
            (d.Breaks ?? []).Select(ToWindow).ToList())).ToList();

    public static string WriteJson<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T ReadJson<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)!;

    static TimeWindow ToWindow(WindowFile w) => new(
        TimeOnly.ParseExact(w.Start, "HH:mm", CultureInfo.InvariantCulture),
        TimeOnly.ParseExact(w.End, "HH:mm", CultureInfo.InvariantCulture));

    static WindowFile FromWindow(TimeWindow w) => new()
    {
        Start = w.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
        End = w.End.ToString("HH:mm", CultureInfo.InvariantCulture),
    };

    sealed class File
    {
        public string? EventId { get; set; }
        public string? Name { get; set; }
        public string? Venue { get; set; }
        public string? TimeZone { get; set; }
        public int SlotMinutes { get; set; }
        public int ChangeoverMinutes { get; set; }
        public List<DayFile>? Days { get; set; }
        public List<string>? Halls { get; set; }
        public Dictionary<string, Dictionary<string, int>>? TravelMinutes { get; set; }
        public int MinMeetingsPerSme { get; set; }
        public int? MaxOpenRequestsPerSme { get; set; }
    }

    sealed class DayFile
    {
        public string Date { get; set; } = "";
        public List<WindowFile>? Windows { get; set; }
        public List<WindowFile>? Breaks { get; set; }
    }

    sealed class WindowFile
    {
        public string Start { get; set; } = "";
        public string End { get; set; } = "";
    }
}
