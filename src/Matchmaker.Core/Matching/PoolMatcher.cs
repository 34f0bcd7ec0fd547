using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Matching;

/// <summary>The best demands of each SME in a large pool, by content score.</summary>
/// <param name="Demands">Row-major SME × k demand indices, best first (−1 where fewer were found).</param>
public sealed record PoolTopK(int K, int[] Demands, float[] Scores);

/// <summary>
/// Top-k demands for every SME of a national-scale pool, in memory. One <see cref="FeatureRow"/> per thread; per SME
/// the text side reads only the postings of its own terms (inverted index), the cheap components run as one pass over
/// flat arrays, and the best k are kept by insertion (score descending, then demand index). No allocation per pair.
/// Content only: pools this size have no interaction history for the recommender.
/// </summary>
public static class PoolMatcher
{
    public static PoolTopK TopDemands(ContentFeatures content, ScoringWeights weights, int k, int threads, IProgress<int>? progress = null)
    {
        int nS = content.SmeCount, nD = content.DemandCount;
        var top = new int[nS * k];
        var topScores = new float[nS * k];
        Array.Fill(top, -1);
        var tieRank = Enumerable.Range(0, nD).ToArray();
        var hard = weights.CertificationRule == CertificationRule.HardFilter;
        // Relationship counts as 0 and the recommender as absent: both weights leave the denominator's recommender out.
        var total = weights.Text + weights.Industry + weights.Certification + weights.Region + weights.Size + weights.Export + weights.Relationship;
        var scale = total <= 0 ? 0f : (float)(1 / total);
        float wText = (float)weights.Text * scale, wIndustry = (float)weights.Industry * scale, wCert = (float)weights.Certification * scale,
            wRegion = (float)weights.Region * scale, wSize = (float)weights.Size * scale, wExport = (float)weights.Export * scale;
        var closeness = Enumerable.Range(0, 6).Select(l => (float)weights.Closeness.ForLevel(l) * wIndustry).ToArray();
        var done = 0;
        Parallel.For(0, nS, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
            () => (Row: new FeatureRow(nD), Scores: new float[nD]),
            (s, _, local) =>
            {
                var row = local.Row;
                content.ComputeRow(s, content.SmeVector(s), row);
                var scores = local.Scores;
                var export = wExport * row.Export;
                for (var d = 0; d < nD; d++)
                    scores[d] = hard && row.CertificationMissing[d]
                        ? float.NaN
                        : wText * row.Text[d] + closeness[row.Level[d]] + wCert * row.Certification[d] + wRegion * row.Region[d] + wSize * row.Size[d] + export;
                var found = TopK.Select(scores, tieRank, top.AsSpan(s * k, k));
                for (var i = 0; i < found; i++) topScores[s * k + i] = scores[top[s * k + i]];
                if (progress is not null && Interlocked.Increment(ref done) % 10_000 == 0) progress.Report(done);
                return local;
            }, _ => { });
        return new PoolTopK(k, top, topScores);
    }
}
