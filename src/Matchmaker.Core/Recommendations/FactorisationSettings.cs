using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Matchmaker.Core.Recommendations;

/// <summary>
/// What the two factorisation trainers' settings have in common: the limits of the hyper-parameters both have (rank,
/// iterations, λ, threads), and how settings are written as the JSON stored with a model.
/// </summary>
internal static class FactorisationSettings
{
    /// <summary>Rank at least 1, iterations not negative, λ finite and not negative, at least one thread.</summary>
    public static void ValidateShared(int factors, int iterations, float lambda, int threads)
    {
        if (factors < 1) throw new ArgumentOutOfRangeException("Factors", factors, "must be at least 1");
        if (iterations < 0) throw new ArgumentOutOfRangeException("Iterations", iterations, "must not be negative");
        NonNegative(lambda, "Lambda");
        if (threads < 1) throw new ArgumentOutOfRangeException("Threads", threads, "must be at least 1");
    }

    /// <summary>A weight that must be finite and not negative.</summary>
    public static void NonNegative(float value, string name)
    {
        if (!(value >= 0) || !float.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "must be non-negative");
    }

    /// <summary>
    /// One JSON object written by <paramref name="fields"/> (hand-written: reflection-based serialisation costs ~50 ms on
    /// first use, more than a small training run).
    /// </summary>
    public static string Json(Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
