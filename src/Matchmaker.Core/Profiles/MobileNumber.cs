namespace Matchmaker.Core.Profiles;

/// <summary>
/// A mobile number (휴대전화), kept in one normal form, E.164 (+821012345678): the form SMS and messaging gateways take,
/// and one spelling per number however the organiser's sheet wrote it.
/// </summary>
/// <remarks>
/// Korean mobiles are accepted as 010-1234-5678, 010 1234 5678, 010.1234.5678, 01012345678, +82 10-1234-5678,
/// +82 (0)10 1234 5678 and 1012345678 (a spreadsheet that took the cell for a number dropped the leading 0); the old
/// 011/016/017/018/019 numbers with a 3- or 4-digit middle part too. A foreign buyer's mobile is accepted when written
/// with its country code (+1 415 555 0100). Landlines (02-…, 051-…) are not mobile numbers.
/// </remarks>
public readonly record struct MobileNumber
{
    /// <summary>The number in E.164: '+', country code, subscriber number.</summary>
    public string E164 { get; }

    MobileNumber(string e164) => E164 = e164;

    public static bool TryParse(string? text, out MobileNumber number, out string? error)
    {
        number = default;
        var written = (text ?? "").Trim();
        var compact = new string(written.Where(c => c is not ('-' or ' ' or '.' or '(' or ')' or '\u00A0')).ToArray());
        if (compact.Length == 0) { error = "mobile number is empty"; return false; }
        var international = compact.StartsWith('+') || compact.StartsWith("00", StringComparison.Ordinal);
        var digits = compact.StartsWith('+') ? compact[1..] : compact.StartsWith("00", StringComparison.Ordinal) ? compact[2..] : compact;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            error = $"mobile number '{written}' has characters other than digits, spaces, hyphens and a leading +";
            return false;
        }
        string national;
        if (international && digits.StartsWith("82", StringComparison.Ordinal))
        {
            national = digits[2..];
            if (!national.StartsWith('0')) national = "0" + national; // +82 (0)10 … and +82 10 … alike
        }
        else if (international)
        {
            // Another country: E.164 allows at most 15 digits; the shortest mobile numbers have 8 with the country code.
            if (digits.Length is < 8 or > 15 || digits[0] == '0')
            {
                error = $"mobile number '{written}' is not an international number (+ country code and 7–14 digits)";
                return false;
            }
            number = new MobileNumber("+" + digits);
            error = null;
            return true;
        }
        else national = digits.Length == 10 && digits.StartsWith("10", StringComparison.Ordinal) ? "0" + digits : digits;

        if (!IsKoreanMobile(national))
        {
            error = $"mobile number '{written}' is not a Korean mobile number (expected 010-1234-5678, 01012345678 or +82 10 1234 5678)";
            return false;
        }
        number = new MobileNumber("+82" + national[1..]);
        error = null;
        return true;
    }

    public static MobileNumber Parse(string text) =>
        TryParse(text, out var number, out var error) ? number : throw new FormatException(error);

    /// <summary>010 with eight more digits, or one of the older 011/016/017/018/019 prefixes with seven or eight.</summary>
    static bool IsKoreanMobile(string national) =>
        national.StartsWith("010", StringComparison.Ordinal) ? national.Length == 11
        : national.Length is 10 or 11 && national[..3] is "011" or "016" or "017" or "018" or "019";

    public override string ToString() => E164 ?? "";
}
