using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Matchmaker.Core.Reference;
using static System.FormattableString;

namespace Matchmaker.Core.Import;

/// <summary>
/// Typed access to the cells of one data row. Each accessor trims and checks one cell against its rule and, when the
/// cell is bad, records an issue and returns null, so a row is read to the end and every bad cell gets reported.
/// </summary>
internal sealed partial class RowCells(SpreadsheetRow row, IReadOnlyDictionary<string, int> columns, List<ImportIssue> errors,
    ImportOptions options)
{
    const int MaxListItems = 50;

    public int Row => row.Number;

    /// <summary>True while no error has been recorded for this row.</summary>
    public bool Clean { get; private set; } = true;

    /// <summary>
    /// Reports a blank required cell. When the whole column is missing that was reported once for the file, and
    /// repeating it for every row would bury the other errors.
    /// </summary>
    void Required(string column, string message)
    {
        if (columns.ContainsKey(column)) Error(column, message);
        else Clean = false;
    }

    public void Error(string column, string message)
    {
        errors.Add(new ImportIssue(row.Number, column, message));
        Clean = false;
    }

    /// <summary>
    /// The trimmed cell, or null when the column is absent or the cell blank. Line breaks become "\n" and other control
    /// characters (tabs, vertical tabs from old Mac exports) a space, so no stray control character reaches the store.
    /// </summary>
    string? Raw(string column)
    {
        if (!columns.TryGetValue(column, out var index)) return null;
        var text = row[index];
        if (text.AsSpan().IndexOfAnyInRange('\0', '\u001F') >= 0 || text.Contains('\u007F'))
        {
            text = text.Replace("\r\n", "\n").Replace('\r', '\n');
            text = string.Create(text.Length, text, (span, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                    span[i] = source[i] == '\n' || !char.IsControl(source[i]) ? source[i] : ' ';
            });
        }
        text = text.Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// The cell for codes, numbers and flags, in compatibility form (NFKC): a Korean IME easily types full-width
    /// digits, hyphens and '@' (１４, －, ＠) that look right on screen but are not the ASCII the rules expect.
    /// </summary>
    string? RawCode(string column)
    {
        var text = Raw(column);
        return text is null || text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
    }

    /// <summary>Free text of at most <paramref name="maxLength"/> characters.</summary>
    /// <param name="multiline">Keep line breaks (descriptions); elsewhere a break typed with Alt+Enter in Excel
    /// becomes one space, since a name or a region is shown on one line.</param>
    public string? Text(string column, int maxLength, bool required = false, bool multiline = false)
    {
        var text = Raw(column);
        if (text is null)
        {
            if (required) Required(column, $"{column} is required");
            return null;
        }
        if (!multiline && text.Contains('\n')) text = LineBreak().Replace(text, " ");
        var length = text.EnumerateRunes().Count();
        if (length > maxLength)
        {
            Error(column, Invariant($"{column} is {length:N0} characters long; at most {maxLength:N0} are allowed"));
            return null;
        }
        return text;
    }

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex LineBreak();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex IdPattern();

    /// <summary>An identifier of 1–40 letters, digits, '_' or '-', as buyer_id and demand_id are.</summary>
    public string? Id(string column)
    {
        var text = RawCode(column);
        if (text is null) { Required(column, $"{column} is required"); return null; }
        if (IdPattern().IsMatch(text)) return text;
        Error(column, $"{column} '{Shorten(text)}' must be 1–40 characters of A–Z, a–z, 0–9, '_' or '-'");
        return null;
    }

    /// <summary>A whole number in [min, max]; also accepts "1,200" and "14.0" as spreadsheets write them.</summary>
    public int? Integer(string column, int min, int max)
    {
        var text = RawCode(column);
        if (text is null) return null;
        var plain = ThousandsPattern().IsMatch(text) ? text.Replace(",", "") : text;
        if (!decimal.TryParse(plain, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var value) || value != decimal.Truncate(value))
        {
            Error(column, $"{column} '{Shorten(text)}' is not a whole number; expected {min}–{max}");
            return null;
        }
        if (value < min || value > max)
        {
            Error(column, Invariant($"{column} {value:0} is out of range; expected {min}–{max}"));
            return null;
        }
        return (int)value;
    }

    [GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.0+)?$")]
    private static partial Regex ThousandsPattern();

    /// <summary>
    /// A list cell split on ';' ',' '|' or newlines, items trimmed, blanks dropped and repeats removed (first spelling
    /// kept, case ignored), order kept.
    /// </summary>
    public IReadOnlyList<string> List(string column, int maxItemLength, bool codes = false)
    {
        var text = codes ? RawCode(column) : Raw(column);
        if (text is null) return [];
        var items = SplitList(text);
        var ok = true;
        if (items.Count > MaxListItems)
        {
            Error(column, $"{column} has {items.Count} entries; at most {MaxListItems} are allowed");
            ok = false;
        }
        var tooLong = items.Where(i => i.EnumerateRunes().Count() > maxItemLength).ToList();
        if (tooLong.Count > 0)
        {
            Error(column, $"{column} entry '{Shorten(tooLong[0])}' is longer than {maxItemLength} characters");
            ok = false;
        }
        return ok ? items : [];
    }

    internal static List<string> SplitList(string text)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var items = new List<string>();
        foreach (var part in text.Split([';', ',', '|', '\n', '\r'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (seen.Add(part)) items.Add(part);
        return items;
    }

    /// <summary>KSIC-11 codes at any level; "C29229" (section letter in front) is accepted and written as "29229".</summary>
    public IReadOnlyList<string> Ksic(string column, bool required)
    {
        var text = RawCode(column);
        if (text is null)
        {
            if (required) Required(column, $"{column} is required: give at least one KSIC-11 code (e.g. 29229)");
            return [];
        }
        var codes = new List<string>();
        var unknown = new List<string>();
        foreach (var item in SplitList(text))
        {
            var code = NormalizeKsic(item.ToUpperInvariant());
            if (code is null) unknown.Add(item);
            else if (!codes.Contains(code)) codes.Add(code);
        }
        if (unknown.Count > 0)
        {
            // Excel stores 01110 typed into a number cell as 1110; say so rather than leave the organiser puzzled.
            var dropped = unknown.FirstOrDefault(u => u.All(char.IsAsciiDigit) && KsicCatalog.Default.Contains("0" + u));
            var hint = dropped is null ? "" : $" (did Excel drop a leading zero? '0{dropped}' is a KSIC-11 code; format the column as text)";
            Error(column, $"unknown KSIC-11 code{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => $"'{Shorten(u)}'"))}{hint}");
            return [];
        }
        if (codes.Count > MaxListItems)
        {
            Error(column, $"{column} has {codes.Count} codes; at most {MaxListItems} are allowed");
            return [];
        }
        return codes;
    }

    static string? NormalizeKsic(string code)
    {
        var catalog = KsicCatalog.Default;
        if (catalog.Contains(code)) return code;
        if (code.Length > 1 && char.IsAsciiLetterUpper(code[0]) && catalog.Find(code[1..]) is { } found && found.Section == code[..1])
            return found.Code;
        return null;
    }

    /// <summary>A business registration number, returned as its ten digits.</summary>
    public string? BusinessNumber(string column, bool required)
    {
        var text = RawCode(column);
        if (text is null)
        {
            if (required) Required(column, $"{column} is required");
            return null;
        }
        if (Profiles.BusinessNumber.TryParse(text, out var number, out var error)) return number.Digits;
        Error(column, error ?? $"business number '{Shorten(text)}' is not valid");
        return null;
    }

    public string? Email(string column)
    {
        var text = Text(column, 200);
        if (text is not null && !text.IsNormalized(NormalizationForm.FormKC)) text = text.Normalize(NormalizationForm.FormKC);
        if (text is null || Profiles.EmailAddress.IsValid(text)) return text;
        Error(column, $"{column} '{Shorten(text)}' is not an email address (expected name@example.com)");
        return null;
    }

    /// <summary>A mobile number in its normal form (E.164), see <see cref="Profiles.MobileNumber"/>.</summary>
    public string? Mobile(string column)
    {
        var text = RawCode(column);
        if (text is null) return null;
        if (Profiles.MobileNumber.TryParse(text, out var number, out var error)) return number.E164;
        Error(column, error is null || text.Length > 40 ? $"{column} '{Shorten(text)}' is not a mobile number" : error);
        return null;
    }

    /// <summary>One of a closed set of values, written in English or Korean; returns the English value.</summary>
    public string? Choice(string column, IReadOnlyDictionary<string, string> values, string allowed)
    {
        var text = RawCode(column);
        if (text is null) return null;
        if (values.TryGetValue(ChoiceKey(text), out var value)) return value;
        Error(column, $"{column} '{Shorten(text)}' is not one of {allowed}");
        return null;
    }

    internal static string ChoiceKey(string text) =>
        new(text.ToLowerInvariant().Where(ch => !char.IsWhiteSpace(ch) && ch is not ('_' or '-')).ToArray());

    public bool? Flag(string column)
    {
        var text = RawCode(column);
        if (text is null) return null;
        switch (ChoiceKey(text))
        {
            case "y" or "yes" or "true" or "1" or "o" or "있음" or "유" or "예": return true;
            case "n" or "no" or "false" or "0" or "x" or "없음" or "무" or "아니오" or "아니요": return false;
            default:
                Error(column, $"{column} '{Shorten(text)}' must be Y or N (also 있음/없음, true/false)");
                return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9:_-]{0,19}$")]
    private static partial Regex SlotPattern();

    /// <summary>Slot codes such as D1-03, checked against <see cref="ImportOptions.KnownSlotCodes"/> when given.</summary>
    public IReadOnlyList<string> Slots(string column)
    {
        var items = List(column, 20, codes: true);
        var result = new List<string>();
        var bad = new List<string>();
        foreach (var item in items)
        {
            if (!SlotPattern().IsMatch(item)) bad.Add(item);
            else if (options.KnownSlotCodes is null) result.Add(item);
            else if (Canonical(options.KnownSlotCodes, item) is { } known) result.Add(known);
            else bad.Add(item);
        }
        if (bad.Count == 0) return result;
        Error(column, options.KnownSlotCodes is null
            ? $"{column} has malformed slot codes {string.Join(", ", bad.Select(b => $"'{Shorten(b)}'"))} (expected codes such as D1-03)"
            : $"{column} has slot codes that are not slots of this event: {string.Join(", ", bad.Select(b => $"'{Shorten(b)}'"))}");
        return [];
    }

    /// <summary>The spelling of <paramref name="value"/> in <paramref name="known"/>, matching case-insensitively.</summary>
    internal static string? Canonical(IReadOnlySet<string> known, string value) =>
        known.Contains(value) ? value : known.FirstOrDefault(k => string.Equals(k, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>Values quoted back in messages are cut short so one huge cell cannot flood the report.</summary>
    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "…";
}
