using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Scoring;

/// <summary>
/// <c>scoring-bench</c>: (1) the sample expo rescored end to end through the store, several runs; (2) a synthetic
/// national pool (SMEs × demands generated from the KSIC vocabulary, seeded): top-k demands per SME in memory with the
/// inverted index, beside a straightforward all-pairs implementation measured on a sample of SMEs and extrapolated.
/// </summary>
public static class ScoringBench
{
    public static Command Create()
    {
        var smes = new Option<int>("--smes") { Description = "SMEs in the synthetic pool (default 100000)", DefaultValueFactory = _ => 100_000 };
        var demands = new Option<int>("--demands") { Description = "demands in the pool (default 5000)", DefaultValueFactory = _ => 5_000 };
        var k = new Option<int>("--k") { Description = "demands kept per SME (default 50)", DefaultValueFactory = _ => 50 };
        var threads = new Option<int>("--threads") { Description = "threads (default 2)", DefaultValueFactory = _ => 2 };
        var naive = new Option<int>("--naive-sample") { Description = "SMEs the all-pairs reference runs on (default 1000)", DefaultValueFactory = _ => 1_000 };
        var seed = new Option<int>("--seed") { Description = "seed (default 2026)", DefaultValueFactory = _ => 2026 };
        var runs = new Option<int>("--expo-runs") { Description = "rescoring runs of the sample expo (default 5; 0 skips)", DefaultValueFactory = _ => 5 };
        var samples = new Option<string>("--samples") { Description = "sample events folder (default data/samples)", DefaultValueFactory = _ => "data/samples" };
        var command = new Command("scoring-bench", "Scoring benchmarks: sample expo rescoring through the store, national-scale top-k in memory")
            { smes, demands, k, threads, naive, seed, runs, samples };
        command.SetAction(async (parse, ct) =>
        {
            Console.WriteLine($"machine: load average {LoadAverage()}, {Environment.ProcessorCount} logical cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
            if (parse.GetValue(runs) > 0) await ExpoAsync(parse.GetValue(samples)!, parse.GetValue(runs), ct);
            if (parse.GetValue(smes) > 0)
                Pool(parse.GetValue(smes), parse.GetValue(demands), parse.GetValue(k), parse.GetValue(threads), parse.GetValue(naive), parse.GetValue(seed));
            return 0;
        });
        return command;
    }

    static async Task ExpoAsync(string samples, int runs, CancellationToken ct)
    {
        await using var session = await ScoringCommands.Session.OpenAsync(null, samples, ct);
        var rescoring = session.Get<RescoringService>();
        var events = session.Get<Core.Events.EventStore>();
        var eventDbId = (await events.FindAsync("busan-2026", ct))!.Value.Id;
        var first = Stopwatch.StartNew();
        var warm = await rescoring.RescoreAsync(eventDbId, null, ct);
        Console.WriteLine($"\n[expo] first run (trains the recommender, JIT): {first.Elapsed.TotalMilliseconds:0} ms, {warm.Pairs} pairs, " +
                          $"{warm.Smes} SMEs × {warm.Demands} demands ({warm.Buyers} buyers), {warm.ColdStartPairs} cold-start pairs");
        var totals = new List<double>();
        var cpus = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var report = await rescoring.RescoreAsync(eventDbId, null, ct);
            totals.Add(watch.Elapsed.TotalMilliseconds);
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
            cpus.Add(cpu);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[expo] load average {LoadAverage()}; run {r + 1}: total {watch.Elapsed.TotalMilliseconds,6:0} ms = read {report.ReadMilliseconds:0} + features {report.FeatureMilliseconds:0} + score/explain {report.ScoreMilliseconds:0} + write {report.WriteMilliseconds:0} (+ profile lookup); process CPU {cpu:0} ms"));
        }
        totals.Sort();
        cpus.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[expo] wall median {totals[totals.Count / 2]:0} ms, best {totals[0]:0} ms; process CPU median {cpus[cpus.Count / 2]:0} ms over {runs} runs (read store → score → replace in one transaction)"));
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    static void Pool(int smeCount, int demandCount, int k, int threads, int naiveSample, int seed)
    {
        var generate = Stopwatch.StartNew();
        var (smes, demands, buyers) = SyntheticPool.Generate(smeCount, demandCount, seed, KsicCatalog.Default);
        Console.WriteLine($"\n[pool] generated {smes.Count:N0} SMEs × {demands.Count:N0} demands ({buyers.Count} buyers) from the KSIC vocabulary, seed {seed}, in {generate.Elapsed.TotalSeconds:0.0} s");
        var weights = ScoringWeights.Default;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        var content = new ContentFeatures(smes, demands, buyers, weights.KsicNotesWeight, KsicCatalog.Default);
        Console.WriteLine($"[pool] index: {content.Index.TermCount:N0} terms, {content.Index.PostingCount:N0} postings, built in {build.Elapsed.TotalSeconds:0.00} s");
        var gcBefore = GC.CollectionCount(0);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = PoolMatcher.TopDemands(content, weights, k, threads);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var pairs = (double)smes.Count * demands.Count;
        var heldBytes = GC.GetTotalMemory(forceFullCollection: false) - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pool] indexed top-{k}: {seconds:0.00} s on {threads} threads = {pairs / seconds / 1e6:0.0} M pairs/s ({smes.Count / seconds:N0} SMEs/s); CPU {cpu:0.00} s; gen-0 GCs {GC.CollectionCount(0) - gcBefore}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pool] memory: managed heap growth {heldBytes / 1048576.0:0} MB (pool records + index + results), peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB"));

        // The straightforward implementation: every pair, from the raw records, no index, a full sort per SME.
        var sample = Math.Min(naiveSample, smes.Count);
        var step = Math.Max(1, smes.Count / sample);
        var naiveCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var naiveWatch = Stopwatch.StartNew();
        var agree = 0;
        var compared = 0;
        for (var i = 0; i < sample; i++)
        {
            var s = i * step;
            var top = NaiveTop(content, smes[s], s, demands, buyers, weights, k);
            var fast = result.Demands.AsSpan(s * k, k).ToArray().Where(d => d >= 0).ToHashSet();
            agree += top.Count(fast.Contains);
            compared += top.Count;
        }
        var naiveSeconds = naiveWatch.Elapsed.TotalSeconds;
        var naiveCpu = (Process.GetCurrentProcess().TotalProcessorTime - naiveCpuBefore).TotalSeconds;
        var naivePerSme = naiveSeconds / sample;
        var naiveTotal = naivePerSme * smes.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pool] naive all-pairs (1 thread) on {sample:N0} sampled SMEs: {naiveSeconds:0.00} s → {naiveTotal:0} s extrapolated to {smes.Count:N0} SMEs on 1 thread " +
            $"({naiveTotal / threads:0} s if perfectly split over {threads}); {pairs / naiveTotal / 1e6:0.00} M pairs/s; CPU {naiveCpu:0.00} s on the sample"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pool] CPU-time ratio (immune to other load on the machine): naive {naiveCpu / sample * smes.Count:0} CPU-s extrapolated / indexed {cpu:0.0} CPU-s = {naiveCpu / sample * smes.Count / cpu:0.0}×"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[pool] ratio naive (1 thread, extrapolated) / indexed ({threads} threads): {naiveTotal / seconds:0.0}×; per thread: {naiveTotal / (seconds * threads):0.0}×; " +
            $"top-{k} agreement on the sample {100.0 * agree / Math.Max(1, compared):0.00} %"));
    }

    static List<int> NaiveTop(ContentFeatures content, SmeDoc sme, int smeIndex, IReadOnlyList<DemandDoc> demands, IReadOnlyList<BuyerDoc> buyers,
        ScoringWeights w, int k)
    {
        var catalog = KsicCatalog.Default;
        var vector = content.SmeVector(smeIndex);
        var smeCodes = sme.KsicCodes.Select(c => IndustryCode.Parse(c, catalog)).OfType<IndustryCode>().ToArray();
        var total = w.Text + w.Industry + w.Certification + w.Region + w.Size + w.Export + w.Relationship;
        var scored = new List<(double Score, int Demand)>(demands.Count);
        for (var d = 0; d < demands.Count; d++)
        {
            var demand = demands[d];
            var text = Math.Clamp(TextIndex.Cosine(vector, content.Index.Documents[d]), 0f, 1f);
            var demandCodes = demand.KsicCodes.Select(c => IndustryCode.Parse(c, catalog)).OfType<IndustryCode>().ToArray();
            var level = IndustryCode.Best(smeCodes, demandCodes).Level;
            static string N(string c) => new string(c.Where(ch => !char.IsWhiteSpace(ch) && ch != '-').ToArray()).ToUpperInvariant();
            var required = demand.RequiredCertifications.Select(N).Distinct().ToList();
            var cert = required.Count == 0 ? 1.0 : required.Count(r => sme.Certifications.Any(c => N(c) == r)) / (double)required.Count;
            var buyer = buyers.First(b => b.Id == demand.BuyerId);
            var same = sme.Region is not null && sme.Region == buyer.Region;
            var region = sme.Region is null ? 0.25 : demand.PreferredRegions.Count > 0 ? (demand.PreferredRegions.Contains(sme.Region) ? 1 : same ? 0.5 : 0) : same ? 0.75 : 0.5;
            var min = ContentFeatures.MinEmployees(demand.BudgetBand);
            var size = min <= 0 || sme.Employees is null ? 0.5 : Math.Min(1.0, sme.Employees.Value / (double)min);
            var export = sme.ExportRecord switch { true => 1.0, false => 0.0, null => 0.5 };
            var score = (w.Text * text + w.Industry * w.Closeness.ForLevel(level) + w.Certification * cert + w.Region * region + w.Size * size + w.Export * export) / total;
            scored.Add((score, d));
        }
        return scored.OrderByDescending(x => x.Score).ThenBy(x => x.Demand).Take(k).Select(x => x.Demand).ToList();
    }
}

/// <summary>A seeded synthetic pool: SMEs and demands written from KSIC subclass names and 예시 items, with the
/// certification, region, size and budget mixes of the sample expo.</summary>
public static class SyntheticPool
{
    static readonly string[] Regions = ["부산", "경남", "울산", "대구", "경북", "서울", "경기", "인천", "대전", "충남", "충북", "전남", "전북", "광주", "강원", "제주", "세종"];
    static readonly string[] Certifications = ["ISO 9001", "ISO 14001", "KEPIC", "원자력 품질등급 Q", "ISO 13485", "KGMP", "KR 선급", "DNV", "IATF 16949", "GS인증", "ISMS-P", "AEO", "NADCAP", "ISO 3834", "ISO 27001", "이노비즈"];
    static readonly string[] Budgets = ["5천만 미만", "5천만~1억", "1억~5억", "5억~10억", "10억~50억", "50억 이상"];
    static readonly string[] Techniques = ["정밀 가공", "자동화 설비", "품질보증 체계", "시제품 제작", "국산화 개발", "스마트 공정", "설계 및 해석", "내구성 시험", "소량 다품종 생산", "유지보수 서비스"];
    static readonly string[] Needs = ["공급", "국산화", "공동개발", "유지보수", "시범 도입", "대량 구매"];

    public static (IReadOnlyList<SmeDoc> Smes, IReadOnlyList<DemandDoc> Demands, IReadOnlyList<BuyerDoc> Buyers) Generate(int smeCount, int demandCount, int seed, KsicCatalog catalog)
    {
        var random = new Random(seed);
        var divisions = new HashSet<string> { "10", "13", "17", "20", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "33", "35", "46", "52", "58", "62", "63", "70", "71", "72" };
        var codes = catalog.Codes.Where(c => c.Level == 5 && c.Examples.Length > 0 && divisions.Contains(c.Code[..2])).OrderBy(c => c.Code, StringComparer.Ordinal).ToArray();
        var byDivision = codes.GroupBy(c => c.Code[..2]).ToDictionary(g => g.Key, g => g.ToArray());
        string[] Items(KsicCode c) => c.Examples.Split([',', '·', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string Item(KsicCode c) { var items = Items(c); return items.Length == 0 ? c.NameKo : items[random.Next(items.Length)]; }
        KsicCode Near(KsicCode c) { var same = byDivision[c.Code[..2]]; return same[random.Next(same.Length)]; }
        T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];

        var buyers = Enumerable.Range(0, Math.Max(1, demandCount / 3)).Select(b =>
        {
            var code = Pick(codes);
            return new BuyerDoc(b + 1, $"B{b + 1:00000}", $"구매기관 {b + 1}", Pick(Regions), code.NameKo, [code.Code]);
        }).ToList();
        var demands = new List<DemandDoc>(demandCount);
        for (var d = 0; d < demandCount; d++)
        {
            var buyer = buyers[d % buyers.Count];
            var main = random.NextDouble() < 0.6 ? catalog.Find(buyer.KsicCodes[0])! : Pick(codes);
            var second = random.NextDouble() < 0.4 ? Near(main) : null;
            var item = Item(main);
            var certs = Enumerable.Range(0, random.NextDouble() < 0.6 ? random.Next(1, 3) : 0).Select(_ => Pick(Certifications)).Distinct().ToList();
            var preferred = random.NextDouble() < 0.45 ? new List<string> { "부산", "경남", "울산" } : random.NextDouble() < 0.3 ? [buyer.Region!] : [];
            demands.Add(new DemandDoc(d + 1, $"D{d + 1:000000}", buyer.Id, $"{item} {Pick(Needs)}",
                $"{main.NameKo} 분야의 {item} 및 {Item(main)} {Pick(Needs)} 협력사를 찾습니다. {Pick(Techniques)} 역량과 납품 실적을 우대합니다." +
                (second is null ? "" : $" 관련 품목: {Item(second)}."),
                second is null ? [main.Code] : [main.Code, second.Code], certs, Pick(Budgets), preferred));
        }
        var smes = new List<SmeDoc>(smeCount);
        for (var s = 0; s < smeCount; s++)
        {
            var main = Pick(codes);
            var codesOf = new List<string> { main.Code };
            if (random.NextDouble() < 0.5) codesOf.Add(Near(main).Code);
            if (random.NextDouble() < 0.2) codesOf.Add(Pick(codes).Code);
            var region = random.NextDouble() < 0.6 ? Pick(Regions[..4]) : Pick(Regions);
            var items = Enumerable.Range(0, 3).Select(_ => Item(main)).Distinct().ToList();
            var employees = random.NextDouble() < 0.4 ? random.Next(2, 20) : random.Next(10, 300);
            var certs = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(Certifications)).Distinct().ToList();
            var number = (100_000_000 + s).ToString(CultureInfo.InvariantCulture);
            smes.Add(new SmeDoc(s + 1, number + Core.Profiles.BusinessNumber.CheckDigit(number), $"㈜합성기업{s + 1}", region, employees, codesOf.Distinct().ToList(), certs,
                random.NextDouble() < 0.35,
                $"㈜합성기업{s + 1}은 {region}에 있는 {main.NameKo} 전문 중소기업으로, {string.Join(", ", items)}을(를) 주력으로 생산·공급합니다. " +
                $"{Pick(Techniques)}과 {Pick(Techniques)} 역량을 보유하고 있습니다.",
                [.. items, Pick(Techniques)]));
        }
        return (smes, demands, buyers);
    }
}
