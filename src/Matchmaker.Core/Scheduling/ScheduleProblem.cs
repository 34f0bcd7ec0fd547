namespace Matchmaker.Core.Scheduling;

/// <summary>How accepted requests (pairs with <see cref="PairDef.Requested"/>) enter the timetable.</summary>
public enum RequestedMode
{
    /// <summary>Requested pairs get <see cref="ProblemOptions.RequestedBonus"/> added to their weight.</summary>
    Bonus,

    /// <summary>Every requested pair must meet (hard); the solver reports the ones it could not place.</summary>
    Must,
}

/// <summary>One meeting slot; slots are disjoint and may span several days (the day is the start's date).</summary>
public sealed record SlotDef(string Id, DateTime Start, DateTime End);

/// <summary>A buyer: <paramref name="Tables"/> meetings per slot at most, <paramref name="Cap"/> over the event.</summary>
public sealed record BuyerDef(
    string Id,
    int Tables = 1,
    int Cap = int.MaxValue,
    IReadOnlyList<string>? UnavailableSlots = null,
    bool NoBackToBack = false,
    string? Hall = null);

/// <summary>An SME: at most <paramref name="Cap"/> meetings, a soft floor of <paramref name="Min"/>.</summary>
public sealed record SmeDef(
    string Id,
    int Cap = int.MaxValue,
    int Min = 0,
    IReadOnlyList<string>? UnavailableSlots = null,
    bool NoBackToBack = false);

/// <summary>A pair that may meet; pairs not listed are forbidden. Its value is Weight·Score (+ bonus if requested).</summary>
public sealed record PairDef(string Sme, string Buyer, double Score, bool Requested = false, double Weight = 1.0);

/// <summary>A meeting in a timetable: SME and buyer meet in a slot at a buyer table (1-based).</summary>
public sealed record Meeting(string Sme, string Buyer, string Slot, int Table);

/// <summary>Objective and restriction settings of one instance (the <c>options</c> object of the format).</summary>
/// <param name="RequestedMode">Bonus (default) or must-meet.</param>
/// <param name="RequestedBonus">Added to a requested pair's value (default 1.0).</param>
/// <param name="MinShortfallPenalty">Objective cost per meeting an SME is below its floor (default 10.0).</param>
/// <param name="BackToBackMaxGapMinutes">Slots t, u of one day are back-to-back if 0 ≤ start(u) − end(t) ≤ this (default 0).</param>
/// <param name="TravelMinutes">Minutes needed from hall h1 to hall h2 (by buyer hall); null = no travel restriction.</param>
public sealed record ProblemOptions(
    RequestedMode RequestedMode = RequestedMode.Bonus,
    double RequestedBonus = 1.0,
    double MinShortfallPenalty = 10.0,
    double BackToBackMaxGapMinutes = 0,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? TravelMinutes = null);

/// <summary>
/// A timetable problem held in memory (product-neutral): slots, participants, scored pairs, options and organiser locks
/// (meetings pinned to a slot and table that the solver never moves). Field names follow b2b-schedule-instance/1.
/// </summary>
public sealed record ScheduleProblem(
    IReadOnlyList<SlotDef> Slots,
    IReadOnlyList<BuyerDef> Buyers,
    IReadOnlyList<SmeDef> Smes,
    IReadOnlyList<PairDef> Pairs,
    ProblemOptions Options,
    IReadOnlyList<Meeting>? Locks = null);

/// <summary>A malformed or inconsistent instance; <see cref="Field"/> names the offending field, e.g. <c>pairs[12].score</c>.</summary>
public sealed class ScheduleFormatException(string field, string message)
    : Exception($"{field}: {message}")
{
    /// <summary>A problem a person can meet through the product (a repair on the day), from the message catalogue.</summary>
    public ScheduleFormatException(string field, Messages.Message text) : this(field, text.In(Messages.MessageLanguage.En)) => Text = text;

    /// <summary>JSON-style path of the offending field.</summary>
    public string Field { get; } = field;

    /// <summary>The catalogued message, for the problems a repair in the product can meet; the tools read <see cref="Exception.Message"/>.</summary>
    public Messages.Message? Text { get; }
}
