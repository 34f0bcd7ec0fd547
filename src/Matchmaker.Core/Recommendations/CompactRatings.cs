using System.Runtime.CompilerServices;

namespace Matchmaker.Core.Recommendations;

/// <summary>
/// The training cells re-indexed so that only ids with at least one cell get a factor row: a model then knows exactly
/// the ids it has evidence for, and everything else is cold start (null).
/// </summary>
internal sealed class CompactRatings
{
    private CompactRatings(IdIndex users, IdIndex items, int[] user, int[] item, float[] value)
    {
        Users = users;
        Items = items;
        User = user;
        Item = item;
        Value = value;
    }

    public IdIndex Users { get; }
    public IdIndex Items { get; }
    public int[] User { get; }
    public int[] Item { get; }
    public float[] Value { get; }
    public int Count => User.Length;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CompactRatings From(RatingSet data)
    {
        var n = data.Count;
        var u = new int[n];
        var i = new int[n];
        var v = new float[n];
        for (var k = 0; k < n; k++)
        {
            var r = data.Ratings[k];
            u[k] = r.User;
            i[k] = r.Item;
            v[k] = r.Value;
        }
        var users = Remap(data.Users, u);
        var items = Remap(data.Items, i);
        return new CompactRatings(users, items, u, i, v);
    }

    /// <summary>Renumbers <paramref name="indices"/> in place to the ids that occur; returns the compact id map.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static IdIndex Remap(IdIndex ids, int[] indices)
    {
        var map = new int[ids.Count];
        foreach (var x in indices) map[x] = 1;
        var compact = new IdIndex();
        for (var k = 0; k < ids.Count; k++) map[k] = map[k] != 0 ? compact.GetOrAdd(ids[k]) : -1;
        if (compact.Count == ids.Count) return compact; // every id occurs: indices are unchanged
        for (var k = 0; k < indices.Length; k++) indices[k] = map[indices[k]];
        return compact;
    }

    /// <summary>CSR grouped by user (byUser) or by item: offsets, the other side's index, the value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (int[] Offsets, int[] Other, float[] Values) Csr(bool byUser)
    {
        var rows = byUser ? Users.Count : Items.Count;
        var key = byUser ? User : Item;
        var other = byUser ? Item : User;
        var offsets = new int[rows + 1];
        foreach (var k in key) offsets[k + 1]++;
        for (var r = 0; r < rows; r++) offsets[r + 1] += offsets[r];
        var next = offsets[..^1];
        var outOther = new int[Count];
        var outValues = new float[Count];
        for (var c = 0; c < Count; c++)
        {
            var slot = next[key[c]]++;
            outOther[slot] = other[c];
            outValues[slot] = Value[c];
        }
        return (offsets, outOther, outValues);
    }
}
