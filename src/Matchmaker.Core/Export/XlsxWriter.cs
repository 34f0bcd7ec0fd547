using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Matchmaker.Core.Export;

/// <summary>One worksheet to write: its tab name and its rows of cell values (string, number, bool, date/time as ISO text, or null).</summary>
public sealed record XlsxSheet(string Name, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// Writes a minimal Office Open XML workbook (.xlsx) with System.IO.Compression: one or more sheets, text as inline
/// strings, numbers and booleans as values, no styles beyond the default.
/// </summary>
/// <remarks>
/// Text goes in as inline strings, never as formulas, so cells starting with '=' are shown as text and need no escaping
/// here. The output is byte-for-byte deterministic (fixed entry timestamps), which keeps exports diffable and testable.
/// </remarks>
public static partial class XlsxWriter
{
    const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const string OfficeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static readonly XmlWriterSettings XmlSettings = new()
    {
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        CloseOutput = false,
        NewLineHandling = NewLineHandling.Entitize, // keep CR and CRLF inside cells exactly as given
    };

    /// <summary>Writes the workbook to <paramref name="output"/>, which is left open.</summary>
    /// <exception cref="ArgumentException">No sheets, or a sheet name Excel would refuse (empty, over 31 characters,
    /// one of : \ / ? * [ ], or repeated).</exception>
    public static void Write(Stream output, IReadOnlyList<XlsxSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sheets);
        CheckSheetNames(sheets);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        Entry(zip, "[Content_Types].xml", w => ContentTypes(w, sheets.Count));
        Entry(zip, "_rels/.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelationships);
            Relationship(w, "rId1", "officeDocument", "xl/workbook.xml");
            w.WriteEndElement();
        });
        Entry(zip, "xl/workbook.xml", w => Workbook(w, sheets));
        Entry(zip, "xl/_rels/workbook.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", PackageRelationships);
            for (var i = 0; i < sheets.Count; i++) Relationship(w, $"rId{i + 1}", "worksheet", $"worksheets/sheet{i + 1}.xml");
            Relationship(w, $"rId{sheets.Count + 1}", "styles", "styles.xml");
            w.WriteEndElement();
        });
        Entry(zip, "xl/styles.xml", Styles);
        for (var i = 0; i < sheets.Count; i++)
        {
            var sheet = sheets[i];
            Entry(zip, $"xl/worksheets/sheet{i + 1}.xml", w => Worksheet(w, sheet));
        }
    }

    public static void Write(Stream output, XlsxSheet sheet) => Write(output, [sheet]);

    /// <summary>The whole workbook as bytes.</summary>
    public static byte[] ToBytes(params IReadOnlyList<XlsxSheet> sheets)
    {
        using var buffer = new MemoryStream();
        Write(buffer, sheets);
        return buffer.ToArray();
    }

    static void CheckSheetNames(IReadOnlyList<XlsxSheet> sheets)
    {
        if (sheets.Count == 0) throw new ArgumentException("a workbook needs at least one sheet", nameof(sheets));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var sheet in sheets)
        {
            var name = sheet.Name;
            if (string.IsNullOrWhiteSpace(name) || name.Length > 31 || name.AsSpan().IndexOfAny(@":\/?*[]") >= 0
                || name[0] == '\'' || name[^1] == '\'')
                throw new ArgumentException($"'{name}' is not a valid sheet name (1–31 characters, none of : \\ / ? * [ ])",
                    nameof(sheets));
            if (!seen.Add(name)) throw new ArgumentException($"sheet name '{name}' is used twice", nameof(sheets));
        }
    }

    static void Entry(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedTime;
        using var stream = entry.Open();
        using var xml = XmlWriter.Create(stream, XmlSettings);
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }

    static void Relationship(XmlWriter w, string id, string type, string target)
    {
        w.WriteStartElement("Relationship", PackageRelationships);
        w.WriteAttributeString("Id", id);
        w.WriteAttributeString("Type", $"{OfficeRelationships}/{type}");
        w.WriteAttributeString("Target", target);
        w.WriteEndElement();
    }

    static void ContentTypes(XmlWriter w, int sheetCount)
    {
        const string ns = "http://schemas.openxmlformats.org/package/2006/content-types";
        const string prefix = "application/vnd.openxmlformats-";
        w.WriteStartElement("Types", ns);
        void Default(string extension, string type)
        {
            w.WriteStartElement("Default", ns);
            w.WriteAttributeString("Extension", extension);
            w.WriteAttributeString("ContentType", type);
            w.WriteEndElement();
        }
        void Override(string part, string type)
        {
            w.WriteStartElement("Override", ns);
            w.WriteAttributeString("PartName", part);
            w.WriteAttributeString("ContentType", type);
            w.WriteEndElement();
        }
        Default("rels", prefix + "package.relationships+xml");
        Default("xml", "application/xml");
        Override("/xl/workbook.xml", prefix + "officedocument.spreadsheetml.sheet.main+xml");
        Override("/xl/styles.xml", prefix + "officedocument.spreadsheetml.styles+xml");
        for (var i = 1; i <= sheetCount; i++)
            Override($"/xl/worksheets/sheet{i}.xml", prefix + "officedocument.spreadsheetml.worksheet+xml");
        w.WriteEndElement();
    }

    static void Workbook(XmlWriter w, IReadOnlyList<XlsxSheet> sheets)
    {
        w.WriteStartElement("workbook", Main);
        w.WriteAttributeString("xmlns", "r", null, OfficeRelationships);
        w.WriteStartElement("sheets", Main);
        for (var i = 0; i < sheets.Count; i++)
        {
            w.WriteStartElement("sheet", Main);
            w.WriteAttributeString("name", sheets[i].Name);
            w.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
            w.WriteAttributeString("id", OfficeRelationships, $"rId{i + 1}");
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    static void Styles(XmlWriter w)
    {
        // The smallest stylesheet Excel accepts without a repair prompt: one font, the two required fills, one border.
        w.WriteStartElement("styleSheet", Main);
        w.WriteStartElement("fonts", Main); w.WriteAttributeString("count", "1");
        w.WriteStartElement("font", Main);
        w.WriteStartElement("sz", Main); w.WriteAttributeString("val", "11"); w.WriteEndElement();
        w.WriteStartElement("name", Main); w.WriteAttributeString("val", "맑은 고딕"); w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("fills", Main); w.WriteAttributeString("count", "2");
        foreach (var pattern in new[] { "none", "gray125" })
        {
            w.WriteStartElement("fill", Main);
            w.WriteStartElement("patternFill", Main); w.WriteAttributeString("patternType", pattern); w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("borders", Main); w.WriteAttributeString("count", "1");
        w.WriteStartElement("border", Main);
        foreach (var side in new[] { "left", "right", "top", "bottom", "diagonal" }) { w.WriteStartElement(side, Main); w.WriteEndElement(); }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cellStyleXfs", Main); w.WriteAttributeString("count", "1");
        Xf(w, withXfId: false);
        w.WriteEndElement();
        w.WriteStartElement("cellXfs", Main); w.WriteAttributeString("count", "1");
        Xf(w, withXfId: true);
        w.WriteEndElement();
        w.WriteStartElement("cellStyles", Main); w.WriteAttributeString("count", "1");
        w.WriteStartElement("cellStyle", Main);
        w.WriteAttributeString("name", "Normal"); w.WriteAttributeString("xfId", "0"); w.WriteAttributeString("builtinId", "0");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    static void Xf(XmlWriter w, bool withXfId)
    {
        w.WriteStartElement("xf", Main);
        foreach (var attribute in new[] { "numFmtId", "fontId", "fillId", "borderId" }) w.WriteAttributeString(attribute, "0");
        if (withXfId) w.WriteAttributeString("xfId", "0");
        w.WriteEndElement();
    }

    static void Worksheet(XmlWriter w, XlsxSheet sheet)
    {
        w.WriteStartElement("worksheet", Main);
        w.WriteStartElement("sheetData", Main);
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            var row = sheet.Rows[r];
            var rowNumber = (r + 1).ToString(CultureInfo.InvariantCulture);
            w.WriteStartElement("row", Main);
            w.WriteAttributeString("r", rowNumber);
            for (var c = 0; c < row.Count; c++)
            {
                if (row[c] is null) continue;
                w.WriteStartElement("c", Main);
                w.WriteAttributeString("r", ColumnName(c) + rowNumber);
                Cell(w, row[c]!);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    static void Cell(XmlWriter w, object value)
    {
        switch (value)
        {
            case bool b:
                w.WriteAttributeString("t", "b");
                w.WriteElementString("v", Main, b ? "1" : "0");
                break;
            case double d when double.IsFinite(d):
                w.WriteElementString("v", Main, d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case float f when float.IsFinite(f):
                w.WriteElementString("v", Main, f.ToString("R", CultureInfo.InvariantCulture));
                break;
            case decimal or int or long or short or byte or sbyte or uint or ulong or ushort:
                w.WriteElementString("v", Main, ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                // Dates and times go in as ISO text: a real date cell needs a number format in styles.xml, and text
                // reads back the same everywhere.
                var text = value switch
                {
                    DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    TimeOnly time => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                    DateTime dateTime => dateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    DateTimeOffset offset => offset.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    _ => null,
                } ?? (value is IFormattable formattable
                    ? formattable.ToString(null, CultureInfo.InvariantCulture)
                    : value.ToString() ?? "");
                w.WriteAttributeString("t", "inlineStr");
                w.WriteStartElement("is", Main);
                w.WriteStartElement("t", Main);
                var escaped = EscapeText(text);
                if (escaped.Length > 0 && (char.IsWhiteSpace(escaped[0]) || char.IsWhiteSpace(escaped[^1]) || escaped.Contains('\n')))
                    w.WriteAttributeString("xml", "space", null, "preserve");
                w.WriteString(escaped);
                w.WriteEndElement();
                w.WriteEndElement();
                break;
        }
    }

    /// <summary>"A", "B", … "Z", "AA", … for a zero-based column index.</summary>
    internal static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <summary>
    /// Makes text safe for a spreadsheet string: characters XML cannot hold are dropped, and a literal "_x0041_" is
    /// written as "_x005F_x0041_", because spreadsheet readers (Excel, ExcelDataReader) decode _xHHHH_ as a character.
    /// </summary>
    static string EscapeText(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(ch).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(ch)) builder.Append(ch);
        }
        var clean = builder.ToString();
        return clean.Contains("_x", StringComparison.Ordinal) ? EscapedCharPattern().Replace(clean, "_x005F$0") : clean;
    }

    [GeneratedRegex("_x[0-9A-Fa-f]{4}_")]
    private static partial Regex EscapedCharPattern();
}
