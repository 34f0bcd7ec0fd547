namespace Matchmaker.Tools.Samples;

/// <summary>One consultation slot of an event: code <c>D{day}-{nn}</c>, counted per day in time order.</summary>
public sealed record SampleSlot(string Code, int Day, DateTime Start, DateTime End);

/// <summary>The event settings written to event.json; the slot grid is derived from them.</summary>
public sealed record SampleEventSpec(
    string EventId, string Name, string Venue, int Year, IReadOnlyList<DateOnly> Days, IReadOnlyList<string> Halls,
    bool IsPast)
{
    public const string TimeZone = "Asia/Seoul";
    public const int SlotMinutes = 30;
    public const int ChangeoverMinutes = 5;
    public const int MinMeetingsPerSme = 2;
    public const int MaxOpenRequestsPerSme = 5;

    public static readonly (TimeOnly Start, TimeOnly End)[] Windows =
        [(new TimeOnly(10, 0), new TimeOnly(12, 0)), (new TimeOnly(13, 0), new TimeOnly(17, 0))];

    public static readonly (TimeOnly Start, TimeOnly End)[] Breaks = [(new TimeOnly(15, 0), new TimeOnly(15, 15))];

    /// <summary>Minutes to walk between halls: A–B and B–C fit in the changeover, A–C does not.</summary>
    public int Travel(string from, string to) =>
        from == to ? 0 : (from, to) is ("A", "C") or ("C", "A") ? 10 : 5;

    /// <summary>
    /// Slots start at the window start and every slot + changeover (35 min) after it; a slot that would overlap a break
    /// moves to the break's end; a slot must end by the window end. With the windows above: 10:00, 10:35, 11:10,
    /// 13:00, 13:35, 14:10, 15:15, 15:50, 16:25 — nine a day.
    /// </summary>
    public IReadOnlyList<SampleSlot> Slots()
    {
        var slots = new List<SampleSlot>();
        for (var d = 0; d < Days.Count; d++)
        {
            var n = 0;
            foreach (var (start, end) in Windows)
            {
                var t = start;
                while (t.AddMinutes(SlotMinutes) <= end && t >= start)
                {
                    var slotEnd = t.AddMinutes(SlotMinutes);
                    var clash = Breaks.FirstOrDefault(b => t < b.End && b.Start < slotEnd);
                    if (clash != default) { t = clash.End; continue; }
                    n++;
                    slots.Add(new SampleSlot($"D{d + 1}-{n:00}", d + 1, Days[d].ToDateTime(t), Days[d].ToDateTime(slotEnd)));
                    t = t.AddMinutes(SlotMinutes + ChangeoverMinutes);
                }
            }
        }
        return slots;
    }
}

public sealed record SampleBuyer(
    string BuyerId, string Name, string Kind, string Sector, IReadOnlyList<string> KsicCodes, string Region,
    int MeetingCap, int Tables, string Hall, IReadOnlyList<string> UnavailableSlots, string ContactName, string ContactEmail);

public sealed record SampleDemand(
    string DemandId, string BuyerId, string Title, string Description, IReadOnlyList<string> KsicCodes,
    IReadOnlyList<string> RequiredCertifications, string BudgetBand, string Quantity, IReadOnlyList<string> PreferredRegions);

public sealed record SampleSme(
    string BusinessNumber, string Name, string Region, string Sector, int Employees, string RevenueBand,
    IReadOnlyList<string> KsicCodes, IReadOnlyList<string> Certifications, bool ExportRecord, string Description,
    IReadOnlyList<string> Keywords, int Trl, int MeetingCap, IReadOnlyList<string> UnavailableSlots,
    string ContactName, string ContactEmail);

public sealed record SampleRequest(
    string RequestId, string BusinessNumber, string BuyerId, string DemandId, int Priority, string Pitch, string State,
    DateTime CreatedAt, DateTime? DecidedAt);

public sealed record SampleMeeting(
    string MeetingId, string BusinessNumber, string BuyerId, string DemandId, DateTime SlotStart, int Table,
    string Status, int? Rating, string FollowUp, long? ContractKrw);

public sealed record SampleView(string BusinessNumber, string BuyerId, string Viewer, DateTime ViewedAt);

/// <summary>One event folder: settings, participants and (for past events) history.</summary>
public sealed record SampleEvent(
    SampleEventSpec Spec, IReadOnlyList<SampleBuyer> Buyers, IReadOnlyList<SampleDemand> Demands,
    IReadOnlyList<SampleSme> Smes, IReadOnlyList<SampleRequest> Requests, IReadOnlyList<SampleMeeting> Meetings,
    IReadOnlyList<SampleView> Views);

/// <summary>The hidden traits of an SME that drive its history but never appear in any file.</summary>
/// <param name="Latent">Two latent factors; dotted with the buyer's to give a taste no text reveals.</param>
/// <param name="Reliability">0–1: unreliable firms no-show more often.</param>
public sealed record HiddenSme(double[] Latent, double Reliability);

/// <summary>The hidden taste of a buyer: weights on visible-but-untextual traits, latent factors, selectivity.</summary>
public sealed record HiddenBuyer(double Export, double Trl, double Small, double[] Latent, double Selectivity);
