using Matchmaker.Core.Reference;

namespace Matchmaker.Core.Matching;

/// <summary>A KSIC code reduced to what closeness needs: its digits padded to five, how many digits it has, its section.</summary>
public readonly record struct IndustryCode(int Padded, byte Digits, char Section, string Code)
{
    static readonly int[] Scale = [100_000, 10_000, 1_000, 100, 10, 1];

    /// <summary>Reads "25921", "2592", "C25921" or a section letter "C"; null when it is none of these.</summary>
    public static IndustryCode? Parse(string code, KsicCatalog catalog)
    {
        var text = code.Trim();
        if (text.Length == 0) return null;
        var section = char.IsAsciiLetter(text[0]) ? char.ToUpperInvariant(text[0]) : '\0';
        var digits = char.IsAsciiLetter(text[0]) ? text[1..] : text;
        if (digits.Length > 5 || !digits.All(char.IsAsciiDigit)) return null;
        if (digits.Length == 1) return null;
        if (section == '\0' && digits.Length >= 2)
        {
            var division = catalog.Find(digits[..2]);
            section = division is null ? '\0' : division.Section.Length > 0 ? division.Section[0] : '\0';
        }
        if (section == '\0') return null;
        var padded = digits.Length == 0 ? 0 : int.Parse(digits) * Scale[digits.Length];
        return new IndustryCode(padded, (byte)digits.Length, section, digits.Length == 0 ? section.ToString() : digits);
    }

    /// <summary>The KSIC level at which two codes first agree: 5 same subclass, 4 class, 3 group, 2 division,
    /// 1 section, 0 none. A code given at a coarser level agrees at most at that level.</summary>
    public static int Level(IndustryCode a, IndustryCode b)
    {
        if (a.Section != b.Section) return 0;
        var most = Math.Min(a.Digits, b.Digits);
        for (var level = most; level >= 2; level--)
            if (a.Padded / Scale[level] == b.Padded / Scale[level]) return level;
        return 1;
    }

    /// <summary>Best level over all pairs of codes, with the pair that reached it.</summary>
    public static (int Level, int A, int B) Best(ReadOnlySpan<IndustryCode> a, ReadOnlySpan<IndustryCode> b)
    {
        var best = (Level: 0, A: -1, B: -1);
        for (var i = 0; i < a.Length; i++)
            for (var j = 0; j < b.Length; j++)
            {
                var level = Level(a[i], b[j]);
                if (level > best.Level) best = (level, i, j);
            }
        return best;
    }
}
