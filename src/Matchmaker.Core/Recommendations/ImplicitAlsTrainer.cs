using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Matchmaker.Core.Recommendations;

/// <summary>
/// Implicit-feedback MF by weighted ALS with conjugate-gradient row solves, after benfred/implicit
/// (<c>implicit/cpu/als.py</c>, <c>_least_squares_cg</c>): the Gram matrix YᵀY + λI of the fixed side is computed once
/// per half-sweep; each row then only adds its observed cells' (c − 1) y yᵀ terms inside the CG products.
/// </summary>
public static class ImplicitAlsTrainer
{
    public const string Algorithm = "implicit-als";

    public static MfModel Train(RatingSet data, ImplicitAlsOptions options, TimeProvider time)
    {
        options.Validate();
        ArgumentNullException.ThrowIfNull(time);
        if (data.Count == 0) throw new ArgumentException("No training data.", nameof(data));
        var started = time.GetTimestamp();
        var cells = CompactRatings.From(data);
        int m = cells.Users.Count, n = cells.Items.Count, k = options.Factors;
        var byUser = cells.Csr(byUser: true);
        var byItem = cells.Csr(byUser: false);

        // implicit's start: small non-negative noise; the first half-sweep solves users against it
        var rng = new SplitMix64(options.Seed);
        var userFactors = new float[m * k];
        var itemFactors = new float[n * k];
        for (var x = 0; x < userFactors.Length; x++) userFactors[x] = rng.NextFloat() * 0.01f;
        for (var x = 0; x < itemFactors.Length; x++) itemFactors[x] = rng.NextFloat() * 0.01f;

        var gram = new float[k * k];
        for (var sweep = 0; sweep < options.Iterations; sweep++)
        {
            SolveSide(userFactors, itemFactors, byUser, gram, options);
            SolveSide(itemFactors, userFactors, byItem, gram, options);
        }

        var info = new MfTrainingInfo(Algorithm, options.ToJson(), data.Fingerprint(),
            time.GetUtcNow(), time.GetElapsedTime(started).TotalSeconds, new Dictionary<string, double>());
        return new MfModel(MfModelKind.Implicit, cells.Users, cells.Items, k, userFactors, itemFactors, 0f, null, null, info);
    }

    /// <summary>Re-solves every row of <paramref name="x"/> with <paramref name="y"/> fixed.</summary>
    private static void SolveSide(float[] x, float[] y, (int[] Offsets, int[] Other, float[] Values) csr,
        float[] gram, ImplicitAlsOptions o)
    {
        var k = o.Factors;
        Gram(y, k, o.Lambda, gram);
        var rows = csr.Offsets.Length - 1;
        if (o.Threads == 1)
        {
            var scratch = new CgScratch(k);
            for (var row = 0; row < rows; row++) SolveRow(x, y, csr, gram, o, row, scratch);
            return;
        }
        // each row is independent given the Gram matrix, so any thread split gives the same floats
        Parallel.For(0, rows, new ParallelOptions { MaxDegreeOfParallelism = o.Threads },
            () => new CgScratch(k),
            (row, _, scratch) => { SolveRow(x, y, csr, gram, o, row, scratch); return scratch; },
            _ => { });
    }

    /// <summary>G = YᵀY + λI, accumulated row by row in a fixed order (deterministic float sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gram(float[] y, int k, float lambda, float[] gram)
    {
        Array.Clear(gram);
        var rows = y.Length / k;
        for (var r = 0; r < rows; r++)
        {
            var v = y.AsSpan(r * k, k);
            for (var a = 0; a < k; a++)
            {
                // G[a, :] += v[a] v
                var g = gram.AsSpan(a * k, k);
                TensorPrimitives.MultiplyAdd(v, v[a], g, g);
            }
        }
        for (var a = 0; a < k; a++) gram[a * k + a] += lambda;
    }

    internal sealed class CgScratch(int k)
    {
        public readonly float[] R = new float[k], P = new float[k], Ap = new float[k];
    }

    /// <summary>
    /// A few CG steps on A x = b for one row, starting from the current x, where A = G + Σ (c−1) y yᵀ over the row's
    /// cells and b = Σ c·pref·y; this is implicit's <c>_least_squares_cg</c> with negative cells as preference 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SolveRow(float[] xs, float[] ys, (int[] Offsets, int[] Other, float[] Values) csr,
        float[] gram, ImplicitAlsOptions o, int row, CgScratch s)
    {
        var k = o.Factors;
        var x = xs.AsSpan(row * k, k);
        Span<float> r = s.R, p = s.P, ap = s.Ap;
        int start = csr.Offsets[row], end = csr.Offsets[row + 1];

        // r = b − A x
        MatVec(gram, x, r, k);
        TensorPrimitives.Negate(r, r);
        for (var c = start; c < end; c++)
        {
            var y = ys.AsSpan(csr.Other[c] * k, k);
            var w = csr.Values[c];
            var extra = o.Alpha * MathF.Abs(w); // c − 1
            var confidence = 1 + extra;
            var coefficient = (w > 0 ? confidence : 0f) - extra * TensorPrimitives.Dot(y, x);
            TensorPrimitives.MultiplyAdd(y, coefficient, r, r);
        }
        r.CopyTo(p);
        var rsOld = TensorPrimitives.Dot(r, r);
        if (rsOld < 1e-20f) return;

        for (var step = 0; step < o.ConjugateGradientSteps; step++)
        {
            MatVec(gram, p, ap, k);
            for (var c = start; c < end; c++)
            {
                var y = ys.AsSpan(csr.Other[c] * k, k);
                var extra = o.Alpha * MathF.Abs(csr.Values[c]);
                TensorPrimitives.MultiplyAdd(y, extra * TensorPrimitives.Dot(y, p), ap, ap);
            }
            var pAp = TensorPrimitives.Dot(p, ap);
            if (!(pAp > 0)) break; // A is positive definite when λ > 0; guard λ = 0 with an empty row
            var a = rsOld / pAp;
            TensorPrimitives.MultiplyAdd(p, a, x, x);
            TensorPrimitives.MultiplyAdd(ap, -a, r, r);
            var rsNew = TensorPrimitives.Dot(r, r);
            if (rsNew < 1e-20f) break;
            // p = r + (rsNew / rsOld) p
            TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
            rsOld = rsNew;
        }
    }

    /// <summary>out = G v for a symmetric k×k G.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatVec(float[] gram, ReadOnlySpan<float> v, Span<float> result, int k)
    {
        for (var a = 0; a < k; a++) result[a] = TensorPrimitives.Dot(gram.AsSpan(a * k, k), v);
    }
}
