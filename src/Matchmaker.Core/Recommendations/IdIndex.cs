using System.Runtime.InteropServices;

namespace Matchmaker.Core.Recommendations;

/// <summary>A dense, append-only map between string ids (SME or buyer ids) and 0-based row indices.</summary>
/// <remarks>Indices are handed out in order of first appearance, so the same input order gives the same indices.</remarks>
public sealed class IdIndex
{
    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);
    private readonly List<string> _ids = [];

    public IdIndex() { }

    public IdIndex(IEnumerable<string> ids)
    {
        foreach (var id in ids)
            if (GetOrAdd(id) != _ids.Count - 1)
                throw new ArgumentException($"Duplicate id '{id}'.", nameof(ids));
    }

    public int Count => _ids.Count;

    public IReadOnlyList<string> Ids => _ids;

    public string this[int index] => _ids[index];

    public int GetOrAdd(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_indexById, id, out var exists);
        if (!exists)
        {
            slot = _ids.Count;
            _ids.Add(id);
        }
        return slot;
    }

    public bool TryGetIndex(string id, out int index) => _indexById.TryGetValue(id, out index);

    /// <summary>Index or -1 when unknown.</summary>
    public int IndexOf(string id) => _indexById.TryGetValue(id, out var index) ? index : -1;
}

/// <summary>
/// The one id order used for every tie-break: plain non-negative integers first, by value ("2" before "10", matching
/// the numeric ids of LIBMF files and eval_rank.py), then every other id ordinally. A total order, so sorts are stable.
/// </summary>
public sealed class IdOrder : IComparer<string>
{
    public static readonly IdOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        bool xNumber = IsPlainNumber(x), yNumber = IsPlainNumber(y);
        if (xNumber != yNumber) return xNumber ? -1 : 1;
        if (xNumber)
        {
            var byLength = x.Length.CompareTo(y.Length);
            if (byLength != 0) return byLength;
        }
        return string.CompareOrdinal(x, y);
    }

    private static bool IsPlainNumber(string s)
    {
        if (s.Length == 0 || (s.Length > 1 && s[0] == '0')) return false;
        foreach (var c in s)
            if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>rank[i] = position of index i when all ids are sorted by this order; used as a cheap integer tie-break.</summary>
    public static int[] Ranks(IdIndex index)
    {
        var order = new int[index.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        Array.Sort(order, (a, b) => Instance.Compare(index[a], index[b]));
        var rank = new int[order.Length];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;
        return rank;
    }
}
