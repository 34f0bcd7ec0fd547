using Matchmaker.Core.Matching;
using Matchmaker.Core.Reference;

namespace Matchmaker.Core.Tests.Matching;

public class ContentRowTests
{
    /// <summary>Random SMEs and demands with codes at every level (subclass, class, group, division, section letter).</summary>
    static (List<SmeDoc>, List<DemandDoc>, List<BuyerDoc>) RandomPool(int seed)
    {
        var random = new Random(seed);
        var catalog = KsicCatalog.Default;
        var subclasses = catalog.Codes.Where(c => c.Level == 5 && (c.Code.StartsWith("2", StringComparison.Ordinal) || c.Code.StartsWith("58", StringComparison.Ordinal)))
            .Select(c => c.Code).Order(StringComparer.Ordinal).ToArray();
        string Code()
        {
            var code = subclasses[random.Next(subclasses.Length)];
            return random.Next(6) switch { 0 => code[..4], 1 => code[..3], 2 => code[..2], 3 => "C", _ => code };
        }
        var regions = new[] { "부산", "경남", "울산", "서울" };
        var certs = new[] { "ISO 9001", "KEPIC", "ISO 13485", "GS인증" };
        var buyers = Enumerable.Range(1, 5).Select(b => new BuyerDoc(b, $"B{b}", $"구매{b}", regions[b % 4], null, [Code()])).ToList();
        var demands = Enumerable.Range(1, 120).Select(d => new DemandDoc(d, $"D{d}", 1 + d % 5, "부품 공급", "정밀 부품 공급",
            Enumerable.Range(0, random.Next(0, 3)).Select(_ => Code()).ToList(),
            Enumerable.Range(0, random.Next(0, 3)).Select(_ => certs[random.Next(4)]).Distinct().ToList(), random.Next(2) == 0 ? "1억~5억" : null,
            random.Next(2) == 0 ? [regions[random.Next(4)]] : [])).ToList();
        var smes = Enumerable.Range(1, 40).Select(s => new SmeDoc(s, $"S{s}", $"기업{s}", random.Next(5) == 0 ? null : regions[random.Next(4)],
            random.Next(4) == 0 ? null : random.Next(1, 60), Enumerable.Range(0, random.Next(1, 4)).Select(_ => Code()).ToList(),
            Enumerable.Range(0, random.Next(0, 3)).Select(_ => certs[random.Next(4)]).Distinct().ToList(), null, "정밀 가공", [])).ToList();
        return (smes, demands, buyers);
    }

    [Fact]
    public void Row_levels_and_certifications_agree_with_the_pair_by_pair_reference()
    {
        var (smes, demands, buyers) = RandomPool(7);
        var content = new ContentFeatures(smes, demands, buyers, 0.5, KsicCatalog.Default);
        var row = new FeatureRow(demands.Count);
        for (var s = 0; s < smes.Count; s++)
        {
            content.ComputeRow(s, content.SmeVector(s), row);
            var smeCodes = content.SmeCodes(s);
            for (var d = 0; d < demands.Count; d++)
            {
                row.Level[d].Should().Be((byte)IndustryCode.Best(smeCodes, content.DemandCodes(d)).Level, $"SME {s} × demand {d}");
                var required = demands[d].RequiredCertifications;
                var held = required.Count(r => smes[s].Certifications.Contains(r));
                row.Certification[d].Should().Be(required.Count == 0 ? 1f : (float)held / required.Count);
                row.CertificationMissing[d].Should().Be(held < required.Count);
            }
        }
    }
}
