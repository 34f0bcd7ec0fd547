using System.Runtime.InteropServices;

namespace Matchmaker.Core.Matching;

/// <summary>Term counts of one document: term key → weighted count, the text of each key when asked, and the length.</summary>
public sealed class TermBag
{
    public Dictionary<long, float> Counts { get; } = new();

    /// <summary>Text of each term (kept for the documents whose terms an explanation may name).</summary>
    public Dictionary<long, string>? Text { get; init; }

    /// <summary>Sum of the weighted counts.</summary>
    public float Length { get; private set; }

    /// <summary>Adds every term of <paramref name="other"/>, its counts scaled by <paramref name="weight"/>.</summary>
    public void AddAll(TermBag other, float weight)
    {
        if (weight <= 0) return;
        foreach (var (key, count) in other.Counts)
        {
            ref var mine = ref CollectionsMarshal.GetValueRefOrAddDefault(Counts, key, out _);
            mine += count * weight;
            if (Text is not null && other.Text is not null && !Text.ContainsKey(key)) Text[key] = other.Text[key];
        }
        Length += other.Length * weight;
    }

    public void Add(long key, float weight, ReadOnlySpan<char> text)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(Counts, key, out _);
        count += weight;
        Length += weight;
        if (Text is not null && !Text.ContainsKey(key)) Text[key] = text.ToString();
    }
}

/// <summary>
/// Cuts Korean and mixed text into terms. Korean writes morphemes together (사출금형제작), so no word tokenizer can be
/// trusted: each run of Hangul syllables gives its character 2-grams and 3-grams (a lone syllable gives itself);
/// runs of Latin letters and digits give lower-cased words of two or more characters (ISO, 9001, CNC).
/// </summary>
public static class KoreanText
{
    const long LatinTag = 1L << 62;

    public static void Tokenize(ReadOnlySpan<char> text, float weight, TermBag bag)
    {
        if (weight <= 0) return;
        var i = 0;
        Span<char> lower = stackalloc char[64];
        while (i < text.Length)
        {
            var c = text[i];
            if (IsHangul(c))
            {
                var start = i;
                while (i < text.Length && IsHangul(text[i])) i++;
                var run = text[start..i];
                if (run.Length == 1) bag.Add(HangulKey(run, 1), weight, run);
                for (var j = 0; j + 2 <= run.Length; j++) bag.Add(HangulKey(run.Slice(j, 2), 2), weight, run.Slice(j, 2));
                for (var j = 0; j + 3 <= run.Length; j++) bag.Add(HangulKey(run.Slice(j, 3), 3), weight, run.Slice(j, 3));
            }
            else if (char.IsAsciiLetterOrDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiLetterOrDigit(text[i])) i++;
                var word = text[start..i];
                if (word.Length < 2 || word.Length > lower.Length) continue;
                var w = lower[..word.Length];
                word.ToLowerInvariant(w);
                bag.Add(LatinKey(w), weight, w);
            }
            else i++;
        }
    }

    public static bool IsHangul(char c) => c is >= '\uAC00' and <= '\uD7A3';

    static long HangulKey(ReadOnlySpan<char> gram, int n)
    {
        long key = n;
        foreach (var ch in gram) key = (key << 16) | ch;
        return key;
    }

    static long LatinKey(ReadOnlySpan<char> word)
    {
        // FNV-1a, tagged so it never equals a Hangul key (those stay below 2^50).
        var hash = 14695981039346656037UL;
        foreach (var ch in word) { hash ^= ch; hash *= 1099511628211UL; }
        return (long)(hash >> 2) | LatinTag;
    }
}
