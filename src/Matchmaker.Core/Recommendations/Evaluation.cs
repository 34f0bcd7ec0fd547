using System.Runtime.CompilerServices;

namespace Matchmaker.Core.Recommendations;

/// <summary>Rating-error figures on a test set.</summary>
/// <param name="Cold">Test cells whose user or item the model had not seen; they were scored with the fallback.</param>
public sealed record RatingErrorReport(double Rmse, double Mae, int Count, int Cold);

/// <summary>Top-k figures, averaged over the evaluated users (MPR over all test positives).</summary>
/// <param name="Users">Users with at least one test positive not in their training items.</param>
/// <param name="ColdUsers">Of those, users the scorer had no factors for (scored as all-ties: id order).</param>
/// <param name="Coverage">Share of the item catalogue that appears in at least one user's top-k.</param>
public sealed record RankingReport(
    int K, int Users, int ColdUsers, double Auc, double PrecisionAtK, double RecallAtK, double NdcgAtK,
    double HitRateAtK, double MapAtK, double MeanPercentileRank, double Coverage);

/// <summary>
/// Scores every item of the evaluation's item map for one user of its user map; returns false for a user it knows
/// nothing about (cold start), leaving the scores at one constant.
/// </summary>
public delegate bool UserScorer(int user, Span<float> scores);

/// <summary>Offline evaluation: rating error, ranking metrics, scorers for a model and for the popularity baseline.</summary>
public static class Evaluation
{
    /// <summary>
    /// RMSE and MAE of <paramref name="model"/> on <paramref name="test"/>; cold cells (unknown user or item, where the
    /// model rightly says null) are scored with <paramref name="coldFallback"/>, as LIBMF scores them with its mean.
    /// </summary>
    public static RatingErrorReport RatingError(MfModel model, RatingSet test, float coldFallback)
    {
        var userMap = MapIds(test.Users, model.Users);
        var itemMap = MapIds(test.Items, model.Items);
        double se = 0, ae = 0;
        var cold = 0;
        foreach (var r in test.Ratings)
        {
            int u = userMap[r.User], i = itemMap[r.Item];
            float prediction;
            if (u < 0 || i < 0) { prediction = coldFallback; cold++; }
            else prediction = model.Score(u, i);
            var e = r.Value - (double)prediction;
            se += e * e;
            ae += Math.Abs(e);
        }
        var n = Math.Max(1, test.Count);
        return new RatingErrorReport(Math.Sqrt(se / n), ae / n, test.Count, cold);
    }

    /// <summary>
    /// The explicit-feedback baseline: predict an item's mean training rating (the "popular = well rated" guess), or the
    /// global mean for an item without ratings. Train and test must share their id maps.
    /// </summary>
    public static RatingErrorReport ItemMeanBaselineError(RatingSet train, RatingSet test)
    {
        var global = train.Mean();
        var sums = new double[train.Items.Count];
        var counts = new int[train.Items.Count];
        foreach (var r in train.Ratings)
        {
            sums[r.Item] += r.Value;
            counts[r.Item]++;
        }
        double se = 0, ae = 0;
        var cold = 0;
        foreach (var r in test.Ratings)
        {
            var known = r.Item < counts.Length && counts[r.Item] > 0;
            if (!known) cold++;
            var e = r.Value - (known ? sums[r.Item] / counts[r.Item] : global);
            se += e * e;
            ae += Math.Abs(e);
        }
        var n = Math.Max(1, test.Count);
        return new RatingErrorReport(Math.Sqrt(se / n), ae / n, test.Count, cold);
    }

    /// <summary>A scorer over <paramref name="users"/>×<paramref name="items"/> (train/test maps) backed by a model.</summary>
    public static UserScorer ModelScorer(MfModel model, IdIndex users, IdIndex items)
    {
        var userMap = MapIds(users, model.Users);
        var itemMap = MapIds(items, model.Items);
        var modelScores = new float[model.Items.Count];
        return (user, scores) =>
        {
            scores.Clear();
            var u = user < userMap.Length ? userMap[user] : -1;
            if (u < 0) return false;
            model.ScoreAllItems(u, modelScores);
            for (var i = 0; i < scores.Length; i++)
                scores[i] = itemMap[i] >= 0 ? modelScores[itemMap[i]] : model.GlobalMean; // unseen item: LIBMF's b
            return true;
        };
    }

    /// <summary>Popularity baseline: an item's score is its number of training cells (the same for every user).</summary>
    public static UserScorer PopularityScorer(RatingSet train)
    {
        var counts = new float[train.Items.Count];
        foreach (var r in train.Ratings) counts[r.Item]++;
        return (_, scores) =>
        {
            counts.AsSpan(0, Math.Min(counts.Length, scores.Length)).CopyTo(scores);
            scores[counts.Length..].Clear();
            return true;
        };
    }

    /// <summary>
    /// Filtered top-k evaluation exactly as the shared evaluation tool (mf/eval_rank.py): for each user with a test positive
    /// (value &gt; 0), score all items, drop the user's training items, then AUC (ties count half), precision, recall
    /// (hits / min(positives, k)), NDCG (binary gain), hit rate, MAP@k, MPR and catalogue coverage.
    /// Train and test must share their id maps; ties in the top-k break by item id (<see cref="IdOrder"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RankingReport Ranking(RatingSet train, RatingSet test, UserScorer scorer, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (!ReferenceEquals(train.Items, test.Items) || !ReferenceEquals(train.Users, test.Users))
            throw new ArgumentException("Train and test must share their id maps.", nameof(test));
        var nItems = train.Items.Count;
        var (trainOffsets, trainItems) = train.ItemsByUser();
        var testPositives = new List<int>[train.Users.Count];
        foreach (var r in test.Ratings)
            if (r.Value > 0) (testPositives[r.User] ??= []).Add(r.Item);

        var tieRank = IdOrder.Ranks(train.Items);
        var scores = new float[nItems];
        var candidateScores = new float[nItems];
        var top = new int[k];
        var recommended = new bool[nItems];
        var discount = new double[k];
        for (var x = 0; x < k; x++) discount[x] = 1 / Math.Log2(x + 2);

        double auc = 0, precision = 0, recall = 0, ndcg = 0, hits = 0, map = 0, mprSum = 0;
        int users = 0, cold = 0;
        long mprCount = 0;
        for (var u = 0; u < train.Users.Count; u++)
        {
            if (testPositives[u] is null) continue;
            var excluded = trainItems.AsSpan(trainOffsets[u], trainOffsets[u + 1] - trainOffsets[u]);
            var positives = PositivesNotInTraining(testPositives[u], excluded);
            if (positives.Length == 0) continue;
            users++;
            if (!scorer(u, scores)) cold++;

            // candidates = everything but the training items
            var nCandidates = 0;
            for (var i = 0; i < nItems; i++)
                if (excluded.BinarySearch(i) < 0) candidateScores[nCandidates++] = scores[i];
            var sorted = candidateScores.AsSpan(0, nCandidates);
            sorted.Sort();
            var nNegatives = nCandidates - positives.Length;
            double userAuc = 0;
            foreach (var pi in positives)
            {
                var s = scores[pi];
                int lower = LowerBound(sorted, s), upper = UpperBound(sorted, s);
                int greater = nCandidates - upper, equal = upper - lower;
                int positivesBelow = 0, positivesEqual = 0;
                foreach (var pj in positives)
                {
                    if (scores[pj] < s) positivesBelow++;
                    else if (scores[pj] == s) positivesEqual++;
                }
                var negativesBelow = nCandidates - greater - equal - positivesBelow;
                var negativeTies = (equal - 1) - (positivesEqual - 1);
                userAuc += (negativesBelow + 0.5 * negativeTies) / Math.Max(nNegatives, 1);
                mprSum += (greater + 0.5 * (equal - 1)) / Math.Max(nCandidates - 1, 1);
                mprCount++;
            }
            auc += userAuc / positives.Length;

            foreach (var i in excluded) scores[i] = float.NaN; // not a candidate
            var found = TopK.Select(scores, tieRank, top);
            int userHits = 0;
            double dcg = 0, ap = 0;
            for (var x = 0; x < found; x++)
            {
                recommended[top[x]] = true;
                if (Array.BinarySearch(positives, top[x]) < 0) continue;
                userHits++;
                dcg += discount[x];
                ap += userHits / (double)(x + 1);
            }
            var relevant = Math.Min(positives.Length, k);
            double idcg = 0;
            for (var x = 0; x < relevant; x++) idcg += discount[x];
            precision += userHits / (double)k;
            recall += userHits / (double)relevant;
            ndcg += dcg / idcg;
            hits += userHits > 0 ? 1 : 0;
            map += ap / relevant;
        }
        var n = Math.Max(users, 1);
        var covered = 0;
        foreach (var r in recommended) if (r) covered++;
        return new RankingReport(k, users, cold, auc / n, precision / n, recall / n, ndcg / n, hits / n, map / n,
            mprSum / Math.Max(mprCount, 1), covered / (double)Math.Max(nItems, 1));
    }

    private static int[] PositivesNotInTraining(List<int> positives, ReadOnlySpan<int> trainingItems)
    {
        var kept = new List<int>(positives.Count);
        foreach (var i in positives)
            if (trainingItems.BinarySearch(i) < 0) kept.Add(i);
        return [.. kept.Distinct().Order()];
    }

    private static int LowerBound(ReadOnlySpan<float> sorted, float value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static int UpperBound(ReadOnlySpan<float> sorted, float value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>map[i] = index in <paramref name="to"/> of <paramref name="from"/>'s id i, or -1.</summary>
    internal static int[] MapIds(IdIndex from, IdIndex to)
    {
        var map = new int[from.Count];
        for (var i = 0; i < map.Length; i++) map[i] = to.IndexOf(from[i]);
        return map;
    }

    /// <summary>Mean of a set's values (fallback for cold cells).</summary>
    public static float MeanValue(RatingSet set) => (float)set.Mean();
}
