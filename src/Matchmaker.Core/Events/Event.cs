namespace Matchmaker.Core.Events;

/// <summary>A purchase-consultation event (구매상담회): where and when buyers and SMEs meet, and how the day is cut into slots.</summary>
/// <param name="EventId">Stable id used in URLs and files, e.g. <c>busan-2026</c>.</param>
/// <param name="TimeZone">IANA zone of all local times of the event (Asia/Seoul for Korean expos).</param>
/// <param name="SlotMinutes">Length of one consultation.</param>
/// <param name="ChangeoverMinutes">Gap after each slot so participants can change tables.</param>
/// <param name="MinMeetingsPerSme">Fairness floor the scheduler tries to give every SME that came.</param>
/// <param name="MaxOpenRequestsPerSme">How many pending introduction requests an SME may hold at once.</param>
public sealed record Event(
    string EventId,
    string Name,
    string Venue,
    string TimeZone,
    int SlotMinutes,
    int ChangeoverMinutes,
    IReadOnlyList<EventDay> Days,
    IReadOnlyList<string> Halls,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> TravelMinutes,
    int MinMeetingsPerSme,
    int MaxOpenRequestsPerSme)
{
    /// <summary>Checks the definition and returns every problem found, each naming its field.</summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(EventId) || EventId.Length > 60 || !EventId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors.Add(new("eventId", new Messages.Message("event.id_format")));
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200) errors.Add(new("name", new Messages.Message("event.name_required")));
        if (Venue.Length > 200) errors.Add(new("venue", new Messages.Message("event.venue_too_long")));
        if (TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _) is false) errors.Add(new("timeZone", new Messages.Message("event.unknown_time_zone", TimeZone)));
        if (SlotMinutes is < 5 or > 240) errors.Add(new("slotMinutes", new Messages.Message("event.between", 5, 240)));
        if (ChangeoverMinutes is < 0 or > 60) errors.Add(new("changeoverMinutes", new Messages.Message("event.between", 0, 60)));
        if (MinMeetingsPerSme is < 0 or > 50) errors.Add(new("minMeetingsPerSme", new Messages.Message("event.between", 0, 50)));
        if (MaxOpenRequestsPerSme is < 1 or > 100) errors.Add(new("maxOpenRequestsPerSme", new Messages.Message("event.between", 1, 100)));
        if (Days.Count is 0 or > 14) errors.Add(new("days", new Messages.Message("event.days_count")));
        for (var d = 0; d < Days.Count; d++) errors.AddRange(Days[d].Validate($"days[{d}]"));
        if (Days.Select(d => d.Date).Distinct().Count() != Days.Count) errors.Add(new("days", new Messages.Message("event.date_twice")));
        foreach (var (from, row) in TravelMinutes)
        {
            if (!Halls.Contains(from)) errors.Add(new($"travelMinutes.{from}", new Messages.Message("event.not_a_hall")));
            foreach (var (to, minutes) in row)
            {
                if (!Halls.Contains(to)) errors.Add(new($"travelMinutes.{from}.{to}", new Messages.Message("event.not_a_hall")));
                if (minutes is < 0 or > 240) errors.Add(new($"travelMinutes.{from}.{to}", new Messages.Message("event.travel_minutes_range")));
            }
        }
        if (errors.Count == 0 && Slots().Count == 0) errors.Add(new("days", new Messages.Message("event.no_whole_slot")));
        return errors;
    }

    /// <summary>
    /// The consultation slots, in time order: each window is filled with slots of <see cref="SlotMinutes"/> separated by
    /// <see cref="ChangeoverMinutes"/>; a slot that would overlap a break, or run past the window's end, is left out.
    /// Codes are D{day}-{nn}, e.g. D1-01, numbered per day.
    /// </summary>
    public IReadOnlyList<Slot> Slots()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var slots = new List<Slot>();
        for (var d = 0; d < Days.Count; d++)
        {
            var day = Days[d];
            var number = 0;
            foreach (var window in day.Windows.OrderBy(w => w.Start))
            {
                var start = window.Start;
                while (start.AddMinutes(SlotMinutes) <= window.End && start.AddMinutes(SlotMinutes) > start)
                {
                    var end = start.AddMinutes(SlotMinutes);
                    var clash = day.Breaks.FirstOrDefault(b => b.Start < end && start < b.End);
                    if (clash is not null) { start = clash.End; continue; }
                    number++;
                    var localStart = day.Date.ToDateTime(start);
                    var localEnd = day.Date.ToDateTime(end);
                    slots.Add(new Slot($"D{d + 1}-{number:00}", d + 1, localStart, localEnd,
                        new DateTimeOffset(localStart, zone.GetUtcOffset(localStart)),
                        new DateTimeOffset(localEnd, zone.GetUtcOffset(localEnd))));
                    var next = end.AddMinutes(ChangeoverMinutes);
                    if (next <= start) break; // wrapped past midnight
                    start = next;
                }
            }
        }
        return slots;
    }
}

/// <summary>One day of an event: its consultation windows and the breaks inside them (local times).</summary>
public sealed record EventDay(DateOnly Date, IReadOnlyList<TimeWindow> Windows, IReadOnlyList<TimeWindow> Breaks)
{
    public IEnumerable<FieldError> Validate(string path)
    {
        if (Windows.Count == 0) yield return new($"{path}.windows", new Messages.Message("event.window_required"));
        for (var i = 0; i < Windows.Count; i++)
            if (Windows[i].End <= Windows[i].Start) yield return new($"{path}.windows[{i}]", new Messages.Message("event.end_after_start"));
        for (var i = 0; i < Breaks.Count; i++)
            if (Breaks[i].End <= Breaks[i].Start) yield return new($"{path}.breaks[{i}]", new Messages.Message("event.end_after_start"));
        var ordered = Windows.OrderBy(w => w.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].Start < ordered[i - 1].End) yield return new($"{path}.windows", new Messages.Message("event.windows_overlap"));
    }
}

/// <summary>A half-open local time range [Start, End) within one day.</summary>
public sealed record TimeWindow(TimeOnly Start, TimeOnly End);

/// <summary>One consultation slot: a time range in which each table hosts at most one meeting.</summary>
/// <param name="Code">Human code, D{day}-{nn}; unique within the event.</param>
public sealed record Slot(string Code, int Day, DateTime LocalStart, DateTime LocalEnd, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A validation problem tied to the field (or column) at fault.</summary>
public sealed record FieldError(string Field, Messages.Message Text)
{
    /// <summary>The English text, for logs and the tools.</summary>
    public string Message => Text.In(Messages.MessageLanguage.En);
}
