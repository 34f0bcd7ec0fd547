namespace Matchmaker.Core.Matching;

/// <summary>An SME as the scorer sees it.</summary>
/// <param name="Key">Business number: the id that carries across events (recommender, past relationships).</param>
public sealed record SmeDoc(long Id, string Key, string Name, string? Region, int? Employees, IReadOnlyList<string> KsicCodes,
    IReadOnlyList<string> Certifications, bool? ExportRecord, string Description, IReadOnlyList<string> Keywords);

/// <summary>A buyer as the scorer sees it.</summary>
/// <param name="Key">buyer_id: stable across events.</param>
public sealed record BuyerDoc(long Id, string Key, string Name, string? Region, string? Sector, IReadOnlyList<string> KsicCodes);

/// <summary>A demand as the scorer sees it. A buyer without demands is scored against a stand-in demand made from its
/// own sector and codes (<see cref="Id"/> null).</summary>
public sealed record DemandDoc(long? Id, string Key, long BuyerId, string Title, string Description, IReadOnlyList<string> KsicCodes,
    IReadOnlyList<string> RequiredCertifications, string? BudgetBand, IReadOnlyList<string> PreferredRegions)
{
    public static DemandDoc StandIn(BuyerDoc buyer) =>
        new(null, $"{buyer.Key}-profile", buyer.Id, buyer.Sector ?? buyer.Name, buyer.Name, buyer.KsicCodes, [], null, []);
}

/// <summary>One interaction of an SME (business number) with a buyer (buyer_id) at an earlier event; kinds as stored
/// in the interactions table (viewed, requested, accepted, declined, held, no_show, rated_well, follow_up, contract).</summary>
public sealed record PastInteraction(string SmeKey, string BuyerKey, string Kind);

/// <summary>Everything one event's scoring reads, in memory: participants, earlier events' interactions and the
/// recommender (null when none is trained yet).</summary>
public sealed record ScoringInput(
    IReadOnlyList<SmeDoc> Smes,
    IReadOnlyList<BuyerDoc> Buyers,
    IReadOnlyList<DemandDoc> Demands,
    IReadOnlyList<PastInteraction> History,
    Recommendations.MfModel? Model)
{
    /// <summary>The demands plus a stand-in for every buyer that has none, ordered by buyer then demand id.</summary>
    public IReadOnlyList<DemandDoc> DemandsWithStandIns()
    {
        var withDemands = Demands.Select(d => d.BuyerId).ToHashSet();
        return Demands.Concat(Buyers.Where(b => !withDemands.Contains(b.Id)).Select(DemandDoc.StandIn))
            .OrderBy(d => d.BuyerId).ThenBy(d => d.Id ?? long.MaxValue).ThenBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
    }
}
