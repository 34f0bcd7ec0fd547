using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Matchmaker.Core.Export;

/// <summary>One worksheet to write: its tab name and its rows of cell values (string, number, bool, date/time as ISO text, or null).</summary>
/// <remarks>The first row is written like any other; exports put their header there.</remarks>
public sealed record XlsxSheet(string Name, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>Writes workbooks (.xlsx) with MiniExcel: one or more sheets, in order, rows exactly as given.</summary>
/// <remarks>
/// Text is always a text cell, never a formula: MiniExcel writes a string starting with = + - @ as a string value
/// (no &lt;f&gt; element), so Excel shows "=HYPERLINK(…)" as those characters and runs nothing (the CSV export needs its
/// apostrophe because a CSV cell has no type; here the cell type does that work). Dates and times go out as ISO text,
/// NaN and infinities as text, so what a reader gets does not depend on a number format. A line break inside a cell
/// comes back as LF (XML normalises CRLF).
/// </remarks>
public static class XlsxExport
{
    /// <summary>Writes the workbook to <paramref name="output"/>, which is left open.</summary>
    /// <exception cref="ArgumentException">No sheets, or a sheet name Excel would refuse (empty, over 31 characters,
    /// one of : \ / ? * [ ], or repeated).</exception>
    public static void Write(Stream output, IReadOnlyList<XlsxSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sheets);
        CheckSheetNames(sheets);
        // Ordered: MiniExcel writes the sheets in the dictionary's enumeration order, which for Dictionary is insertion order
        // only while nothing is removed; nothing is.
        var workbook = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var sheet in sheets) workbook.Add(sheet.Name, Rows(sheet));
        output.SaveAs(workbook, printHeader: false, configuration: new OpenXmlConfiguration { AutoFilter = false });
    }

    /// <summary>The whole workbook as bytes.</summary>
    public static byte[] ToBytes(params IReadOnlyList<XlsxSheet> sheets)
    {
        using var buffer = new MemoryStream();
        Write(buffer, sheets);
        return buffer.ToArray();
    }

    /// <summary>
    /// The sheet's rows as MiniExcel wants them: dictionaries with the same keys (column letters) in every row, so a
    /// short row gets empty cells and an empty row stays a row (its number is kept).
    /// </summary>
    static List<Dictionary<string, object?>> Rows(XlsxSheet sheet)
    {
        var width = sheet.Rows.Count == 0 ? 0 : Math.Max(1, sheet.Rows.Max(r => r.Count));
        var keys = Enumerable.Range(0, width).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return sheet.Rows.Select(row =>
        {
            var cells = new Dictionary<string, object?>(width, StringComparer.Ordinal);
            for (var i = 0; i < width; i++) cells[keys[i]] = i < row.Count ? Cell(row[i]) : null;
            return cells;
        }).ToList();
    }

    static object? Cell(object? value) => value switch
    {
        null => null,
        // XML 1.0 holds no other control character; MiniExcel would write it as _x0001_, which readers turn back into one.
        string s => s.Any(c => char.IsControl(c) && c is not ('\t' or '\n' or '\r')) ? new string(s.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r').ToArray()) : s,
        bool b => b,
        double d when !double.IsFinite(d) => d.ToString(CultureInfo.InvariantCulture),
        float f when !float.IsFinite(f) => f.ToString(CultureInfo.InvariantCulture),
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal => value,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    static void CheckSheetNames(IReadOnlyList<XlsxSheet> sheets)
    {
        if (sheets.Count == 0) throw new ArgumentException("a workbook needs at least one sheet", nameof(sheets));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var sheet in sheets)
        {
            var name = sheet.Name;
            if (name.Length is 0 or > 31 || name.IndexOfAny([':', '\\', '/', '?', '*', '[', ']']) >= 0 || name.StartsWith('\'') || name.EndsWith('\''))
                throw new ArgumentException($"'{name}' is not a valid sheet name (1–31 characters, none of : \\ / ? * [ ], no apostrophe at either end)", nameof(sheets));
            if (!seen.Add(name)) throw new ArgumentException($"sheet name '{name}' is used twice (Excel ignores case)", nameof(sheets));
        }
    }
}
