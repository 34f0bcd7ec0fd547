namespace Matchmaker.Core.Recommendations;

/// <summary>
/// SplitMix64: a tiny portable generator, so a seed gives the same factors, block orders and splits on every runtime
/// version and in the Python tools (the shared mf/split.py uses the same one). Not for cryptography.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 bits, exactly representable as a float.</summary>
    public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

    /// <summary>Fisher–Yates from the end, j = next % (i + 1): the exact shuffle of split.py.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = (int)(Next() % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public static int[] Permutation(int n, ulong seed)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        new SplitMix64(seed).Shuffle(p.AsSpan());
        return p;
    }

    /// <summary>Derives an independent stream seed (e.g. per epoch) from a base seed.</summary>
    public static ulong Derive(ulong seed, ulong stream) => new SplitMix64(seed ^ (stream * 0xD1B54A32D192ED03UL)).Next();
}
