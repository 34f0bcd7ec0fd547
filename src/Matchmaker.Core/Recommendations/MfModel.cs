using System.Numerics.Tensors;
using System.Text;

namespace Matchmaker.Core.Recommendations;

/// <summary>Which trainer made a model; decides how a score reads (a rating, or a preference strength).</summary>
public enum MfModelKind
{
    /// <summary>Explicit ratings by SGD: a score estimates the rating.</summary>
    Explicit = 1,

    /// <summary>Implicit signals by weighted ALS: a score ranks (≈ preference in [0, 1]), it is not a rating.</summary>
    Implicit = 2,
}

/// <summary>An item with its score, as returned by <see cref="MfModel.Recommend"/>.</summary>
public readonly record struct ScoredItem(string ItemId, float Score);

/// <summary>What a model was trained with: kept with the factors so a stored model explains itself.</summary>
/// <param name="Algorithm">e.g. "explicit-sgd", "implicit-als".</param>
/// <param name="OptionsJson">The trainer's options record as JSON.</param>
/// <param name="DataFingerprint"><see cref="RatingSet.Fingerprint"/> of the training data.</param>
/// <param name="TrainedAt">From the caller's <see cref="TimeProvider"/>.</param>
/// <param name="TrainSeconds">Wall time of the training call.</param>
/// <param name="Metrics">Any evaluation figures the caller wants stored beside the model (may be empty).</param>
public sealed record MfTrainingInfo(
    string Algorithm,
    string OptionsJson,
    string DataFingerprint,
    DateTimeOffset TrainedAt,
    double TrainSeconds,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// A trained factorisation: flat row-major factor arrays (<c>UserFactors[u*k .. u*k+k)</c>), one id map per side,
/// optional biases. Score(u, i) = globalMean + userBias[u] + itemBias[i] + p_u·q_i.
/// </summary>
/// <remarks>
/// Cold start: an SME or buyer the model has not seen in training has no collaborative score; <see cref="Predict"/>
/// returns null and <see cref="Recommend"/> an empty list, and the match scorer falls back to content similarity.
/// Nothing is invented for unknown ids (no global mean, no popularity), so "no CF evidence" stays distinguishable.
/// </remarks>
public sealed class MfModel
{
    /// <summary>Binary layout version written by <see cref="Save"/>; bump when the layout changes.</summary>
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "MMMF"u8.ToArray();

    private int[]? _itemRanks;

    public MfModel(MfModelKind kind, IdIndex users, IdIndex items, int factors,
        float[] userFactors, float[] itemFactors, float globalMean, float[]? userBias, float[]? itemBias,
        MfTrainingInfo info)
    {
        if (factors < 1) throw new ArgumentOutOfRangeException(nameof(factors));
        if (userFactors.Length != users.Count * factors) throw new ArgumentException("size mismatch", nameof(userFactors));
        if (itemFactors.Length != items.Count * factors) throw new ArgumentException("size mismatch", nameof(itemFactors));
        if (userBias is not null && userBias.Length != users.Count) throw new ArgumentException("size mismatch", nameof(userBias));
        if (itemBias is not null && itemBias.Length != items.Count) throw new ArgumentException("size mismatch", nameof(itemBias));
        Kind = kind;
        Users = users;
        Items = items;
        Factors = factors;
        UserFactors = userFactors;
        ItemFactors = itemFactors;
        GlobalMean = globalMean;
        UserBias = userBias;
        ItemBias = itemBias;
        Info = info;
    }

    public MfModelKind Kind { get; }
    public IdIndex Users { get; }
    public IdIndex Items { get; }
    public int Factors { get; }
    public float[] UserFactors { get; }
    public float[] ItemFactors { get; }
    public float GlobalMean { get; }
    public float[]? UserBias { get; }
    public float[]? ItemBias { get; }
    public MfTrainingInfo Info { get; }

    public ReadOnlySpan<float> UserVector(int user) => UserFactors.AsSpan(user * Factors, Factors);
    public ReadOnlySpan<float> ItemVector(int item) => ItemFactors.AsSpan(item * Factors, Factors);

    /// <summary>The score by index (no bounds beyond the arrays').</summary>
    public float Score(int user, int item) =>
        GlobalMean + (UserBias?[user] ?? 0f) + (ItemBias?[item] ?? 0f)
        + TensorPrimitives.Dot(UserVector(user), ItemVector(item));

    /// <summary>Predicted rating / preference, or null when either id was not in the training data (cold start).</summary>
    public float? Predict(string userId, string itemId) =>
        Users.TryGetIndex(userId, out var u) && Items.TryGetIndex(itemId, out var i) ? Score(u, i) : null;

    /// <summary>Scores every item for one user into <paramref name="scores"/> (length = item count).</summary>
    public void ScoreAllItems(int user, Span<float> scores)
    {
        if (scores.Length != Items.Count) throw new ArgumentException("one slot per item", nameof(scores));
        var p = UserVector(user);
        var k = Factors;
        for (var i = 0; i < scores.Length; i++)
            scores[i] = TensorPrimitives.Dot(p, ItemFactors.AsSpan(i * k, k));
        var offset = GlobalMean + (UserBias?[user] ?? 0f);
        if (ItemBias is not null) TensorPrimitives.Add(scores, ItemBias, scores);
        if (offset != 0f) TensorPrimitives.Add(scores, offset, scores);
    }

    /// <summary>
    /// The <paramref name="count"/> best items for a user, score descending then item id ascending (<see cref="IdOrder"/>),
    /// leaving out <paramref name="exclude"/> (e.g. buyers already met). Unknown user: empty (cold start).
    /// </summary>
    public IReadOnlyList<ScoredItem> Recommend(string userId, int count, IEnumerable<string>? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!Users.TryGetIndex(userId, out var u) || count == 0) return [];
        var scores = new float[Items.Count];
        ScoreAllItems(u, scores);
        if (exclude is not null)
            foreach (var id in exclude)
                if (Items.TryGetIndex(id, out var i)) scores[i] = float.NaN; // NaN = not a candidate
        _itemRanks ??= IdOrder.Ranks(Items);
        var top = new int[Math.Min(count, Items.Count)];
        var n = TopK.Select(scores, _itemRanks, top);
        var result = new ScoredItem[n];
        for (var r = 0; r < n; r++) result[r] = new ScoredItem(Items[top[r]], scores[top[r]]);
        return result;
    }

    /// <summary>The same model with evaluation figures attached (e.g. RMSE, recall@10 on a hold-out), to be saved with it.</summary>
    public MfModel WithMetrics(IReadOnlyDictionary<string, double> metrics) =>
        new(Kind, Users, Items, Factors, UserFactors, ItemFactors, GlobalMean, UserBias, ItemBias,
            Info with { Metrics = new Dictionary<string, double>(metrics, StringComparer.Ordinal) });

    /// <summary>Writes the model (versioned binary, little-endian) to a file or a database blob stream.</summary>
    public void Save(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write((int)Kind);
        w.Write(Info.Algorithm);
        w.Write(Info.OptionsJson);
        w.Write(Info.DataFingerprint);
        w.Write(Info.TrainedAt.UtcTicks);
        w.Write(Info.TrainSeconds);
        w.Write(Info.Metrics.Count);
        foreach (var (name, value) in Info.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            w.Write(name);
            w.Write(value);
        }
        w.Write(Factors);
        w.Write(GlobalMean);
        WriteIds(w, Users);
        WriteIds(w, Items);
        WriteFloats(w, UserFactors);
        WriteFloats(w, ItemFactors);
        w.Write(UserBias is not null);
        if (UserBias is not null) WriteFloats(w, UserBias);
        w.Write(ItemBias is not null);
        if (ItemBias is not null) WriteFloats(w, ItemBias);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; rejects other formats and newer versions with a clear message.</summary>
    public static MfModel Load(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = r.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a Matchmaker MF model.");
        var version = r.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"MF model format version {version} is not supported (expected {FormatVersion}).");
        var kind = (MfModelKind)r.ReadInt32();
        var algorithm = r.ReadString();
        var options = r.ReadString();
        var fingerprint = r.ReadString();
        var trainedAt = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        var seconds = r.ReadDouble();
        var metricCount = r.ReadInt32();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var m = 0; m < metricCount; m++) metrics[r.ReadString()] = r.ReadDouble();
        var factors = r.ReadInt32();
        var mean = r.ReadSingle();
        var users = ReadIds(r);
        var items = ReadIds(r);
        var userFactors = ReadFloats(r);
        var itemFactors = ReadFloats(r);
        var userBias = r.ReadBoolean() ? ReadFloats(r) : null;
        var itemBias = r.ReadBoolean() ? ReadFloats(r) : null;
        return new MfModel(kind, users, items, factors, userFactors, itemFactors, mean, userBias, itemBias,
            new MfTrainingInfo(algorithm, options, fingerprint, trainedAt, seconds, metrics));
    }

    private static void WriteIds(BinaryWriter w, IdIndex ids)
    {
        w.Write(ids.Count);
        foreach (var id in ids.Ids) w.Write(id);
    }

    private static IdIndex ReadIds(BinaryReader r)
    {
        var n = r.ReadInt32();
        var ids = new string[n];
        for (var i = 0; i < n; i++) ids[i] = r.ReadString();
        return new IdIndex(ids);
    }

    private static void WriteFloats(BinaryWriter w, float[] values)
    {
        w.Write(values.Length);
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader r)
    {
        var n = r.ReadInt32();
        var values = new float[n];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length) throw new EndOfStreamException("Truncated MF model.");
        return values;
    }
}

/// <summary>Top-k selection with the project's one tie-break: score descending, then id rank ascending; NaN = skip.</summary>
public static class TopK
{
    /// <summary>Fills <paramref name="result"/> with the best indices, best first; returns how many were found.</summary>
    public static int Select(ReadOnlySpan<float> scores, ReadOnlySpan<int> tieRank, Span<int> result)
    {
        var k = result.Length;
        var n = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (float.IsNaN(s)) continue;
            if (n == k && !Better(s, tieRank[i], scores[result[k - 1]], tieRank[result[k - 1]])) continue;
            // insertion into the sorted head; k is small (10) so this beats a heap
            var pos = n < k ? n++ : k - 1;
            while (pos > 0 && Better(s, tieRank[i], scores[result[pos - 1]], tieRank[result[pos - 1]]))
            {
                result[pos] = result[pos - 1];
                pos--;
            }
            result[pos] = i;
        }
        return n;
    }

    private static bool Better(float s, int rank, float otherScore, int otherRank) =>
        s > otherScore || (s == otherScore && rank < otherRank);
}
