namespace Matchmaker.Tools.Samples;

/// <summary>Small sampling helpers over an explicit, seeded <see cref="Random"/>.</summary>
public static class SampleRandom
{
    public static double Gaussian(this Random rng, double mean = 0, double sd = 1)
    {
        // Box–Muller; 1 - NextDouble() keeps the logarithm finite.
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return mean + sd * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    public static int PickWeighted(this Random rng, IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Count - 1;
    }

    /// <summary>Draws <paramref name="count"/> distinct indices with probability proportional to weight (successive draws).</summary>
    public static List<int> SampleWithoutReplacement(this Random rng, IReadOnlyList<double> weights, int count)
    {
        var w = weights.ToArray();
        var chosen = new List<int>();
        for (var k = 0; k < count && k < w.Length; k++)
        {
            var total = w.Sum();
            if (total <= 0) break;
            var x = rng.NextDouble() * total;
            var i = 0;
            for (; i < w.Length - 1; i++)
            {
                x -= w[i];
                if (x < 0 && w[i] > 0) break;
            }
            while (w[i] <= 0) i--; // the last bucket may be empty after rounding; step back to a live one
            chosen.Add(i);
            w[i] = 0;
        }
        return chosen;
    }

    public static void Shuffle<T>(this Random rng, IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A 31-bit FNV-1a hash that is the same in every process (string.GetHashCode is randomised per process).</summary>
    public static int StableHash(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>A noise value fixed per key across runs and processes.</summary>
    public static double StableGaussian(string key, double sd) => new Random(StableHash(key)).Gaussian(0, sd);

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
