using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

/// <summary>Small structure-revealing matrices shared by the recommender tests.</summary>
internal static class TestData
{
    public static readonly TimeProvider Time = TimeProvider.System;

    public static RatingSet FromCells(params (int User, int Item, float Value)[] cells) =>
        RatingSet.FromTriples(cells.Select(c => ($"u{c.User}", $"i{c.Item}", c.Value)));

    /// <summary>A full m×n matrix of exact rank r with values in about [1, 5].</summary>
    public static RatingSet LowRank(int m, int n, int rank, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var p = Enumerable.Range(0, m * rank).Select(_ => 0.5f + rng.NextFloat()).ToArray();
        var q = Enumerable.Range(0, n * rank).Select(_ => 0.5f + rng.NextFloat()).ToArray();
        var cells = new List<(int, int, float)>();
        for (var u = 0; u < m; u++)
            for (var i = 0; i < n; i++)
            {
                float v = 0;
                for (var d = 0; d < rank; d++) v += p[u * rank + d] * q[i * rank + d];
                cells.Add((u, i, v));
            }
        return FromCells([.. cells]);
    }

    /// <summary>
    /// size×size checkerboard: user u and item i "fit" when u and i have the same parity, with the diagonal (u, u)
    /// withheld. Every other fitting cell is observed (value <paramref name="fit"/>), and when
    /// <paramref name="misfit"/> is given the non-fitting cells are observed with that value.
    /// </summary>
    public static RatingSet Checkerboard(int size, float fit, float? misfit)
    {
        var cells = new List<(int, int, float)>();
        for (var u = 0; u < size; u++)
            for (var i = 0; i < size; i++)
            {
                if (u == i) continue;
                if (u % 2 == i % 2) cells.Add((u, i, fit));
                else if (misfit is { } v) cells.Add((u, i, v));
            }
        return FromCells([.. cells]);
    }

    /// <summary>Random sparse cells with a planted low-rank structure (for determinism and parallel tests).</summary>
    public static RatingSet RandomSparse(int m, int n, int count, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var seen = new HashSet<(int, int)>();
        var cells = new List<(int, int, float)>();
        while (cells.Count < count)
        {
            var u = (int)(rng.Next() % (ulong)m);
            var i = (int)(rng.Next() % (ulong)n);
            if (!seen.Add((u, i))) continue;
            cells.Add((u, i, 1 + 4 * (((u % 3) + (i % 3)) % 3) / 2f));
        }
        return FromCells([.. cells]);
    }
}
