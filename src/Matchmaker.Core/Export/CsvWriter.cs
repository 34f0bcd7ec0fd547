using System.Text;
using System.Text.RegularExpressions;

namespace Matchmaker.Core.Export;

/// <summary>Writes RFC 4180 CSV as UTF-8 with a BOM (so Korean Excel opens it as UTF-8), guarded against formula injection.</summary>
/// <remarks>
/// A cell starting with '=', '+', '-', '@', tab or CR would be run as a formula by Excel when an organiser opens the
/// export, and the text comes from participants (OWASP "CSV injection"), so such cells get a leading apostrophe.
/// Plain numbers such as "-5" are left alone: they cannot carry a formula and must stay numbers. The importer drops
/// that apostrophe again, so export → import gives the original text back.
/// </remarks>
public static partial class CsvWriter
{
    static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    /// <summary>Writes <paramref name="rows"/> (the header first, if any) to <paramref name="output"/>, which is left open.</summary>
    public static void Write(Stream output, IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new StreamWriter(output, Utf8WithBom, bufferSize: 65536, leaveOpen: true);
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (i > 0) writer.Write(',');
                writer.Write(FormatCell(row[i]));
            }
            writer.Write("\r\n");
        }
    }

    /// <summary>The whole CSV file, BOM included.</summary>
    public static byte[] ToBytes(IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var buffer = new MemoryStream();
        Write(buffer, rows);
        return buffer.ToArray();
    }

    /// <summary>One cell as it appears in the file: formula-escaped, then quoted when it holds a comma, quote or line break.</summary>
    public static string FormatCell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var text = NeedsFormulaEscape(value) ? "'" + value : value;
        var quote = text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || text[0] == ' ' || text[^1] == ' ';
        return quote ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }

    /// <summary>True when Excel would read <paramref name="value"/> as a formula.</summary>
    /// <remarks>Text that already starts with an apostrophe before such a character gets a second one, because the
    /// importer drops one: that keeps export → import exact.</remarks>
    public static bool NeedsFormulaEscape(string value) =>
        value is [('=' or '+' or '-' or '@' or '\t' or '\r'), ..] && !PlainNumber().IsMatch(value)
        || value is ['\'', ('=' or '+' or '-' or '@' or '\t' or '\r'), ..];

    [GeneratedRegex(@"^[+-]?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex PlainNumber();
}
