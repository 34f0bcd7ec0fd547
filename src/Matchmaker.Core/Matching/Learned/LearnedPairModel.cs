using System.Diagnostics;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;

namespace Matchmaker.Core.Matching;

/// <summary>The two ML.NET trainers that fit a pair model over content components and categories.</summary>
public enum PairModelTrainer
{
    /// <summary>Field-aware factorization machine (binary: a positive outcome or not, weighted by its strength).</summary>
    Ffm = 1,
    /// <summary>LightGBM LambdaRank: the buyers of each SME at each past event ranked by the outcome's grade.</summary>
    LightGbm = 2,
}

/// <summary>How the learned pair model is trained (section <c>Matchmaker:Recommender:PairModel</c>).</summary>
public sealed record PairModelOptions
{
    /// <summary>Which trainer the retraining job uses (default LightGBM, the better of the two on both held-out sets:
    /// README, "Learned scores for SMEs without history").</summary>
    public PairModelTrainer Trainer { get; init; } = PairModelTrainer.LightGbm;

    /// <summary>One seed for the negative sampling and both trainers (default 2026): same data and seed, same model.</summary>
    public ulong Seed { get; init; } = 2026;

    /// <summary>Pairs without an outcome drawn per SME as grade 0 (default 20). Too few: the model never sees the
    /// ordinary non-match; too many: training slows and the rare positives drown.</summary>
    public int NegativesPerSme { get; init; } = 20;

    /// <summary>FFM latent dimension (default 4). The pairs are few (a few thousand a year): larger overfits the buyers.</summary>
    public int FfmLatentDimension { get; init; } = 4;
    /// <summary>FFM passes over the data (default 10).</summary>
    public int FfmIterations { get; init; } = 10;
    /// <summary>FFM learning rate (default 0.1).</summary>
    public float FfmLearningRate { get; init; } = 0.1f;
    /// <summary>FFM L2 on the latent vectors (default 0.001). Too small: buyers seen a few times get extreme factors.</summary>
    public float FfmLambdaLatent { get; init; } = 0.001f;

    /// <summary>LightGBM trees (default 100).</summary>
    public int TreeIterations { get; init; } = 100;
    /// <summary>Leaves per tree (default 8): shallow trees, the data are small.</summary>
    public int TreeLeaves { get; init; } = 8;
    /// <summary>Shrinkage (default 0.05).</summary>
    public double TreeLearningRate { get; init; } = 0.05;
    /// <summary>Smallest leaf (default 20 pairs): a leaf of a handful of meetings learns one SME, not a pattern.</summary>
    public int TreeMinimumLeafSize { get; init; } = 20;

    public PairModelOptions Validate()
    {
        if (!Enum.IsDefined(Trainer)) throw new ArgumentOutOfRangeException(nameof(Trainer), "ffm or lightgbm");
        if (NegativesPerSme is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(NegativesPerSme), "1–1000");
        if (FfmLatentDimension is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(FfmLatentDimension), "1–64");
        if (FfmIterations is < 1 or > 1000) throw new ArgumentOutOfRangeException(nameof(FfmIterations), "1–1000");
        if (!(FfmLearningRate > 0) || !(FfmLambdaLatent >= 0)) throw new ArgumentOutOfRangeException(nameof(FfmLearningRate), "positive");
        if (TreeIterations is < 1 or > 5000) throw new ArgumentOutOfRangeException(nameof(TreeIterations), "1–5000");
        if (TreeLeaves is < 2 or > 1024) throw new ArgumentOutOfRangeException(nameof(TreeLeaves), "2–1024");
        if (!(TreeLearningRate > 0) || TreeMinimumLeafSize < 1) throw new ArgumentOutOfRangeException(nameof(TreeLearningRate), "positive");
        return this;
    }
}

/// <summary>A learned score with its decomposition: one part per <see cref="PairField"/> plus the baseline, adding
/// up to <see cref="Score"/> (the logistic of the model's raw output).</summary>
public readonly record struct LearnedScore(double Score, double[] Parts, double Baseline);

/// <summary>
/// A model learned from past outcomes over the features of a pair (<see cref="PairExample"/>): the content components
/// and four categories, one-hot encoded against the vocabularies seen in training (a category never seen gives no
/// active feature, so it adds nothing). The score shown is σ(raw) in (0, 1); its parts come from the model's own
/// decomposition of the raw output (per-field FFM terms; for
/// the trees, each split's change of node value credited to the field it split on), scaled by the secant of σ
/// between the baseline and the raw output, so every part keeps its sign and they add up to the score exactly.
/// </summary>
public sealed class LearnedPairModel
{
    public const int FormatVersion = 1;
    static readonly byte[] Magic = "MMPM"u8.ToArray();

    readonly MLContext _ml;
    readonly ITransformer _model;
    readonly DataViewSchema _schema;
    readonly string[][] _vocabulary;
    readonly Dictionary<string, int>[] _index;
    readonly int[] _fieldStart;
    // FFM linear weights, read once from the trained parameters (see FfmTerms for the latent ones).
    readonly float[] _linear = [];

    LearnedPairModel(PairModelTrainer trainer, ulong seed, string[][] vocabulary, MLContext ml, ITransformer model, DataViewSchema schema, PairModelInfo info)
    {
        Trainer = trainer; Seed = seed; _vocabulary = vocabulary; _ml = ml; _model = model; _schema = schema; Info = info;
        _index = vocabulary.Select(v => v.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal)).ToArray();
        _fieldStart = new int[PairFields.Count + 1];
        for (var f = 0; f < PairFields.Count; f++) _fieldStart[f + 1] = _fieldStart[f] + FieldWidth(f);
        if (trainer == PairModelTrainer.Ffm)
        {
            var p = ((FieldAwareFactorizationMachinePredictionTransformer)model).Model;
            _linear = p.GetLinearWeights().ToArray();
        }
        else if (model is RankingPredictionTransformer<LightGbmRankingModelParameters> ranking)
            ReadTrees(ranking.Model);
    }

    public PairModelTrainer Trainer { get; }
    public ulong Seed { get; }
    public PairModelInfo Info { get; }
    public string Algorithm => AlgorithmName(Trainer);
    public static string AlgorithmName(PairModelTrainer trainer) => trainer == PairModelTrainer.Ffm ? "learned-ffm" : "learned-lightgbm";

    /// <summary>Categories the model knows, per categorical field (in <see cref="PairField"/> order from Buyer).</summary>
    public IReadOnlyList<string> Vocabulary(PairField field) => _vocabulary[(int)field - PairFields.Numeric];

    int FieldWidth(int field) => field < PairFields.Numeric ? 1 : _vocabulary[field - PairFields.Numeric].Length;
    int Width => _fieldStart[PairFields.Count];

    /// <summary>Slot of each field's active feature and its value (−1: none, for a category the model has not seen).</summary>
    void Encode(PairExample example, Span<int> slot, Span<float> value)
    {
        for (var f = 0; f < PairFields.Numeric; f++) { slot[f] = _fieldStart[f]; value[f] = example.Numbers[f]; }
        for (var f = PairFields.Numeric; f < PairFields.Count; f++)
        {
            var known = _index[f - PairFields.Numeric].TryGetValue(example.Category((PairField)f), out var i);
            slot[f] = known ? _fieldStart[f] + i : -1;
            value[f] = known ? 1 : 0;
        }
    }

    float[] Dense(PairExample example)
    {
        var dense = new float[Width];
        Span<int> slot = stackalloc int[PairFields.Count];
        Span<float> value = stackalloc float[PairFields.Count];
        Encode(example, slot, value);
        for (var f = 0; f < PairFields.Count; f++) if (slot[f] >= 0) dense[slot[f]] = value[f];
        return dense;
    }

    /// <summary>Scores and explains pairs in one batch (one ML.NET pass for the tree model).</summary>
    public LearnedScore[] Score(IReadOnlyList<PairExample> examples)
    {
        var raw = new double[examples.Count];
        var parts = new double[examples.Count][];
        var baseline = new double[examples.Count];
        if (Trainer == PairModelTrainer.Ffm)
            for (var i = 0; i < examples.Count; i++) (raw[i], parts[i]) = FfmTerms(examples[i]);
        else
            TreeTerms(examples, raw, parts, baseline);
        var result = new LearnedScore[examples.Count];
        for (var i = 0; i < result.Length; i++) result[i] = Squash(raw[i], parts[i], baseline[i]);
        return result;
    }

    public LearnedScore Score(PairExample example) => Score([example])[0];

    /// <summary>σ(raw) and its parts: each raw part times (σ(raw) − σ(b)) / (raw − b), the baseline σ(b).</summary>
    static LearnedScore Squash(double raw, double[] rawParts, double rawBaseline)
    {
        var score = Sigmoid(raw);
        var start = Sigmoid(rawBaseline);
        var delta = raw - rawBaseline;
        var slope = Math.Abs(delta) < 1e-9 ? start * (1 - start) : (score - start) / delta;
        var parts = new double[PairFields.Count];
        var sum = start;
        for (var f = 0; f < parts.Length; f++) { parts[f] = rawParts[f] * slope; sum += parts[f]; }
        // The parts of the raw output add up to it in exact arithmetic; the float residue (≪ 1e-9) goes to the baseline.
        return new LearnedScore(score, parts, start + (score - sum));
    }

    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// FFM: w_j·x_j to the field of j. The pairwise terms ⟨v_{j,f'}, v_{j',f}⟩·x_j·x_j' would go half to each field,
    /// but ML.NET 6.0's FFM, as served here, predicts without them: its scores equal the linear part to float
    /// precision (measured on the samples, and checked by a test against ML.NET's own prediction), although
    /// <c>GetLatentWeights</c> returns non-zero factors. The explanation follows what the model predicts.
    /// </summary>
    (double Raw, double[] Parts) FfmTerms(PairExample example)
    {
        Span<int> slot = stackalloc int[PairFields.Count];
        Span<float> value = stackalloc float[PairFields.Count];
        Encode(example, slot, value);
        var parts = new double[PairFields.Count];
        var raw = 0.0;
        for (var f = 0; f < PairFields.Count; f++)
        {
            if (slot[f] < 0 || value[f] == 0) continue;
            var linear = (double)_linear[slot[f]] * value[f];
            parts[f] += linear;
            raw += linear;
        }
        return (raw, parts);
    }

    sealed class TreeRow
    {
        public float[] Features { get; set; } = [];
    }

    /// <summary>
    /// Trees: each node's value is the mean of its two children's (leaves: their values), so a tree's output is its
    /// root value plus, along the pair's path, each step's change of value, credited to the field the step split on
    /// (Saabas' decomposition with equal child weights). It adds up exactly; the roots (and the ensemble's bias) are
    /// the same for every pair: the baseline. ML.NET's CalculateFeatureContribution was tried first: its contributions
    /// left a remainder that varied by up to 20 logits between pairs, so they do not explain the score shown.
    /// </summary>
    void TreeTerms(IReadOnlyList<PairExample> examples, double[] raw, double[][] parts, double[] baseline)
    {
        Span<int> slot = stackalloc int[PairFields.Count];
        Span<float> value = stackalloc float[PairFields.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            Encode(examples[i], slot, value);
            var p = new double[PairFields.Count];
            var b = _treeBias;
            var total = _treeBias;
            foreach (var tree in _trees)
            {
                var node = 0;
                var current = tree.Root;
                b += tree.Weight * current;
                if (tree.Feature.Length > 0)
                    while (true)
                    {
                        var feature = tree.Feature[node];
                        var x = 0f;
                        var field = _fieldOfSlot[feature];
                        if (slot[field] == feature) x = value[field];
                        var next = x <= tree.Threshold[node] ? tree.Left[node] : tree.Right[node];
                        var nextValue = next < 0 ? tree.Leaf[~next] : tree.NodeValue[next];
                        p[field] += tree.Weight * (nextValue - current);
                        current = nextValue;
                        if (next < 0) break;
                        node = next;
                    }
                total += tree.Weight * current;
            }
            raw[i] = total;
            parts[i] = p;
            baseline[i] = b;
        }
    }

    sealed record Tree(double Weight, int[] Feature, float[] Threshold, int[] Left, int[] Right, double[] Leaf, double[] NodeValue, double Root);

    readonly List<Tree> _trees = [];
    double _treeBias;
    int[] _fieldOfSlot = [];

    void ReadTrees(LightGbmRankingModelParameters parameters)
    {
        var ensemble = parameters.TrainedTreeEnsemble;
        _treeBias = ensemble.Bias;
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c)) throw new InvalidDataException("categorical splits are not used by this model");
            var n = tree.NumberOfNodes;
            var feature = tree.NumericalSplitFeatureIndexes.ToArray();
            var threshold = tree.NumericalSplitThresholds.ToArray();
            var left = tree.LeftChild.ToArray();
            var right = tree.RightChild.ToArray();
            var leaf = tree.LeafValues.ToArray();
            var values = new double[n];
            var done = new bool[n];
            double Value(int child) => child < 0 ? leaf[~child] : NodeValue(child);
            double NodeValue(int node)
            {
                if (!done[node]) { values[node] = (Value(left[node]) + Value(right[node])) / 2; done[node] = true; }
                return values[node];
            }
            var root = n == 0 ? leaf[0] : NodeValue(0);
            _trees.Add(new Tree(ensemble.TreeWeights[t], n == 0 ? [] : feature, threshold, left, right, leaf, values, root));
        }
        _fieldOfSlot = new int[Width];
        for (var f = 0; f < PairFields.Count; f++)
            for (var j = _fieldStart[f]; j < _fieldStart[f + 1]; j++) _fieldOfSlot[j] = f;
    }

    sealed class FfmRow
    {
        public bool Label { get; set; }
        public float[] F0 { get; set; } = []; public float[] F1 { get; set; } = []; public float[] F2 { get; set; } = [];
        public float[] F3 { get; set; } = []; public float[] F4 { get; set; } = []; public float[] F5 { get; set; } = [];
        public float[] F6 { get; set; } = []; public float[] F7 { get; set; } = []; public float[] F8 { get; set; } = [];
        public float[] F9 { get; set; } = []; public float[] F10 { get; set; } = [];

        public void Set(int field, float[] values)
        {
            switch (field)
            {
                case 0: F0 = values; break; case 1: F1 = values; break; case 2: F2 = values; break; case 3: F3 = values; break;
                case 4: F4 = values; break; case 5: F5 = values; break; case 6: F6 = values; break; case 7: F7 = values; break;
                case 8: F8 = values; break; case 9: F9 = values; break; default: F10 = values; break;
            }
        }
    }

    sealed class RankRow
    {
        public float Label { get; set; }
        public uint GroupId { get; set; }
        public float[] Features { get; set; } = [];
    }

    /// <summary>Positive-outcome strength for the FFM: each positive counts as many times as its grade (a request once,
    /// a held meeting twice, a contract five times), each negative once. (ML.NET 6's FFM refuses an example-weight
    /// column: it takes it for a feature field.)</summary>
    static int FfmRepeats(int grade) => Math.Max(1, grade);

    /// <summary>Trains on labelled pairs (grouped by <see cref="LabelledPair.Group"/>, groups contiguous); deterministic
    /// for the same rows, options and seed (one thread, no shuffling beyond the seeded one).</summary>
    public static LearnedPairModel Train(IReadOnlyList<LabelledPair> rows, PairModelOptions options, PairModelTrainer trainer, TimeProvider clock,
        string dataFingerprint = "")
    {
        options.Validate();
        if (rows.Count == 0) throw new ArgumentException("nothing to learn from", nameof(rows));
        var started = Stopwatch.GetTimestamp();
        var vocabulary = new string[PairFields.Count - PairFields.Numeric][];
        for (var f = PairFields.Numeric; f < PairFields.Count; f++)
            vocabulary[f - PairFields.Numeric] = rows.Select(r => r.Example.Category((PairField)f)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var ml = new MLContext(seed: unchecked((int)options.Seed));
        // A shell over the vocabularies to encode rows before the trained transformer exists.
        var shell = new LearnedPairModel(PairModelTrainer.LightGbm, options.Seed, vocabulary, ml, new TransformerChain<ITransformer>(), EmptySchema(ml), PairModelInfo.Empty);
        ITransformer model;
        DataViewSchema schema;
        if (trainer == PairModelTrainer.Ffm)
        {
            var definition = SchemaDefinition.Create(typeof(FfmRow));
            for (var f = 0; f < PairFields.Count; f++) definition[$"F{f}"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, shell.FieldWidth(f));
            var encoded = rows.SelectMany(r =>
            {
                var dense = shell.Dense(r.Example);
                var row = new FfmRow { Label = r.Grade > 0 };
                for (var f = 0; f < PairFields.Count; f++) row.Set(f, dense[shell._fieldStart[f]..shell._fieldStart[f + 1]]);
                return Enumerable.Repeat(row, FfmRepeats(r.Grade));
            }).ToList();
            var data = ml.Data.LoadFromEnumerable(encoded, definition);
            var ffm = ml.BinaryClassification.Trainers.FieldAwareFactorizationMachine(new FieldAwareFactorizationMachineTrainer.Options
            {
                FeatureColumnName = "F0", ExtraFeatureColumns = Enumerable.Range(1, PairFields.Count - 1).Select(f => $"F{f}").ToArray(),
                LabelColumnName = nameof(FfmRow.Label),
                LatentDimension = options.FfmLatentDimension, NumberOfIterations = options.FfmIterations, LearningRate = options.FfmLearningRate,
                LambdaLatent = options.FfmLambdaLatent, NormalizeFeatures = false, Shuffle = true, Verbose = false,
            });
            model = ffm.Fit(data);
            schema = data.Schema;
        }
        else
        {
            var definition = SchemaDefinition.Create(typeof(RankRow));
            definition[nameof(RankRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, shell.Width);
            definition[nameof(RankRow.GroupId)].ColumnType = new KeyDataViewType(typeof(uint), (ulong)rows.Max(r => r.Group) + 2);
            var data = ml.Data.LoadFromEnumerable(rows.Select(r => new RankRow { Label = r.Grade, GroupId = (uint)r.Group + 1, Features = shell.Dense(r.Example) }).ToList(), definition);
            var lightGbm = ml.Ranking.Trainers.LightGbm(new LightGbmRankingTrainer.Options
            {
                LabelColumnName = nameof(RankRow.Label), RowGroupColumnName = nameof(RankRow.GroupId), FeatureColumnName = nameof(RankRow.Features),
                NumberOfIterations = options.TreeIterations, NumberOfLeaves = options.TreeLeaves, LearningRate = options.TreeLearningRate,
                MinimumExampleCountPerLeaf = options.TreeMinimumLeafSize, MinimumExampleCountPerGroup = 1, Seed = unchecked((int)options.Seed),
                Deterministic = true, NumberOfThreads = 1, Silent = true, Verbose = false,
                CustomGains = [0, 1, 3, 7, 15, 31],
            });
            model = lightGbm.Fit(data);
            schema = data.Schema;
        }
        var info = new PairModelInfo(AlgorithmName(trainer), dataFingerprint, rows.Count, rows.Select(r => r.Group).Distinct().Count(),
            rows.Count(r => r.Grade > 0), clock.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new LearnedPairModel(trainer, options.Seed, vocabulary, ml, model, schema, info);
    }

    static DataViewSchema EmptySchema(MLContext ml) => ml.Data.LoadFromEnumerable(Array.Empty<TreeRow>()).Schema;

    /// <summary>Writes the model: a versioned header (trainer, seed, vocabularies, training facts) and ML.NET's own zip.</summary>
    public void Save(Stream stream)
    {
        using var zip = new MemoryStream();
        _ml.Model.Save(_model, _schema, zip);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write((int)Trainer);
        w.Write(Seed);
        w.Write(Info.Algorithm);
        w.Write(Info.DataFingerprint);
        w.Write(Info.Rows);
        w.Write(Info.Groups);
        w.Write(Info.Positives);
        w.Write(Info.TrainedAt.UtcTicks);
        w.Write(Info.TrainSeconds);
        foreach (var words in _vocabulary)
        {
            w.Write(words.Length);
            foreach (var word in words) w.Write(word);
        }
        w.Write((int)zip.Length);
        w.Write(zip.GetBuffer(), 0, (int)zip.Length);
    }

    /// <summary>Reads what <see cref="Save"/> wrote; other files and other format versions are refused by name.</summary>
    public static LearnedPairModel Load(Stream stream)
    {
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not a Matchmaker learned pair model.");
        var version = r.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"Learned pair model format version {version} is not supported (expected {FormatVersion}).");
        var trainer = (PairModelTrainer)r.ReadInt32();
        var seed = r.ReadUInt64();
        var info = new PairModelInfo(r.ReadString(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(),
            new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), r.ReadDouble());
        var vocabulary = new string[PairFields.Count - PairFields.Numeric][];
        for (var v = 0; v < vocabulary.Length; v++)
        {
            var words = new string[r.ReadInt32()];
            for (var i = 0; i < words.Length; i++) words[i] = r.ReadString();
            vocabulary[v] = words;
        }
        var zip = r.ReadBytes(r.ReadInt32());
        var ml = new MLContext(seed: unchecked((int)seed));
        var model = ml.Model.Load(new MemoryStream(zip), out var schema);
        return new LearnedPairModel(trainer, seed, vocabulary, ml, model, schema, info);
    }

    /// <summary>ML.NET's own prediction (raw score) for an example: tests check the FFM terms against it.</summary>
    internal float PredictRaw(PairExample example)
    {
        if (Trainer != PairModelTrainer.Ffm)
        {
            var schema = SchemaDefinition.Create(typeof(TreeRow));
            schema[nameof(TreeRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
            var ranked = _model.Transform(_ml.Data.LoadFromEnumerable([new TreeRow { Features = Dense(example) }], schema));
            return _ml.Data.CreateEnumerable<ScoreOnly>(ranked, reuseRowObject: false).Single().Score;
        }
        var definition = SchemaDefinition.Create(typeof(FfmRow));
        for (var f = 0; f < PairFields.Count; f++) definition[$"F{f}"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FieldWidth(f));
        var dense = Dense(example);
        var row = new FfmRow();
        for (var f = 0; f < PairFields.Count; f++) row.Set(f, dense[_fieldStart[f].._fieldStart[f + 1]]);
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable([row], definition));
        return _ml.Data.CreateEnumerable<ScoreOnly>(scored, reuseRowObject: false).Single().Score;
    }

    sealed class ScoreOnly
    {
        public float Score { get; set; }
    }
}

/// <summary>What a learned pair model was trained on and when.</summary>
public sealed record PairModelInfo(string Algorithm, string DataFingerprint, int Rows, int Groups, int Positives, DateTimeOffset TrainedAt, double TrainSeconds)
{
    public static PairModelInfo Empty { get; } = new("", "", 0, 0, 0, DateTimeOffset.UnixEpoch, 0);
}
