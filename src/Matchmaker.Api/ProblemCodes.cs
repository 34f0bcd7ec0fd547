namespace Matchmaker.Api;

/// <summary>
/// Endpoint metadata: catalogued problem codes a handler (or the domain service it calls) answers with
/// <paramref name="Status"/>, declared next to the endpoint's mapping so that the OpenAPI document lists them
/// (<c>x-problem-codes</c>). Codes that follow from the route, the body or the pipeline (an unknown event, a rate limit,
/// an Idempotency-Key) are derived by <see cref="OpenApiProblems"/> and need no declaration.
/// </summary>
public sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

public static class ProblemCodesEndpoints
{
    /// <summary>Declares that the endpoint(s) can answer <paramref name="status"/> with each of <paramref name="codes"/>.</summary>
    public static TBuilder Answers<TBuilder>(this TBuilder builder, int status, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemCodes(status, codes));
}

/// <summary>Codes shared by several endpoints: the refusals of a slot or table (a booking, a move on the board).</summary>
static class SlotRefusals
{
    /// <summary>400: the slot or table named does not exist, or a side is away then.</summary>
    public static readonly string[] Invalid = ["slot_unknown", "slot.sme_away", "slot.buyer_away", "slot.no_such_table"];

    /// <summary>409: the place is taken, a cap is reached, or the meeting would break a participant's rule.</summary>
    public static readonly string[] Conflict =
    [
        "slot.sme_busy", "slot.table_taken", "slot.tables_full", "slot.sme_cap_reached", "slot.buyer_cap_reached",
        "slot.sme_back_to_back", "slot.buyer_back_to_back", "slot.hall_travel", "slot.pair_meets",
    ];

    /// <summary>409: a published version's live meetings cannot follow it.</summary>
    public static readonly string[] LiveMeetings = ["timetable.live_conflict", "timetable.clashes_with_recorded"];
}
