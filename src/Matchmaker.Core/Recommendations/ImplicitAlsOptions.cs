namespace Matchmaker.Core.Recommendations;

/// <summary>
/// Settings of implicit-feedback MF by weighted ALS (Hu, Koren, Volinsky 2008) with conjugate-gradient solves
/// (Takács et al. 2011, as in benfred/implicit). A cell's value w is a signed signal strength: w &gt; 0 means
/// preference 1, w &lt; 0 preference 0 (a decline or no-show), and the confidence is 1 + <see cref="Alpha"/>·|w|;
/// every unobserved cell counts as preference 0 with confidence 1.
/// </summary>
public sealed record ImplicitAlsOptions
{
    /// <summary>
    /// Rank k (default 64). Too small: only broad popularity-like taste directions, recall close to the popularity
    /// baseline. Too large: slower (the k×k solve grows as k²) and, with weak λ, it memorises the training items.
    /// </summary>
    public int Factors { get; init; } = 64;

    /// <summary>
    /// Alternating sweeps, each solving all users then all items (default 15). Too few: not converged (CG starts from the
    /// previous sweep, so each sweep refines). Too many: wasted time; ALS does not overfit by iterating.
    /// </summary>
    public int Iterations { get; init; } = 15;

    /// <summary>
    /// L2 penalty λ on both factor matrices (default 20, tuned on a 90/10 split of the Online Retail training file; it competes with the sum of confidences of a row, so it is
    /// larger than SGD's). Too small: rare rows overfit their few items. Too large: every vector shrinks towards 0 and
    /// the ranking degrades to popularity.
    /// </summary>
    public float Lambda { get; init; } = 20f;

    /// <summary>
    /// Confidence slope α (default 2): c = 1 + α|w|. Too small: observed cells weigh little more than the missing ones
    /// and the model predicts "nothing". Too large: the missing cells stop mattering and the model ranks by raw
    /// activity (popularity), and the CG solve needs more steps.
    /// </summary>
    public float Alpha { get; init; } = 2f;

    /// <summary>
    /// Conjugate-gradient steps per row per sweep (default 3, as in implicit). Too few: each row is only partly solved.
    /// More: closer to the exact least-squares solution, linearly slower.
    /// </summary>
    public int ConjugateGradientSteps { get; init; } = 3;

    /// <summary>Worker threads (default 1). Rows are solved independently, so the result does not depend on it.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Seed of the initial factors (default 0).</summary>
    public ulong Seed { get; init; }

    public ImplicitAlsOptions Validate()
    {
        FactorisationSettings.ValidateShared(Factors, Iterations, Lambda, Threads);
        FactorisationSettings.NonNegative(Alpha, nameof(Alpha));
        if (ConjugateGradientSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(ConjugateGradientSteps), ConjugateGradientSteps, "must be at least 1");
        return this;
    }

    /// <summary>The settings as JSON, stored with a model.</summary>
    public string ToJson() => FactorisationSettings.Json(w =>
    {
        w.WriteNumber("Factors", Factors);
        w.WriteNumber("Iterations", Iterations);
        w.WriteNumber("Lambda", Lambda);
        w.WriteNumber("Alpha", Alpha);
        w.WriteNumber("ConjugateGradientSteps", ConjugateGradientSteps);
        w.WriteNumber("Threads", Threads);
        w.WriteNumber("Seed", Seed);
    });
}
