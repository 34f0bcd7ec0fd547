using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Matchmaker.Core.Recommendations;

/// <summary>One observed (user, item, value) cell, by dense index.</summary>
public readonly record struct Rating(int User, int Item, float Value);

/// <summary>
/// Training or test data: observed cells over a user <see cref="IdIndex"/> and an item <see cref="IdIndex"/>.
/// "User" is the row side (SME) and "item" the column side (buyer); the algorithms do not care which is which.
/// </summary>
public sealed class RatingSet
{
    public RatingSet(IdIndex users, IdIndex items, Rating[] ratings)
    {
        Users = users;
        Items = items;
        Ratings = ratings;
        foreach (var r in ratings)
        {
            if ((uint)r.User >= (uint)users.Count || (uint)r.Item >= (uint)items.Count)
                throw new ArgumentException($"Rating ({r.User}, {r.Item}) is outside the id maps.", nameof(ratings));
            if (!float.IsFinite(r.Value))
                throw new ArgumentException($"Rating ({r.User}, {r.Item}) has a non-finite value.", nameof(ratings));
        }
    }

    public IdIndex Users { get; }
    public IdIndex Items { get; }
    public Rating[] Ratings { get; }
    public int Count => Ratings.Length;

    /// <summary>Builds a set from (userId, itemId, value) triples, giving new ids new indices.</summary>
    public static RatingSet FromTriples(IEnumerable<(string User, string Item, float Value)> triples,
        IdIndex? users = null, IdIndex? items = null)
    {
        users ??= new IdIndex();
        items ??= new IdIndex();
        var list = new List<Rating>();
        foreach (var (u, i, v) in triples)
            list.Add(new Rating(users.GetOrAdd(u), items.GetOrAdd(i), v));
        return new RatingSet(users, items, [.. list]);
    }

    /// <summary>Mean of the values (0 for an empty set).</summary>
    public double Mean()
    {
        if (Ratings.Length == 0) return 0;
        double sum = 0;
        foreach (var r in Ratings) sum += r.Value;
        return sum / Ratings.Length;
    }

    /// <summary>
    /// SHA-256 over the id maps and the cells (indices and values, in order): stored in a model so a scorer can tell
    /// which data it was trained on, and whether a retrain would see the same data. Cheap: one pass over raw bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendIds(hash, Users);
        AppendIds(hash, Items);
        hash.AppendData(MemoryMarshal.AsBytes(Ratings.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static void AppendIds(IncrementalHash hash, IdIndex ids)
    {
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, ids.Count);
        hash.AppendData(count);
        foreach (var id in ids.Ids)
        {
            hash.AppendData(MemoryMarshal.AsBytes(id.AsSpan()));
            hash.AppendData([0, 0]); // separator that no UTF-16 id contains
        }
    }

    /// <summary>For each user, the sorted distinct items it has a cell with (CSR layout).</summary>
    internal (int[] Offsets, int[] Items) ItemsByUser()
    {
        var (offsets, items, _) = Csr(byUser: true);
        for (var u = 0; u < Users.Count; u++) Array.Sort(items, offsets[u], offsets[u + 1] - offsets[u]);
        return (offsets, items);
    }

    /// <summary>CSR of the cells grouped by user (byUser) or by item; the order inside a group is the input order.</summary>
    internal (int[] Offsets, int[] Other, float[] Values) Csr(bool byUser)
    {
        var rows = byUser ? Users.Count : Items.Count;
        var offsets = new int[rows + 1];
        foreach (var r in Ratings) offsets[(byUser ? r.User : r.Item) + 1]++;
        for (var i = 0; i < rows; i++) offsets[i + 1] += offsets[i];
        var next = offsets[..^1].ToArray();
        var other = new int[Ratings.Length];
        var values = new float[Ratings.Length];
        foreach (var r in Ratings)
        {
            var slot = next[byUser ? r.User : r.Item]++;
            other[slot] = byUser ? r.Item : r.User;
            values[slot] = r.Value;
        }
        return (offsets, other, values);
    }
}
