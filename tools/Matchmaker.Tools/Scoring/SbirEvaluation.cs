using System.CommandLine;
using System.Globalization;
using System.Text;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Scoring;

/// <summary>
/// <c>sbir-eval</c>: the hybrid scorer on a public analogue (US SBIR Phase II awards; ../shared/data/us-sbir-awards):
/// federal buyer units (agency + branch) publish topics (demand texts) and award small firms. For a held-out year, each
/// firm that won awards both before and in that year is an SME whose profile text is its earlier award titles; buyers
/// rank by the scorer (text against the units' earlier topics, past awards as relationship, implicit ALS on earlier
/// awards) and the relevant buyers are those that awarded it in the held-out year. Nothing of the held-out year is used
/// to build the features.
/// </summary>
public static class SbirEvaluation
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "folder of the SBIR files", DefaultValueFactory = _ => "/work/shared/data/us-sbir-awards" };
        var year = new Option<int>("--held-out-year") { Description = "award year to predict (default 2017)", DefaultValueFactory = _ => 2017 };
        var k = new Option<int>("--k") { Description = "cut-off (default 10)", DefaultValueFactory = _ => 10 };
        var candidates = new Option<int>("--candidates") { Description = "weight search on the year before (0 = none; default 200)", DefaultValueFactory = _ => 200 };
        var command = new Command("sbir-eval", "Hybrid vs content-only vs CF-only vs popularity on held-out SBIR awards") { data, year, k, candidates };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!;
            var (awards, topics) = Read(folder);
            var heldOut = parse.GetValue(year);
            var recommender = new RecommenderTrainingOptions();
            var replay = Prepare(awards, topics, heldOut, recommender);
            Header(replay);
            ScoringCommands.Print(ReplayEvaluation.Compare(replay, [("hybrid (default)", ScoringWeights.Default)], parse.GetValue(k)));
            if (parse.GetValue(candidates) > 0)
            {
                var fit = Prepare(awards, topics, heldOut - 1, recommender);
                Header(fit);
                var report = ReplayEvaluation.Search([fit], replay, ScoringWeights.Default, parse.GetValue(k), parse.GetValue(candidates), 1);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"\nweights fitted on {fit.EventId} (objective {report.FitObjective:0.0000}, default {report.BaseFitObjective:0.0000}): {report.Fitted.ToJson()}"));
                Header(replay);
                ScoringCommands.Print(report.HeldOut);
            }
            return 0;
        });
        return command;
    }

    sealed record Award(int Year, string Unit, string Firm, string Title);
    sealed record Topic(int Year, string Unit, string Title, string Description);

    static void Header(EventReplay r) =>
        Console.WriteLine($"\n{r.EventId}: {r.Features.SmeCount} returning firms × {r.Features.BuyerCount} buyer units, {r.Features.DemandCount} earlier topics, " +
                          $"{r.Positive.Count(p => p)} held-out awards; {r.TrainingInteractions} earlier awards for history and ALS");

    static (List<Award>, List<Topic>) Read(string folder)
    {
        var awards = Rows(Path.Combine(folder, "sbir_phase2_awards_2012_2017.csv"))
            .Where(r => r["agency"].Length > 0)
            .Select(r => new Award(int.Parse(r["award_year"], CultureInfo.InvariantCulture), Unit(r["agency"], r["branch"]), Firm(r["firm_name"]), r["award_title"]))
            .ToList();
        var topics = Rows(Path.Combine(folder, "sbir_topics_2008_2018.csv"))
            .Where(r => r["agency"].Length > 0 && r["release_date"].Length >= 4)
            .Select(r => new Topic(int.Parse(r["release_date"][..4], CultureInfo.InvariantCulture), Unit(r["agency"], r["branch"]), r["topic_title"], r["description_en"]))
            .ToList();
        return (awards, topics);
    }

    /// <summary>Agency + branch; HHS awards say "National Institutes of Health" or nothing, its topics nothing: one unit.</summary>
    static string Unit(string agency, string branch) =>
        agency == "Department of Health and Human Services" ? agency : branch.Length == 0 ? agency : $"{agency} / {branch}";

    /// <summary>Firm names vary in case, punctuation and legal suffix across years.</summary>
    static string Firm(string name)
    {
        var words = new string(name.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("inc" or "llc" or "corp" or "corporation" or "co" or "ltd" or "incorporated" or "company" or "the" or "l" or "c"));
        return string.Join(' ', words);
    }

    static EventReplay Prepare(List<Award> awards, List<Topic> topics, int year, RecommenderTrainingOptions recommender)
    {
        var before = awards.Where(a => a.Year < year).ToList();
        var during = awards.Where(a => a.Year == year).ToList();
        var pastFirms = before.Select(a => a.Firm).ToHashSet();
        var firms = during.Select(a => a.Firm).Where(pastFirms.Contains).Distinct().Order(StringComparer.Ordinal).ToList();
        var units = before.Concat(during).Select(a => a.Unit).Distinct().Order(StringComparer.Ordinal).ToList();
        var titles = before.GroupBy(a => a.Firm).ToDictionary(g => g.Key, g => string.Join(". ", g.Select(a => a.Title)));
        var smes = firms.Select((f, i) => new SmeDoc(i + 1, f, f, null, null, [], [], null, titles[f], [])).ToList();
        var buyers = units.Select((u, i) => new BuyerDoc(i + 1, u, u, null, u, [])).ToList();
        var unitId = buyers.ToDictionary(b => b.Key, b => b.Id);
        var demands = topics.Where(t => t.Year < year && unitId.ContainsKey(t.Unit))
            .Select((t, i) => new DemandDoc(i + 1, $"T{i + 1}", unitId[t.Unit], t.Title, t.Description, [], [], null, [])).ToList();
        var at = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var history = before.Select(a => new PastInteraction(a.Firm, a.Unit, "contract")).ToList();
        var model = recommender.Train(history.Select(h => (h, at)), TimeProvider.System);
        var input = new ScoringInput(smes, buyers, demands, history, model);
        var features = EventFeatures.Compute(input, ScoringWeights.Default, KsicCatalog.Default, threads: 2);
        var firmIndex = firms.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i);
        var unitIndex = units.Select((u, i) => (u, i)).ToDictionary(p => p.u, p => p.i);
        var positive = new bool[firms.Count * units.Count];
        foreach (var a in during)
            if (firmIndex.TryGetValue(a.Firm, out var s)) positive[s * units.Count + unitIndex[a.Unit]] = true;
        var firmAwards = before.GroupBy(a => a.Firm).ToDictionary(g => g.Key, g => g.Count());
        var unitAwards = before.GroupBy(a => a.Unit).ToDictionary(g => g.Key, g => g.Count());
        return new EventReplay(year, $"sbir-{year}", features, positive,
            firms.Select(f => (float)firmAwards.GetValueOrDefault(f)).ToArray(), units.Select(u => (float)unitAwards.GetValueOrDefault(u)).ToArray(),
            before.Select(a => a.Year.ToString(CultureInfo.InvariantCulture)).Distinct().Order().ToList(), before.Count);
    }

    static IEnumerable<Dictionary<string, string>> Rows(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        string[]? header = null;
        foreach (var record in SimpleCsv.Read(reader))
        {
            if (header is null) { header = record; continue; }
            if (record.Length < header.Length) continue;
            yield return header.Select((h, i) => (h, v: record[i])).ToDictionary(p => p.h, p => p.v);
        }
    }
}
