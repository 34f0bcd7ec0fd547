using System.Text;
using Matchmaker.Core.Profiles;
using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Samples;

/// <summary>An SME of the multi-year pool: its public profile, its sector, its hidden traits and the years it came.</summary>
public sealed record PoolSme(SampleSme Profile, SectorProfile Sector, HiddenSme Hidden, IReadOnlySet<int> Years);

/// <summary>A buyer of the multi-year pool.</summary>
public sealed record PoolBuyer(BuyerSpec Spec, HiddenBuyer Hidden, IReadOnlySet<int> Years);

/// <summary>Everything the generator produces: the events to write, and the pool with its hidden traits (for the README).</summary>
public sealed record SampleSet(IReadOnlyList<SampleEvent> Events, IReadOnlyList<PoolSme> Smes, IReadOnlyList<PoolBuyer> Buyers);

/// <summary>
/// The sample generator: a pure function of the seed and the KSIC catalogue. Builds one pool of SMEs and buyers with
/// hidden traits, lets them take part in 2023–2026 with churn, and simulates the history of the three past events.
/// </summary>
public static class SampleGenerator
{
    public const int PoolSmeCount = 260;
    public const int UpcomingYear = 2026;
    public static readonly int[] PastYears = [2023, 2024, 2025];

    static readonly Dictionary<int, double> SmeAttendance = new() { [2023] = 0.7, [2024] = 0.78, [2025] = 0.85 };

    public static SampleSet Generate(int seed, KsicCatalog ksic)
    {
        var rng = new Random(seed);
        var smes = BuildSmePool(rng, ksic);
        var buyers = BuildBuyerPool(rng);
        var events = new List<SampleEvent>();
        foreach (var year in PastYears.Append(UpcomingYear))
        {
            // Each event draws from its own generator so that changing one year's rules leaves the others unchanged.
            var eventRng = new Random(SampleRandom.StableHash($"{seed}/{year}"));
            var spec = EventSpecFor(year);
            var eventBuyers = buyers.Where(b => b.Years.Contains(year)).ToList();
            var eventSmes = smes.Where(s => s.Years.Contains(year)).ToList();
            var slots = spec.Slots();
            var buyerRows = eventBuyers.Select(b => BuyerRow(eventRng, b.Spec, spec, slots)).ToList();
            var demandRows = eventBuyers.SelectMany(b => DemandRows(eventRng, b.Spec, year, ksic)).ToList();
            var smeRows = eventSmes.Select(s => SmeRowFor(eventRng, s.Profile, slots)).ToList();
            if (!spec.IsPast)
            {
                events.Add(new SampleEvent(spec, buyerRows, demandRows, smeRows, [], [], []));
                continue;
            }
            var history = HistorySimulator.Simulate(eventRng, seed, spec, ksic, buyerRows, demandRows, smeRows,
                buyers.ToDictionary(b => b.Spec.BuyerId, b => b.Hidden), smes.ToDictionary(s => s.Profile.BusinessNumber, s => s.Hidden));
            events.Add(new SampleEvent(spec, buyerRows, demandRows, smeRows, history.Requests, history.Meetings, history.Views));
        }
        return new SampleSet(events, smes, buyers);
    }

    public static SampleEventSpec EventSpecFor(int year)
    {
        // Wednesday-to-Friday in the third or fourth week of May, as the Busan fair usually runs; 2023 was a two-day
        // fair in two halls.
        var first = year switch
        {
            2023 => new DateOnly(2023, 5, 24),
            2024 => new DateOnly(2024, 5, 22),
            2025 => new DateOnly(2025, 5, 21),
            _ => new DateOnly(2026, 5, 20),
        };
        var dayCount = year == 2023 ? 2 : 3;
        var days = Enumerable.Range(0, dayCount).Select(first.AddDays).ToList();
        string[] halls = year == 2023 ? ["A", "B"] : ["A", "B", "C"];
        return new SampleEventSpec($"{(year == UpcomingYear ? "busan" : "past")}-{year}", $"{year} 부산 혁신기술 구매상담회",
            "BEXCO 제1전시장", year, days, halls, year != UpcomingYear);
    }

    static List<PoolSme> BuildSmePool(Random rng, KsicCatalog ksic)
    {
        var sectors = SampleReference.Sectors;
        var sectorWeights = sectors.Select(s => s.SmeWeight).ToList();
        var regionWeights = SampleReference.SmeRegions.Select(r => r.Weight).ToList();
        var usedNames = new HashSet<string>(StringComparer.Ordinal);
        var usedNumbers = new HashSet<string>(StringComparer.Ordinal);
        var pool = new List<PoolSme>();
        for (var i = 0; i < PoolSmeCount; i++)
        {
            var sector = sectors[rng.PickWeighted(sectorWeights)];
            var region = SampleReference.SmeRegions[rng.PickWeighted(regionWeights)].Region;
            var number = NewBusinessNumber(rng, region, usedNumbers);
            var name = NewName(rng, sector, usedNames);

            // The main product fixes the primary code; up to two more codes of the sector follow.
            var product = rng.Pick(sector.Products);
            var others = sector.KsicCodes.Where(c => c != product.Code).ToList();
            var extra = Math.Min(others.Count, rng.PickWeighted([0.45, 0.4, 0.15]));
            var codes = rng.SampleWithoutReplacement(others.Select(_ => 1.0).ToList(), extra).Select(k => others[k]).Prepend(product.Code).ToList();
            var certs = sector.Certifications.Where(c => rng.NextDouble() < c.Probability).Select(c => c.Name).ToList();
            var employees = sector.SmallFirm
                ? (int)Math.Clamp(Math.Round(Math.Exp(rng.Gaussian(Math.Log(8), 0.6))), 2, 80)
                : (int)Math.Clamp(Math.Round(Math.Exp(rng.Gaussian(Math.Log(28), 0.85))), 3, 450);
            var revenueEok = employees * 2.0 * Math.Exp(rng.Gaussian(0, 0.45)); // 억 KRW: about 2억 per employee
            var export = rng.NextDouble() < sector.ExportOdds + (employees > 50 ? 0.15 : 0);
            var trl = rng.Next(sector.TrlMin, sector.TrlMax + 1);
            var technology = rng.Pick(sector.Technologies.Where(t => t != product.Phrase).ToList());
            var (description, keywords) = Describe(rng, ksic, name, region, sector, codes, certs, export, product.Phrase, technology);
            var profile = new SampleSme(number, name, region, sector.NameKo, employees, RevenueBand(revenueEok), codes, certs,
                export, description, keywords, trl, 6, [], PersonName(rng), $"sme{i + 1:000}@example.com");
            var hidden = new HiddenSme([rng.Gaussian(0, 0.5), rng.Gaussian(0, 0.5)], Math.Clamp(rng.Gaussian(0.85, 0.12), 0.3, 1.0));
            pool.Add(new PoolSme(profile, sector, hidden, SmeYears(rng)));
        }
        return pool;
    }

    /// <summary>About one SME in eight is new in 2026 (cold start), one in ten came only in the past (churned).</summary>
    static HashSet<int> SmeYears(Random rng)
    {
        var roll = rng.NextDouble();
        if (roll < 0.12) return [UpcomingYear];
        var years = new HashSet<int>();
        while (years.Count == 0)
            foreach (var year in PastYears)
                if (rng.NextDouble() < SmeAttendance[year]) years.Add(year);
        if (roll >= 0.22) years.Add(UpcomingYear);
        return years;
    }

    static List<PoolBuyer> BuildBuyerPool(Random rng)
    {
        var specs = SampleReference.Buyers;
        var optional = specs.Where(b => !b.Core).Select(b => b.BuyerId).ToList();
        rng.Shuffle(optional);
        var newIn2026 = optional.Take(4).ToHashSet();
        var churned = optional.Skip(4).Take(3).ToHashSet();
        var pool = new List<PoolBuyer>();
        foreach (var spec in specs)
        {
            var hidden = new HiddenBuyer(rng.Gaussian(0, 0.35), rng.Gaussian(0, 0.3), rng.Gaussian(0, 0.3),
                [rng.Gaussian(0, 0.5), rng.Gaussian(0, 0.5)], rng.Gaussian(1.5, 0.3));
            var years = new HashSet<int>();
            if (spec.Core) years.UnionWith(PastYears.Append(UpcomingYear));
            else if (newIn2026.Contains(spec.BuyerId)) years.Add(UpcomingYear);
            else
            {
                while (years.Count == 0)
                    foreach (var year in PastYears)
                        if (rng.NextDouble() < 0.8) years.Add(year);
                if (!churned.Contains(spec.BuyerId)) years.Add(UpcomingYear);
            }
            pool.Add(new PoolBuyer(spec, hidden, years));
        }
        return pool;
    }

    static SampleBuyer BuyerRow(Random rng, BuyerSpec spec, SampleEventSpec ev, IReadOnlyList<SampleSlot> slots)
    {
        var hall = ev.Halls.Contains(spec.Hall) ? spec.Hall : "B";
        var tables = Math.Clamp(spec.Tables, 1, 3);
        var cap = tables * rng.Next(7, 12);
        // One buyer in eight cannot attend part of the fair (a board meeting, travel back on the last afternoon).
        IReadOnlyList<string> unavailable = [];
        if (rng.NextDouble() < 0.125)
        {
            var lastDay = ev.Days.Count;
            unavailable = rng.NextDouble() < 0.5
                ? slots.Where(s => s.Day == lastDay && s.Start.Hour >= 15).Select(s => s.Code).ToList()
                : slots.Where(s => s.Day == 1 && s.Start.Hour < 12).Select(s => s.Code).ToList();
        }
        return new SampleBuyer(spec.BuyerId, spec.Name, spec.Kind, spec.SectorLabel, spec.OwnKsicCodes, spec.Region, cap, tables,
            hall, unavailable, PersonName(rng), $"purchasing.{spec.BuyerId.ToLowerInvariant()}@example.com");
    }

    static IEnumerable<SampleDemand> DemandRows(Random rng, BuyerSpec spec, int year, KsicCatalog ksic)
    {
        var count = 1 + rng.PickWeighted([0.15, 0.3, 0.3, 0.15, 0.1]);
        // Templates of the buyer's sectors, the first sector weighted most: what the buyer came to buy this year.
        var candidates = new List<(DemandTemplate Template, double Weight)>();
        for (var i = 0; i < spec.DemandSectors.Length; i++)
            foreach (var t in SampleReference.Demands.Where(d => d.Sector == spec.DemandSectors[i]))
                candidates.Add((t, i == 0 ? 3.0 : 1.0));
        var picks = rng.SampleWithoutReplacement(candidates.Select(c => c.Weight).ToList(), count);
        var n = 0;
        foreach (var k in picks)
        {
            var t = candidates[k].Template;
            n++;
            var items = LeadingExamples(rng, ksic, t.KsicCodes);
            var description = items.Count == 0 ? t.Description : $"{t.Description} 관련 품목: {string.Join(", ", items.Take(3))}.";
            var regionRoll = rng.NextDouble();
            IReadOnlyList<string> regions = regionRoll < 0.45 ? ["부산", "경남", "울산"] : regionRoll < 0.65 ? [spec.Region] : [];
            var certs = t.RequiredCertifications.ToList();
            if (spec.BuyerId == "KHNP" && t.Sector != "ai" && !certs.Contains("원자력 품질등급 Q"))
                certs.Add("원자력 품질등급 Q"); // KHNP buys plant parts only from Q-class suppliers
            yield return new SampleDemand($"{spec.BuyerId}-{year % 100}-{n}", spec.BuyerId, t.Title, description, t.KsicCodes,
                certs, t.BudgetBand, t.Quantity, regions);
        }
    }

    static SampleSme SmeRowFor(Random rng, SampleSme profile, IReadOnlyList<SampleSlot> slots)
    {
        var cap = rng.Next(5, 9);
        IReadOnlyList<string> unavailable = [];
        if (rng.NextDouble() < 0.08)
        {
            var day = rng.Next(1, slots.Max(s => s.Day) + 1);
            unavailable = slots.Where(s => s.Day == day).Select(s => s.Code).ToList();
        }
        return profile with { MeetingCap = cap, UnavailableSlots = unavailable };
    }

    static (string Description, IReadOnlyList<string> Keywords) Describe(Random rng, KsicCatalog ksic, string name, string region,
        SectorProfile sector, List<string> codes, List<string> certs, bool export, string product, string technology)
    {
        var verb = sector.Key is "ai" or "finance" or "content" ? "개발·공급" : sector.Key == "logistics" ? "제공" : "생산·공급";
        var items = LeadingExamples(rng, ksic, codes);
        var primary = ksic.Find(codes[0]);
        var sb = new StringBuilder();
        sb.Append($"{name}{Josa(name, "은", "는")} {region}에 있는 {sector.NameKo} 전문 중소기업으로, {product}{Josa(product, "을", "를")} 주력으로 {verb}합니다. ");
        sb.Append($"{technology}{Josa(technology, "을", "를")} 핵심 기술로 보유하고 있습니다. ");
        if (primary is not null)
            sb.Append($"업종은 {primary.NameKo}({primary.Code})입니다. ");
        if (items.Count > 0) sb.Append($"주요 품목: {string.Join(", ", items.Take(3))}. ");
        if (certs.Count > 0) sb.Append($"보유 인증: {string.Join(", ", certs)}. ");
        sb.Append(export ? "해외 수출 실적이 있으며 국내 대기업·공공기관 판로 개척을 희망합니다." : "국내 대기업·공공기관과의 첫 거래를 희망합니다.");
        var keywords = sector.Keywords.OrderBy(_ => rng.Next()).Take(rng.Next(3, 5)).Concat(items.Take(2)).Distinct().ToList();
        return (sb.ToString(), keywords);
    }

    /// <summary>Up to three 예시 items: two of the first (main) code, then one of the others, in random order within each.</summary>
    static List<string> LeadingExamples(Random rng, KsicCatalog ksic, IReadOnlyList<string> codes)
    {
        var first = ExampleItems(ksic, codes[0]).Distinct().ToList();
        var rest = codes.Skip(1).SelectMany(c => ExampleItems(ksic, c)).Distinct().Where(x => !first.Contains(x)).ToList();
        rng.Shuffle(first);
        rng.Shuffle(rest);
        var take = rest.Count == 0 ? 3 : 2;
        return first.Take(take).Concat(rest).Take(3).ToList();
    }

    /// <summary>The 예시 items of the KSIC explanatory notes for a code, without the trailing 제조/생산 verb.</summary>
    public static IEnumerable<string> ExampleItems(KsicCatalog ksic, string code)
    {
        var entry = ksic.Find(code);
        if (entry is null) yield break;
        var items = entry.Examples.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            yield return entry.NameKo.EndsWith("업", StringComparison.Ordinal) ? entry.NameKo[..^1] : entry.NameKo;
            yield break;
        }
        foreach (var item in items.Take(8))
        {
            var text = item;
            foreach (var suffix in new[] { " 제조", " 생산", " 서비스" })
                if (text.EndsWith(suffix, StringComparison.Ordinal)) text = text[..^suffix.Length];
            if (text.Length is > 1 and <= 40 && !text.Contains(',')) yield return text;
        }
    }

    static string NewBusinessNumber(Random rng, string region, HashSet<string> used)
    {
        var offices = SampleReference.TaxOffices[region];
        while (true)
        {
            // Office code, then 81/86/87/88 (a corporation's head office), a serial number, the check digit.
            var nine = $"{rng.Pick(offices):000}{rng.Pick(new[] { 81, 86, 87, 88 })}{rng.Next(0, 10000):0000}";
            var digits = nine + BusinessNumber.CheckDigit(nine + "0");
            if (used.Add(digits)) return digits;
        }
    }

    static string NewName(Random rng, SectorProfile sector, HashSet<string> used)
    {
        while (true)
        {
            var name = $"㈜{rng.Pick(SampleReference.NamePrefixes)}{rng.Pick(sector.NameSuffixes)}";
            if (used.Add(name)) return name;
        }
    }

    static string PersonName(Random rng) =>
        rng.Pick(SampleReference.Surnames) + rng.Pick(SampleReference.GivenSyllables) + rng.Pick(SampleReference.GivenSyllables);

    static string RevenueBand(double eok) => eok switch
    {
        < 10 => "10억 미만",
        < 50 => "10억~50억",
        < 100 => "50억~100억",
        < 500 => "100억~500억",
        _ => "500억 이상",
    };

    /// <summary>Picks the Korean particle by whether the last syllable has a final consonant (받침).</summary>
    public static string Josa(string word, string withBatchim, string without)
    {
        var open = word.LastIndexOf('(');
        var stem = word.EndsWith(')') && open > 0 ? word[..open] : word; // 장치(ESS) reads 장치
        var last = stem.TrimEnd().LastOrDefault();
        if (last is >= '가' and <= '힣') return (last - '가') % 28 != 0 ? withBatchim : without;
        return withBatchim; // letters and digits: the reading usually ends in a consonant sound; good enough for samples
    }
}
