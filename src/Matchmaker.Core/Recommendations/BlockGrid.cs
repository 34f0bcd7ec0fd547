using System.Runtime.CompilerServices;

namespace Matchmaker.Core.Recommendations;

/// <summary>
/// The cells cut into a b×b grid (rows by a seeded permutation of users, columns of items), stored block after
/// block and, inside a block, grouped by user for cache locality (as LIBMF). Two blocks that share neither a row
/// band nor a column band touch disjoint factor rows, so they can run at the same time.
/// </summary>
internal sealed class BlockGrid
{
    private readonly int[] _offsets;

    private BlockGrid(int bins, int[] offsets, int[] user, int[] item, float[] value)
    {
        Bins = bins;
        _offsets = offsets;
        User = user;
        Item = item;
        Value = value;
    }

    public int Bins { get; }
    public int[] User { get; }
    public int[] Item { get; }
    public float[] Value { get; }

    public (int Start, int End) Range(int block) => (_offsets[block], _offsets[block + 1]);
    public int RowBand(int block) => block / Bins;
    public int ColumnBand(int block) => block % Bins;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static BlockGrid Build(CompactRatings cells, int bins, ulong seed, float offset, float scale)
    {
        int m = cells.Users.Count, n = cells.Items.Count;
        var userBand = Bands(m, bins, SplitMix64.Derive(seed, 0xB10C));
        var itemBand = Bands(n, bins, SplitMix64.Derive(seed, 0xB10D));
        // Two stable counting passes give the order (block, user, input order): first group the cells by user, then
        // by block. Inside a block one user's cells are consecutive, so p_u stays in cache (LIBMF sorts the same
        // way); O(nnz) with no comparison sort.
        var byUser = new int[cells.Count];
        var userStart = new int[m + 1];
        foreach (var u in cells.User) userStart[u + 1]++;
        for (var u = 0; u < m; u++) userStart[u + 1] += userStart[u];
        for (var c = 0; c < cells.Count; c++) byUser[userStart[cells.User[c]]++] = c;

        var offsets = new int[bins * bins + 1];
        var blockOf = new int[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            var b = userBand[cells.User[c]] * bins + itemBand[cells.Item[c]];
            blockOf[c] = b;
            offsets[b + 1]++;
        }
        for (var b = 0; b < bins * bins; b++) offsets[b + 1] += offsets[b];
        var next = offsets[..^1];
        var user = new int[cells.Count];
        var item = new int[cells.Count];
        var value = new float[cells.Count];
        foreach (var c in byUser)
        {
            var slot = next[blockOf[c]]++;
            user[slot] = cells.User[c];
            item[slot] = cells.Item[c];
            value[slot] = (cells.Value[c] - offset) / scale;
        }
        return new BlockGrid(bins, offsets, user, item, value);
    }

    /// <summary>Band of each row: a seeded permutation cut into equal parts, so bands get similar work.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Bands(int count, int bins, ulong seed)
    {
        var perm = SplitMix64.Permutation(count, seed);
        var band = new int[count];
        for (var r = 0; r < count; r++) band[perm[r]] = (int)((long)r * bins / count);
        return band;
    }

    /// <summary>
    /// The serial order of one epoch: b rounds of a Latin square over seeded row and column band permutations, so
    /// each round's b blocks are mutually independent and consecutive rounds overlap well on threads.
    /// </summary>
    public int[] EpochOrder(ulong seed)
    {
        var rows = SplitMix64.Permutation(Bins, seed);
        var cols = SplitMix64.Permutation(Bins, SplitMix64.Derive(seed, 1));
        var order = new int[Bins * Bins];
        var x = 0;
        for (var round = 0; round < Bins; round++)
            for (var r = 0; r < Bins; r++)
                order[x++] = rows[r] * Bins + cols[(r + round) % Bins];
        return order;
    }
}
