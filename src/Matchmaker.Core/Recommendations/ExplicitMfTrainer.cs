using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Matchmaker.Core.Recommendations;

/// <summary>
/// Explicit-feedback MF by SGD, after LIBMF's FPSG (Chin, Zhuang, Juan, Lin 2015): squared loss, L2 on both factor
/// matrices, a per-row adaptive step (LIBMF's "reduced per-coordinate" AdaGrad: one accumulator per factor row holding
/// the mean squared gradient coordinate), optional biases and non-negativity, and a block grid for threads.
/// </summary>
public static class ExplicitMfTrainer
{
    public const string Algorithm = "explicit-sgd";

    public static MfModel Train(RatingSet data, ExplicitMfOptions options, TimeProvider time)
    {
        options.Validate();
        ArgumentNullException.ThrowIfNull(time);
        if (data.Count == 0) throw new ArgumentException("No training data.", nameof(data));
        var started = time.GetTimestamp();
        var cells = CompactRatings.From(data);
        var state = Fit(cells, options);
        var info = new MfTrainingInfo(Algorithm, options.ToJson(), data.Fingerprint(),
            time.GetUtcNow(), time.GetElapsedTime(started).TotalSeconds, new Dictionary<string, double>());
        return new MfModel(MfModelKind.Explicit, cells.Users, cells.Items, options.Factors, state.P, state.Q,
            state.Offset, state.UserBias, state.ItemBias, info);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SgdState Fit(CompactRatings cells, ExplicitMfOptions o)
    {
        int m = cells.Users.Count, n = cells.Items.Count, k = o.Factors;

        // Like LIBMF, work on ratings divided by their standard deviation, so that η and λ mean the same on a 1–5 scale
        // and on a 0–100 scale; the factors are scaled back by √scale at the end.
        double sum = 0, sumSq = 0;
        foreach (var v in cells.Value) { sum += v; sumSq += (double)v * v; }
        var mean = sum / cells.Count;
        var scale = (float)Math.Max(1e-4, Math.Sqrt(Math.Max(0, sumSq / cells.Count - mean * mean)));
        var offset = o.UseBiases ? (float)mean : 0f;

        var state = new SgdState(m, n, k, o, offset, scale);
        var grid = BlockGrid.Build(cells, o.Bins > 0 ? o.Bins : o.Threads + 1, o.Seed, offset, scale);

        // The whole run is one serial sequence of blocks, epoch after epoch, each epoch in its own seeded order.
        // Threads execute that sequence with the same result as one thread; there is no barrier between epochs, so
        // a thread never idles waiting for the slowest block of an epoch.
        var blocks = grid.Bins * grid.Bins;
        var sequence = new int[o.Iterations * blocks];
        for (var epoch = 0; epoch < o.Iterations; epoch++)
            grid.EpochOrder(SplitMix64.Derive(o.Seed, (ulong)epoch + 1)).CopyTo(sequence, epoch * blocks);
        if (o.Threads == 1)
        {
            foreach (var b in sequence) state.RunBlock(grid, b);
        }
        else
        {
            new DependencyScheduler(grid, sequence, block => state.RunBlock(grid, block)).Run(o.Threads);
        }

        // back to the rating scale: (√s p)·(√s q) = s (p·q)
        var root = MathF.Sqrt(scale);
        TensorPrimitives.Multiply(state.P, root, state.P);
        TensorPrimitives.Multiply(state.Q, root, state.Q);
        if (state.UserBias is not null) TensorPrimitives.Multiply(state.UserBias, scale, state.UserBias);
        if (state.ItemBias is not null) TensorPrimitives.Multiply(state.ItemBias, scale, state.ItemBias);
        return state;
    }

    /// <summary>Factors, AdaGrad accumulators and the update rule.</summary>
    private sealed class SgdState
    {
        public readonly float[] P, Q, GP, GQ;
        public readonly float[]? UserBias, ItemBias, GUserBias, GItemBias;
        public readonly float Offset;
        private readonly int _k;
        private readonly float _eta, _lambda, _biasLambda;
        private readonly bool _nonNegative;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public SgdState(int m, int n, int k, ExplicitMfOptions o, float offset, float scale)
        {
            _k = k;
            Offset = offset;
            _eta = o.LearningRate;
            _lambda = o.Lambda / scale; // LIBMF: λ is divided by the same scale as the ratings
            _biasLambda = o.BiasLambda / scale;
            _nonNegative = o.NonNegative;
            // LIBMF's start: uniform in [0, √(1/k)), so p·q starts small and positive
            P = new float[m * k];
            Q = new float[n * k];
            var rng = new SplitMix64(o.Seed);
            var init = MathF.Sqrt(1f / k);
            for (var x = 0; x < P.Length; x++) P[x] = rng.NextFloat() * init;
            for (var x = 0; x < Q.Length; x++) Q[x] = rng.NextFloat() * init;
            GP = new float[m];
            GQ = new float[n];
            Array.Fill(GP, 1f);
            Array.Fill(GQ, 1f);
            if (o.UseBiases)
            {
                UserBias = new float[m];
                ItemBias = new float[n];
                GUserBias = new float[m];
                GItemBias = new float[n];
                Array.Fill(GUserBias, 1f);
                Array.Fill(GItemBias, 1f);
            }
        }

        /// <summary>
        /// One pass over a block's cells. Arrays are read into locals and indexed through refs so the loop body is the
        /// kernel alone (no field reloads or bounds checks per rating); the bias update sits out of line behind one
        /// perfectly predicted branch.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops run once per training: tiering only costs time here
        public void RunBlock(BlockGrid grid, int block)
        {
            var (start, end) = grid.Range(block);
            int k = _k;
            float eta = _eta, lambda = _lambda, inverseK = 1f / k;
            var nonNegative = _nonNegative;
            ref var users = ref MemoryMarshal.GetArrayDataReference(grid.User);
            ref var items = ref MemoryMarshal.GetArrayDataReference(grid.Item);
            ref var values = ref MemoryMarshal.GetArrayDataReference(grid.Value);
            ref var p0 = ref MemoryMarshal.GetArrayDataReference(P);
            ref var q0 = ref MemoryMarshal.GetArrayDataReference(Q);
            ref var gp0 = ref MemoryMarshal.GetArrayDataReference(GP);
            ref var gq0 = ref MemoryMarshal.GetArrayDataReference(GQ);
            var biases = UserBias is not null;
            for (var c = start; c < end; c++)
            {
                var u = Unsafe.Add(ref users, c);
                var i = Unsafe.Add(ref items, c);
                ref var p = ref Unsafe.Add(ref p0, u * k);
                ref var q = ref Unsafe.Add(ref q0, i * k);
                ref var gp = ref Unsafe.Add(ref gp0, u);
                ref var gq = ref Unsafe.Add(ref gq0, i);
                var e = Unsafe.Add(ref values, c) - Dot(ref p, ref q, k);
                if (biases) e = UpdateBiases(u, i, e);
                // LIBMF's schedule: step η/√G with G = 1 + Σ(mean squared gradient coordinate) of the row so far
                var (sp, sq) = Step(ref p, ref q, k, e, lambda, eta * InverseSqrt(gp), eta * InverseSqrt(gq), nonNegative);
                gp += sp * inverseK;
                gq += sq * inverseK;
            }
        }

        /// <summary>
        /// 1/√x from the hardware estimate plus one Newton step (relative error ~1e-7 from a 14-bit estimate, ~1e-6 from
        /// a 12-bit one), as LIBMF's qrsqrt does: cheaper than a square root and a division on every rating.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static float InverseSqrt(float x)
        {
            var y = MathF.ReciprocalSqrtEstimate(x);
            return y * (1.5f - 0.5f * x * y * y);
        }

        /// <summary>Subtracts the biases from the error and takes their (scalar AdaGrad) step; returns the new error.</summary>
        private float UpdateBiases(int u, int i, float e)
        {
            var userBias = UserBias!;
            var itemBias = ItemBias!;
            e -= userBias[u] + itemBias[i];
            var gu = -e + _biasLambda * userBias[u];
            var gi = -e + _biasLambda * itemBias[i];
            userBias[u] -= _eta / MathF.Sqrt(GUserBias![u]) * gu;
            itemBias[i] -= _eta / MathF.Sqrt(GItemBias![i]) * gi;
            GUserBias[u] += gu * gu;
            GItemBias[i] += gi * gi;
            return e;
        }
    }

    /// <summary>p·q over k floats; inline Vector256 with two accumulators (k is small, a library call costs more).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(ref float p, ref float q, int k)
    {
        var d = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && k >= Vector256<float>.Count)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            const int width = 8; // Vector256<float>.Count
            for (; d <= k - 2 * width; d += 2 * width)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)d), Vector256.LoadUnsafe(ref q, (nuint)d), acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)(d + width)),
                    Vector256.LoadUnsafe(ref q, (nuint)(d + width)), acc1);
            }
            if (d <= k - width)
            {
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref p, (nuint)d), Vector256.LoadUnsafe(ref q, (nuint)d), acc0);
                d += width;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; d < k; d++) sum += Unsafe.Add(ref p, d) * Unsafe.Add(ref q, d);
        return sum;
    }

    /// <summary>
    /// One SGD step on a (p, q) pair given the error e = r − p·q: g_p = λp − e q, g_q = λq − e p (both from the old
    /// values), p −= η_p g_p, q −= η_q g_q; returns Σg_p², Σg_q². One fused SIMD pass: with k = 8..64 the six separate
    /// TensorPrimitives calls this replaces cost more in call overhead than in arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (float SumP, float SumQ) Step(ref float p, ref float q, int k, float e, float lambda,
        float etaP, float etaQ, bool nonNegative)
    {
        var d = 0;
        float sp = 0, sq = 0;
        if (Vector256.IsHardwareAccelerated && k >= Vector256<float>.Count)
        {
            var vl = Vector256.Create(lambda);
            var minusE = Vector256.Create(-e);
            var minusEtaP = Vector256.Create(-etaP);
            var minusEtaQ = Vector256.Create(-etaQ);
            var accP = Vector256<float>.Zero;
            var accQ = Vector256<float>.Zero;
            for (; d <= k - Vector256<float>.Count; d += Vector256<float>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)d);
                var qv = Vector256.LoadUnsafe(ref q, (nuint)d);
                var gp = Vector256.FusedMultiplyAdd(minusE, qv, vl * pv);
                var gq = Vector256.FusedMultiplyAdd(minusE, pv, vl * qv);
                accP = Vector256.FusedMultiplyAdd(gp, gp, accP);
                accQ = Vector256.FusedMultiplyAdd(gq, gq, accQ);
                pv = Vector256.FusedMultiplyAdd(minusEtaP, gp, pv);
                qv = Vector256.FusedMultiplyAdd(minusEtaQ, gq, qv);
                if (nonNegative)
                {
                    pv = Vector256.Max(pv, Vector256<float>.Zero);
                    qv = Vector256.Max(qv, Vector256<float>.Zero);
                }
                pv.StoreUnsafe(ref p, (nuint)d);
                qv.StoreUnsafe(ref q, (nuint)d);
            }
            sp = Vector256.Sum(accP);
            sq = Vector256.Sum(accQ);
        }
        for (; d < k; d++)
        {
            ref var pd = ref Unsafe.Add(ref p, d);
            ref var qd = ref Unsafe.Add(ref q, d);
            var gp = lambda * pd - e * qd;
            var gq = lambda * qd - e * pd;
            sp += gp * gp;
            sq += gq * gq;
            pd -= etaP * gp;
            qd -= etaQ * gq;
            if (nonNegative)
            {
                pd = MathF.Max(pd, 0f);
                qd = MathF.Max(qd, 0f);
            }
        }
        return (sp, sq);
    }
}
