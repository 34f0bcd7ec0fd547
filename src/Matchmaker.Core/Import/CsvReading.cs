using Matchmaker.Core.Messages;
using System.Text;

namespace Matchmaker.Core.Import;

/// <summary>
/// CSV bytes to rows: picks the encoding (UTF-8 with or without BOM, UTF-16 with BOM, or CP949 as Korean Excel saves
/// "CSV (쉼표로 분리)") and the delimiter (comma, semicolon or tab, from the header line).
/// </summary>
/// <remarks>
/// The file is split into records and fields on the raw bytes first (read as Latin-1, which maps every byte to one
/// char), and only then is each field decoded. That is safe because the CSV structure characters (quote, comma,
/// semicolon, tab, CR, LF) never occur inside a multi-byte UTF-8 or CP949 character, and it lets us judge the encoding
/// field by field: a file where some cells are UTF-8 and others CP949 (text pasted from two sources and saved by a tool
/// that does not re-encode) is rejected with the row that gives it away, instead of being silently half garbled.
/// </remarks>
internal static class CsvReading
{
    static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static readonly Lazy<Encoding> Cp949Strict = new(() =>
    {
        RegisterCodePages();
        return Encoding.GetEncoding(949, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    });

    /// <summary>Makes code page 949 (and the other legacy code pages .xls files use) available; safe to call often.</summary>
    internal static void RegisterCodePages() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    enum Fit { Ascii, Utf8Only, Cp949Only, Both, Neither }


    public static (List<SpreadsheetRow> Rows, string Format) Read(byte[] bytes, string fileName)
    {
        string text;
        bool decodeFields, hasBom = false;
        string format;
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            (text, decodeFields, hasBom, format) = (Encoding.Latin1.GetString(bytes, 3, bytes.Length - 3), true, true, "csv (UTF-8 with BOM)");
        }
        else if (bytes is [0xFF, 0xFE, ..])
        {
            // Excel's "Unicode text" export: UTF-16 little-endian, tab separated.
            (text, decodeFields, format) = (Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), false, "csv (UTF-16)");
        }
        else if (bytes is [0xFE, 0xFF, ..])
        {
            (text, decodeFields, format) = (Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), false, "csv (UTF-16)");
        }
        else
        {
            (text, decodeFields, format) = (Encoding.Latin1.GetString(bytes), true, "");
        }

        var start = 0;
        char? delimiter = null;
        // Excel honours a first line "sep=;" and does not show it as a row, so neither do we.
        if (text.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && text.Length > 4 && text[4] is ',' or ';' or '\t' or '|')
        {
            delimiter = text[4];
            start = text.IndexOf('\n') is var nl and >= 0 ? nl + 1 : text.Length;
        }
        delimiter ??= DetectDelimiter(text, start);
        var rows = Parse(text, start, delimiter.Value, fileName);
        if (!decodeFields) return (UnescapeFormulas(rows), format);

        var encoding = ChooseEncoding(rows, hasBom);
        if (format.Length == 0) format = encoding == Utf8Strict ? "csv (UTF-8)" : "csv (CP949)";
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = (string[])rows[r].Cells;
            for (var c = 0; c < cells.Length; c++)
                if (!IsAscii(cells[c])) cells[c] = SpreadsheetReader.Normalize(encoding.GetString(Encoding.Latin1.GetBytes(cells[c])));
        }
        return (UnescapeFormulas(rows), format);
    }

    /// <summary>
    /// Drops the apostrophe that our CsvWriter (and other careful exporters) put before a cell starting with = + - @
    /// tab or CR against formula injection (or before such a cell's own apostrophe), so that an exported file imports
    /// back to the same text.
    /// </summary>
    static List<SpreadsheetRow> UnescapeFormulas(List<SpreadsheetRow> rows)
    {
        foreach (var row in rows)
        {
            var cells = (string[])row.Cells;
            for (var c = 0; c < cells.Length; c++)
                if (cells[c] is ['\'', '=' or '+' or '-' or '@' or '\t' or '\r', ..]
                    or ['\'', '\'', '=' or '+' or '-' or '@' or '\t' or '\r', ..])
                    cells[c] = cells[c][1..];
        }
        return rows;
    }

    static Encoding ChooseEncoding(List<SpreadsheetRow> rows, bool hasBom)
    {
        (int Row, int Column)? firstUtf8 = null, firstCp949 = null;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Cells.Count; c++)
            {
                var cell = row.Cells[c];
                // NUL never occurs in text saved by a spreadsheet, in either encoding; it marks a binary file.
                if (cell.Contains('\0'))
                    throw new SpreadsheetException(new Message("import.not_text", row.Number, c + 1), row.Number);
                if (IsAscii(cell)) continue;
                var fit = Classify(Encoding.Latin1.GetBytes(cell));
                if (hasBom)
                {
                    if (fit is Fit.Utf8Only or Fit.Both) continue;
                    throw new SpreadsheetException(new Message("import.bom_not_unicode", row.Number, c + 1), row.Number);
                }
                if (fit == Fit.Neither)
                    throw new SpreadsheetException(new Message("import.neither_encoding", row.Number, c + 1), row.Number);
                if (fit == Fit.Utf8Only) firstUtf8 ??= (row.Number, c + 1);
                if (fit == Fit.Cp949Only) firstCp949 ??= (row.Number, c + 1);
                if (firstUtf8 is { } u && firstCp949 is { } k)
                    throw new SpreadsheetException(new Message("import.mixed_encodings", u.Row, u.Column, k.Row, k.Column), Math.Max(u.Row, k.Row));
            }
        }
        // Cells that read as both (short CP949 Hangul that happens to be valid UTF-8, such as 표 = C7 A5) decide
        // nothing: CP949 only when some cell can only be CP949.
        return hasBom || firstCp949 is null ? Utf8Strict : Cp949Strict.Value;
    }

    /// <remarks>
    /// Structure and plausibility are checked on the bytes first and the strict CP949 decoder (which throws on
    /// failure) runs only on cells that pass, so a 20,000-row file costs no exception per cell.
    /// </remarks>
    static Fit Classify(byte[] bytes)
    {
        var utf8 = System.Text.Unicode.Utf8.IsValid(bytes);
        var cp949 = IsPlausibleKorean(bytes) && TryDecode(Cp949Strict.Value, bytes) is not null;
        return (utf8, cp949) switch
        {
            (true, true) => Fit.Both,
            (true, false) => Fit.Utf8Only,
            (false, true) => Fit.Cp949Only,
            _ => Fit.Neither,
        };
    }

    static string? TryDecode(Encoding encoding, byte[] bytes)
    {
        try { return encoding.GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>
    /// Strict CP949 decoding accepts many byte strings that are not Korean text. UTF-8 Hangul read as CP949 comes out
    /// as Hanja next to rare syllables of the UHC extension (금형 → 湲덊삎), and binary data breaks its byte structure.
    /// Real cells are written almost entirely in the 2,350 common syllables and the symbols of KS X 1001; an extension
    /// syllable turns up now and then (똠양꿍) but hardly ever beside Hanja or another extension syllable. So a cell is
    /// implausible when its byte pairs break CP949's structure, when such a pair occurs, or when Hanja and extension syllables together are not outnumbered by
    /// common ones (a cell of Hanja only, a company name such as 大韓精密, is fine).
    /// </summary>
    static bool IsPlausibleKorean(byte[] bytes)
    {
        int common = 0, hanja = 0, extension = 0;
        var previous = Kind.None;
        for (var i = 0; i < bytes.Length; i++)
        {
            var lead = bytes[i];
            if (lead < 0x80)
            {
                previous = Kind.None;
                continue;
            }
            if (lead is 0x80 or 0xFF || i + 1 >= bytes.Length) return false;
            var trail = bytes[++i];
            // Trail bytes: 41–5A, 61–7A, 81–FE; below lead A1 only the UHC extension, above C6 only KS X 1001 (A1–FE).
            if (trail is < 0x41 or (> 0x5A and < 0x61) or (> 0x7A and < 0x81) or 0xFF || (lead > 0xC6 && trail < 0xA1))
                return false;
            var kind = trail >= 0xA1 && lead is >= 0xA1 and <= 0xC8 ? Kind.Common // KS X 1001 symbols, jamo, Hangul
                : trail >= 0xA1 && lead is >= 0xCA and <= 0xFD ? Kind.Hanja
                : Kind.Extension;
            if ((kind, previous) is (Kind.Extension, Kind.Hanja or Kind.Extension) or (Kind.Hanja, Kind.Extension)) return false;
            if (kind == Kind.Common) common++;
            else if (kind == Kind.Hanja) hanja++;
            else extension++;
            previous = kind;
        }
        return common > hanja + extension || (common == 0 && extension == 0);
    }

    enum Kind { None, Common, Hanja, Extension }

    static bool IsAscii(string text)
    {
        foreach (var ch in text) if (ch >= 0x80) return false;
        return true;
    }

    /// <summary>The delimiter used most often, outside quotes, on the first line; comma when there is none.</summary>
    static char DetectDelimiter(string text, int start)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var inQuotes = false;
        for (var i = start; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch == '"') inQuotes = !inQuotes;
            else if (inQuotes) continue;
            else if (ch is '\n' or '\r') break;
            else if (ch == ',') commas++;
            else if (ch == ';') semicolons++;
            else if (ch == '\t') tabs++;
        }
        if (tabs > commas && tabs > semicolons) return '\t';
        if (semicolons > commas) return ';';
        return ',';
    }

    /// <summary>
    /// RFC 4180 with Excel's leniency: a quote that does not open a field is kept as text, and CR, LF or CRLF end a
    /// record. Every record gets a number, blank ones included, so numbers match the rows Excel shows.
    /// </summary>
    static List<SpreadsheetRow> Parse(string text, int start, char delimiter, string fileName)
    {
        var rows = new List<SpreadsheetRow>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var quotedField = false;
        var number = 1;
        var pending = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            quotedField = false;
        }
        void EndRecord()
        {
            EndField();
            rows.Add(new SpreadsheetRow(number++, fields.ToArray()));
            fields.Clear();
            pending = false;
        }

        for (var i = start; i < text.Length; i++)
        {
            var ch = text[i];
            if (inQuotes)
            {
                if (ch != '"') field.Append(ch);
                else if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else inQuotes = false;
                continue;
            }
            pending = true;
            if (ch == '"' && field.Length == 0 && !quotedField) { inQuotes = true; quotedField = true; }
            else if (ch == delimiter) EndField();
            else if (ch == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                EndRecord();
            }
            else if (ch == '\n') EndRecord();
            else field.Append(ch);
        }
        if (inQuotes)
            throw new SpreadsheetException(new Message("import.unclosed_quote", fileName, number), number);
        if (pending) EndRecord();
        return rows;
    }
}
