namespace Matchmaker.Core.Profiles;

/// <summary>A Korean business registration number (사업자등록번호): ten digits whose last one is a check digit.</summary>
/// <remarks>
/// Accepts "1234567890" and "123-45-67890" (hyphens and spaces are dropped). The check digit follows the National Tax
/// Service rule: weights 1,3,7,1,3,7,1,3,5 over the first nine digits, plus (9th digit × 5) / 10, and the check digit
/// is (10 − sum mod 10) mod 10. <see cref="ToString"/> gives the canonical hyphenated form 123-45-67890.
/// </remarks>
public readonly record struct BusinessNumber
{
    static readonly int[] Weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];

    /// <summary>The ten digits, without hyphens.</summary>
    public string Digits { get; }

    BusinessNumber(string digits) => Digits = digits;

    public static bool TryParse(string? text, out BusinessNumber number, out string? error)
    {
        number = default;
        var digits = new string((text ?? "").Where(c => c != '-' && c != ' ').ToArray());
        if (digits.Length == 0) { error = "business number is empty"; return false; }
        if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
        {
            error = $"business number '{text}' must have exactly 10 digits";
            return false;
        }
        if (CheckDigit(digits) != digits[9] - '0')
        {
            error = $"business number '{text}' fails its check digit";
            return false;
        }
        number = new BusinessNumber(digits);
        error = null;
        return true;
    }

    public static BusinessNumber Parse(string text) =>
        TryParse(text, out var number, out var error) ? number : throw new FormatException(error);

    /// <summary>The check digit for the first nine digits of <paramref name="digits"/>.</summary>
    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += (digits[i] - '0') * Weights[i];
        sum += (digits[8] - '0') * 5 / 10;
        return (10 - sum % 10) % 10;
    }

    public override string ToString() => Digits is null ? "" : $"{Digits[..3]}-{Digits[3..5]}-{Digits[5..]}";
}
