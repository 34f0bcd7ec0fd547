namespace Matchmaker.Core.Recommendations;

/// <summary>
/// Settings of explicit-feedback matrix factorisation (meeting ratings) trained by SGD. Defaults are those of ML.NET's
/// MatrixFactorizationTrainer (which wraps LIBMF): rank 8, 20 iterations, learning rate 0.1, λ 0.1, no biases.
/// </summary>
public sealed record ExplicitMfOptions
{
    /// <summary>
    /// Rank k of the factor matrices (default 8). Too small: the model cannot express distinct tastes and underfits
    /// (RMSE near the bias-only model). Too large: slower (cost is linear in k) and, unless λ grows, overfits sparse rows.
    /// </summary>
    public int Factors { get; init; } = 8;

    /// <summary>
    /// Passes over the training cells (default 20). Too few: factors still near their random start. Too many: time
    /// wasted, and with small λ the test error rises again (overfitting).
    /// </summary>
    public int Iterations { get; init; } = 20;

    /// <summary>
    /// Initial step η of the adaptive (AdaGrad-style) schedule (default 0.1); each row's step then shrinks as
    /// η/√(1+Σ‖g‖²/k). Too small: slow convergence, underfit within the iteration budget. Too large: the first epochs
    /// overshoot and factors blow up (NaN in the worst case).
    /// </summary>
    public float LearningRate { get; init; } = 0.1f;

    /// <summary>
    /// L2 penalty on both factor matrices (default 0.1; like LIBMF it is applied per observed cell, so busy rows are
    /// not penalised more in total than quiet ones relative to their data). Too small: overfits rows with few ratings.
    /// Too large: shrinks every prediction towards 0 (or the global mean), underfitting.
    /// </summary>
    public float Lambda { get; init; } = 0.1f;

    /// <summary>
    /// Learn a global mean plus a bias per user and per item (default false, as in ML.NET/LIBMF). Helps when some
    /// buyers rate everyone high and others low; costs nothing measurable.
    /// </summary>
    public bool UseBiases { get; init; }

    /// <summary>L2 penalty on the biases (default 0.01). Too large pulls every bias to 0; too small overfits rare rows.</summary>
    public float BiasLambda { get; init; } = 0.01f;

    /// <summary>Clamp factors at 0 after each step (default false): interpretable parts-based factors, slightly worse fit.</summary>
    public bool NonNegative { get; init; }

    /// <summary>
    /// Worker threads (default 1). The cells are cut into a (threads+1)² grid of blocks and independent blocks run
    /// concurrently; the result depends only on the seed and this number, never on timing.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Grid side override for tests (0 = threads + 1): lets a test run one grid serially and threaded.</summary>
    internal int Bins { get; init; }

    /// <summary>Seed for the initial factors and the block order of every epoch (default 0).</summary>
    public ulong Seed { get; init; }

    public ExplicitMfOptions Validate()
    {
        FactorisationSettings.ValidateShared(Factors, Iterations, Lambda, Threads);
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "must be positive");
        FactorisationSettings.NonNegative(BiasLambda, nameof(BiasLambda));
        return this;
    }

    /// <summary>The settings as JSON, stored with a model.</summary>
    public string ToJson() => FactorisationSettings.Json(w =>
    {
        w.WriteNumber("Factors", Factors);
        w.WriteNumber("Iterations", Iterations);
        w.WriteNumber("LearningRate", LearningRate);
        w.WriteNumber("Lambda", Lambda);
        w.WriteBoolean("UseBiases", UseBiases);
        w.WriteNumber("BiasLambda", BiasLambda);
        w.WriteBoolean("NonNegative", NonNegative);
        w.WriteNumber("Threads", Threads);
        w.WriteNumber("Seed", Seed);
    });
}
