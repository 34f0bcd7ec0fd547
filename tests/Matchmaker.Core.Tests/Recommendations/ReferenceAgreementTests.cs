using Matchmaker.Core.Recommendations;

namespace Matchmaker.Core.Tests.Recommendations;

/// <summary>The SIMD code against slow, readable scalar versions of the same maths.</summary>
public class ReferenceAgreementTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    public void Sgd_step_matches_the_scalar_formula(int k)
    {
        var rng = new SplitMix64((ulong)k);
        var p = Enumerable.Range(0, k).Select(_ => rng.NextFloat() - 0.5f).ToArray();
        var q = Enumerable.Range(0, k).Select(_ => rng.NextFloat() - 0.5f).ToArray();
        const float e = 0.7f, lambda = 0.05f, etaP = 0.1f, etaQ = 0.03f;

        // reference: both gradients from the old values, then the steps
        var gp = Enumerable.Range(0, k).Select(d => (double)lambda * p[d] - e * q[d]).ToArray();
        var gq = Enumerable.Range(0, k).Select(d => (double)lambda * q[d] - e * p[d]).ToArray();
        var expectedP = Enumerable.Range(0, k).Select(d => p[d] - etaP * gp[d]).ToArray();
        var expectedQ = Enumerable.Range(0, k).Select(d => q[d] - etaQ * gq[d]).ToArray();

        var (sumP, sumQ) = ExplicitMfTrainer.Step(ref p[0], ref q[0], k, e, lambda, etaP, etaQ, nonNegative: false);

        for (var d = 0; d < k; d++)
        {
            p[d].Should().BeApproximately((float)expectedP[d], 1e-6f);
            q[d].Should().BeApproximately((float)expectedQ[d], 1e-6f);
        }
        sumP.Should().BeApproximately((float)gp.Sum(g => g * g), 1e-5f);
        sumQ.Should().BeApproximately((float)gq.Sum(g => g * g), 1e-5f);
    }

    [Fact]
    public void Sgd_step_clamps_at_zero_when_non_negative()
    {
        var p = Enumerable.Repeat(0.01f, 16).ToArray();
        var q = Enumerable.Repeat(1f, 16).ToArray();
        ExplicitMfTrainer.Step(ref p[0], ref q[0], 16, e: -5f, lambda: 0, etaP: 1, etaQ: 1, nonNegative: true);
        p.Should().OnlyContain(x => x == 0f);
    }

    [Fact]
    public void Implicit_als_matches_a_dense_reference_solver()
    {
        // signed values: positives of different strength and one negative cell
        var data = TestData.FromCells((0, 0, 1), (0, 2, 3), (1, 1, 2), (1, 3, -1), (2, 0, 1), (2, 3, 1), (3, 2, 1),
            (4, 1, 1), (4, 4, 2));
        const int k = 3;
        var options = new ImplicitAlsOptions
        {
            Factors = k, Iterations = 4, Lambda = 0.5f, Alpha = 2, ConjugateGradientSteps = k, Seed = 4,
        };
        var fast = ImplicitAlsTrainer.Train(data, options, TestData.Time);

        var (x, y) = ReferenceAls(data, options);
        for (var u = 0; u < 5; u++)
            for (var i = 0; i < 5; i++)
            {
                int row = data.Users.IndexOf($"u{u}"), column = data.Items.IndexOf($"i{i}");
                double expected = 0;
                for (var d = 0; d < k; d++) expected += x[row, d] * y[column, d];
                fast.Predict($"u{u}", $"i{i}")!.Value.Should().BeApproximately((float)expected, 2e-3f, $"u{u} i{i}");
            }
    }

    /// <summary>
    /// Hu–Koren–Volinsky weighted ALS, written out: for each row build A = YᵀC Y + λI and b = YᵀC p over ALL columns
    /// and solve exactly by Gaussian elimination. Same start as the trainer (same generator and seed).
    /// </summary>
    private static (double[,] X, double[,] Y) ReferenceAls(RatingSet data, ImplicitAlsOptions o)
    {
        int m = data.Users.Count, n = data.Items.Count, k = o.Factors;
        var rng = new SplitMix64(o.Seed);
        var x = new double[m, k];
        var y = new double[n, k];
        for (var u = 0; u < m; u++) for (var d = 0; d < k; d++) x[u, d] = rng.NextFloat() * 0.01f;
        for (var i = 0; i < n; i++) for (var d = 0; d < k; d++) y[i, d] = rng.NextFloat() * 0.01f;
        var w = new double[m, n];
        foreach (var r in data.Ratings) w[r.User, r.Item] = r.Value;
        for (var sweep = 0; sweep < o.Iterations; sweep++)
        {
            SolveAll(x, y, (u, i) => w[u, i], o);
            SolveAll(y, x, (i, u) => w[u, i], o);
        }
        return (x, y);
    }

    private static void SolveAll(double[,] rows, double[,] fixedSide, Func<int, int, double> value, ImplicitAlsOptions o)
    {
        int k = o.Factors, count = rows.GetLength(0), others = fixedSide.GetLength(0);
        for (var r = 0; r < count; r++)
        {
            var a = new double[k, k];
            var b = new double[k];
            for (var j = 0; j < others; j++)
            {
                var v = value(r, j);
                var confidence = 1 + o.Alpha * Math.Abs(v);
                var preference = v > 0 ? 1 : 0;
                for (var d = 0; d < k; d++)
                {
                    b[d] += confidence * preference * fixedSide[j, d];
                    for (var e = 0; e < k; e++) a[d, e] += confidence * fixedSide[j, d] * fixedSide[j, e];
                }
            }
            for (var d = 0; d < k; d++) a[d, d] += o.Lambda;
            var solution = Solve(a, b);
            for (var d = 0; d < k; d++) rows[r, d] = solution[d];
        }
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var c = 0; c < n; c++)
        {
            var pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(a[r, c]));
            for (var e = 0; e < n; e++) (a[c, e], a[pivot, e]) = (a[pivot, e], a[c, e]);
            (b[c], b[pivot]) = (b[pivot], b[c]);
            for (var r = c + 1; r < n; r++)
            {
                var f = a[r, c] / a[c, c];
                for (var e = c; e < n; e++) a[r, e] -= f * a[c, e];
                b[r] -= f * b[c];
            }
        }
        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var s = b[r];
            for (var e = r + 1; e < n; e++) s -= a[r, e] * x[e];
            x[r] = s / a[r, r];
        }
        return x;
    }
}
