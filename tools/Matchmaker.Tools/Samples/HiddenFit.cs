using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Samples;

/// <summary>
/// The latent fit of an SME–buyer pair that drives the simulated history (data/samples/README.md documents it).
/// The product never sees it; a recommender trained on past events should recover its shape.
/// </summary>
/// <remarks>
/// fit = max over the buyer's demands of [1.2 · sector closeness + certification term + 0.25 if the SME's region is
/// preferred] + 0.1 if SME and buyer share a region + hidden taste + persistent pair noise N(0, 0.2).
/// </remarks>
public sealed class HiddenFit(KsicCatalog ksic, int seed)
{
    public const double SectorWeight = 1.2;
    public const double PreferredRegionBonus = 0.25;
    public const double SameRegionBonus = 0.1;
    public const double PairNoiseSd = 0.2;

    /// <summary>1 same subclass, 0.75 same class, 0.55 same group, 0.35 same division, 0.1 same section, else 0.</summary>
    public double Closeness(string a, string b)
    {
        if (a == b) return 1.0;
        if (a.Length >= 4 && b.Length >= 4 && a[..4] == b[..4]) return 0.75;
        if (a.Length >= 3 && b.Length >= 3 && a[..3] == b[..3]) return 0.55;
        if (a.Length >= 2 && b.Length >= 2 && a[..2] == b[..2]) return 0.35;
        var sa = ksic.Find(a)?.Section;
        return sa is not null && sa == ksic.Find(b)?.Section ? 0.1 : 0.0;
    }

    public double SectorFit(IReadOnlyList<string> smeCodes, IReadOnlyList<string> demandCodes) =>
        smeCodes.SelectMany(_ => demandCodes, Closeness).DefaultIfEmpty(0).Max();

    /// <summary>
    /// +0.1 when nothing is required; otherwise 0.5 × share held − 0.25, and −0.4 more when a nuclear quality grade is
    /// required and missing (KHNP will not buy plant parts without it).
    /// </summary>
    public static double CertificationFit(IReadOnlyList<string> held, IReadOnlyList<string> required)
    {
        if (required.Count == 0) return 0.1;
        var share = required.Count(held.Contains) / (double)required.Count;
        var penalty = required.Contains("원자력 품질등급 Q") && !held.Contains("원자력 품질등급 Q") ? 0.4 : 0.0;
        return 0.5 * share - 0.25 - penalty;
    }

    public double DemandFit(SampleSme sme, SampleDemand demand) =>
        SectorWeight * SectorFit(sme.KsicCodes, demand.KsicCodes)
        + CertificationFit(sme.Certifications, demand.RequiredCertifications)
        + (demand.PreferredRegions.Contains(sme.Region) ? PreferredRegionBonus : 0);

    /// <summary>
    /// What the buyer likes beyond the text: exporters or not, mature or early technology, small or larger firms, and a
    /// two-factor latent taste (dot product of SME and buyer factors).
    /// </summary>
    public static double Taste(SampleSme sme, HiddenSme hs, HiddenBuyer hb) =>
        hb.Export * (sme.ExportRecord ? 0.5 : -0.5)
        + hb.Trl * (sme.Trl - 6) / 3.0
        + hb.Small * (sme.Employees < 20 ? 0.5 : -0.5)
        + hs.Latent[0] * hb.Latent[0] + hs.Latent[1] * hb.Latent[1];

    /// <summary>The terms of a pair's fit, for the ground-truth file analysts evaluate recommenders against.</summary>
    public sealed record Breakdown(SampleDemand Demand, double Sector, double Certification, double Region, double Taste, double Noise)
    {
        public double Fit => SectorWeight * Sector + Certification + Region + Taste + Noise;
    }

    public Breakdown Explain(SampleSme sme, HiddenSme hs, SampleBuyer buyer, HiddenBuyer hb, IReadOnlyList<SampleDemand> buyerDemands)
    {
        var demand = Fit(sme, hs, buyer, hb, buyerDemands).Demand;
        var region = (demand.PreferredRegions.Contains(sme.Region) ? PreferredRegionBonus : 0) + (sme.Region == buyer.Region ? SameRegionBonus : 0);
        return new Breakdown(demand, SectorFit(sme.KsicCodes, demand.KsicCodes),
            CertificationFit(sme.Certifications, demand.RequiredCertifications), region, Taste(sme, hs, hb),
            SampleRandom.StableGaussian($"{seed}|{sme.BusinessNumber}|{buyer.BuyerId}", PairNoiseSd));
    }

    /// <summary>The pair's fit and the demand it fits best (ties: the lower demand id).</summary>
    public (double Fit, SampleDemand Demand) Fit(SampleSme sme, HiddenSme hs, SampleBuyer buyer, HiddenBuyer hb,
        IReadOnlyList<SampleDemand> buyerDemands)
    {
        var best = buyerDemands
            .Select(d => (Score: DemandFit(sme, d), Demand: d))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Demand.DemandId, StringComparer.Ordinal)
            .First();
        var fit = best.Score
            + (sme.Region == buyer.Region ? SameRegionBonus : 0)
            + Taste(sme, hs, hb)
            + SampleRandom.StableGaussian($"{seed}|{sme.BusinessNumber}|{buyer.BuyerId}", PairNoiseSd);
        return (fit, best.Demand);
    }
}
