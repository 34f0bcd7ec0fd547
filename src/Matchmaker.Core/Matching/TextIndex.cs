namespace Matchmaker.Core.Matching;

/// <summary>A document or query as sorted term ids with L2-normalised weights (terms the index never saw are dropped
/// after they counted in the norm).</summary>
public sealed record TermVector(int[] Terms, float[] Weights)
{
    public static readonly TermVector Empty = new([], []);
}

/// <summary>
/// An inverted index over the demand documents with BM25 term weights (Robertson's idf and tf saturation with length
/// normalisation), each document L2-normalised so that a query's accumulated dot products are cosine similarities in
/// [0, 1]. A query only touches the postings of its own terms: for 5,000 demands a firm's profile of a few hundred
/// n-grams reads a few thousand postings instead of comparing against every demand.
/// </summary>
public sealed class TextIndex
{
    /// <summary>BM25 tf saturation (default 1.2).</summary>
    public const float K1 = 1.2f;
    /// <summary>BM25 length normalisation (default 0.75).</summary>
    public const float B = 0.75f;

    /// <summary>
    /// Terms found in more than this share of the documents are stop terms (once there are at least
    /// <see cref="StopTermMinDocuments"/> documents): Korean endings and template phrases (합니다, 있습니, 제조) that every
    /// demand carries. Their idf is near 0 anyway, but their postings are the longest, so dropping them from documents
    /// and queries alike makes a query several times cheaper for a cosine change of a few thousandths.
    /// </summary>
    public const double StopTermShare = 0.25;
    public const int StopTermMinDocuments = 50;

    readonly Dictionary<long, int> _termIds;
    readonly HashSet<long> _stopTerms;
    readonly string[] _terms;
    readonly float[] _idf;
    readonly float _unknownIdf;
    readonly int[] _postingStart;
    readonly int[] _postingDoc;
    readonly float[] _postingWeight;

    TextIndex(Dictionary<long, int> termIds, HashSet<long> stopTerms, string[] terms, float[] idf, float unknownIdf, TermVector[] docs,
        int[] postingStart, int[] postingDoc, float[] postingWeight)
    {
        _termIds = termIds; _stopTerms = stopTerms; _terms = terms; _idf = idf; _unknownIdf = unknownIdf; Documents = docs;
        _postingStart = postingStart; _postingDoc = postingDoc; _postingWeight = postingWeight;
    }

    public int DocumentCount => Documents.Length;
    public int TermCount => _terms.Length;
    public int PostingCount => _postingDoc.Length;
    public int StopTermCount => _stopTerms.Count;

    /// <summary>The documents' own vectors (for explanations and for the all-pairs reference).</summary>
    public TermVector[] Documents { get; }

    public string TermText(int term) => _terms[term];

    public static TextIndex Build(IReadOnlyList<TermBag> documents)
    {
        var termIds = new Dictionary<long, int>();
        var terms = new List<string>();
        var df = new List<int>();
        foreach (var doc in documents)
            foreach (var key in doc.Counts.Keys)
            {
                if (!termIds.TryGetValue(key, out var id))
                {
                    termIds[key] = id = terms.Count;
                    terms.Add(doc.Text?.GetValueOrDefault(key) ?? "");
                    df.Add(0);
                }
                df[id]++;
            }
        var n = documents.Count;
        var stopTerms = new HashSet<long>();
        if (n >= StopTermMinDocuments)
            foreach (var (key, id) in termIds)
                if (df[id] > StopTermShare * n) stopTerms.Add(key);
        var idf = new float[terms.Count];
        for (var t = 0; t < idf.Length; t++) idf[t] = Idf(n, df[t]);
        var avgLength = n == 0 ? 1f : Math.Max(1e-3f, documents.Average(d => d.Length));
        var docs = new TermVector[n];
        var postingCount = new int[terms.Count + 1];
        for (var d = 0; d < n; d++)
        {
            var doc = documents[d];
            var kept = doc.Counts.Count(c => !stopTerms.Contains(c.Key));
            var ids = new int[kept];
            var weights = new float[kept];
            var i = 0;
            var norm = 0.0;
            foreach (var (key, tf) in doc.Counts)
            {
                if (stopTerms.Contains(key)) continue;
                var id = termIds[key];
                var w = idf[id] * tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc.Length / avgLength));
                ids[i] = id; weights[i] = w; norm += (double)w * w; i++;
                postingCount[id + 1]++;
            }
            Normalise(weights, norm);
            Array.Sort(ids, weights);
            docs[d] = new TermVector(ids, weights);
        }
        for (var t = 0; t < terms.Count; t++) postingCount[t + 1] += postingCount[t];
        var postingDoc = new int[postingCount[^1]];
        var postingWeight = new float[postingDoc.Length];
        var fill = (int[])postingCount.Clone();
        for (var d = 0; d < n; d++)
            for (var j = 0; j < docs[d].Terms.Length; j++)
            {
                var at = fill[docs[d].Terms[j]]++;
                postingDoc[at] = d;
                postingWeight[at] = docs[d].Weights[j];
            }
        return new TextIndex(termIds, stopTerms, terms.ToArray(), idf, Idf(n, 0), docs, postingCount, postingDoc, postingWeight);
    }

    static float Idf(int n, int df) => (float)Math.Log(1 + (n - df + 0.5) / (df + 0.5));

    static void Normalise(float[] weights, double norm)
    {
        if (norm <= 0) return;
        var inv = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < weights.Length; i++) weights[i] *= inv;
    }

    /// <summary>The query's vector: tf saturated (no length normalisation: the cosine does that), idf of the index.</summary>
    public TermVector Vectorize(TermBag query)
    {
        var ids = new List<int>(query.Counts.Count);
        var weights = new List<float>(query.Counts.Count);
        var norm = 0.0;
        foreach (var (key, tf) in query.Counts)
        {
            if (_stopTerms.Count > 0 && _stopTerms.Contains(key)) continue;
            var known = _termIds.TryGetValue(key, out var id);
            var w = (known ? _idf[id] : _unknownIdf) * tf * (K1 + 1) / (tf + K1);
            norm += (double)w * w;
            if (known) { ids.Add(id); weights.Add(w); }
        }
        var idArray = ids.ToArray();
        var weightArray = weights.ToArray();
        Normalise(weightArray, norm);
        Array.Sort(idArray, weightArray);
        return new TermVector(idArray, weightArray);
    }

    /// <summary>Adds the query's cosine with every document into <paramref name="scores"/> (one slot per document).</summary>
    public void Accumulate(TermVector query, Span<float> scores)
    {
        var terms = query.Terms;
        var weights = query.Weights;
        for (var q = 0; q < terms.Length; q++)
        {
            var w = weights[q];
            int from = _postingStart[terms[q]], to = _postingStart[terms[q] + 1];
            var docs = _postingDoc.AsSpan(from, to - from);
            var postingWeights = _postingWeight.AsSpan(from, to - from);
            for (var p = 0; p < docs.Length; p++) scores[docs[p]] += w * postingWeights[p];
        }
    }

    /// <summary>Cosine of two vectors by merging their sorted terms (the reference the index must agree with).</summary>
    public static float Cosine(TermVector a, TermVector b)
    {
        int i = 0, j = 0;
        var sum = 0f;
        while (i < a.Terms.Length && j < b.Terms.Length)
        {
            if (a.Terms[i] == b.Terms[j]) sum += a.Weights[i++] * b.Weights[j++];
            else if (a.Terms[i] < b.Terms[j]) i++;
            else j++;
        }
        return sum;
    }

    /// <summary>The terms that contribute most to the similarity of a query and a document, best first; a 2-gram
    /// inside a 3-gram already listed is left out.</summary>
    public IReadOnlyList<string> TopTerms(TermVector query, int document, int count)
    {
        var doc = Documents[document];
        // Keep the best few shared terms by insertion (no sort of all shared terms): explanations run once per pair.
        var keep = Math.Max(1, count * 3);
        Span<float> bestProduct = stackalloc float[keep];
        Span<int> bestTerm = stackalloc int[keep];
        var found = 0;
        int i = 0, j = 0;
        while (i < query.Terms.Length && j < doc.Terms.Length)
        {
            if (query.Terms[i] == doc.Terms[j])
            {
                var product = query.Weights[i] * doc.Weights[j];
                var term = query.Terms[i];
                i++; j++;
                if (found == keep && !(product > bestProduct[keep - 1])) continue;
                var pos = found < keep ? found++ : keep - 1;
                while (pos > 0 && product > bestProduct[pos - 1])
                {
                    bestProduct[pos] = bestProduct[pos - 1];
                    bestTerm[pos] = bestTerm[pos - 1];
                    pos--;
                }
                bestProduct[pos] = product;
                bestTerm[pos] = term;
            }
            else if (query.Terms[i] < doc.Terms[j]) i++;
            else j++;
        }
        var result = new List<string>(count);
        for (var r = 0; r < found && result.Count < count; r++)
        {
            var text = _terms[bestTerm[r]];
            if (text.Length == 0 || result.Exists(t => t.Contains(text, StringComparison.Ordinal))) continue;
            result.RemoveAll(t => text.Contains(t, StringComparison.Ordinal));
            result.Add(text);
        }
        return result;
    }

}
