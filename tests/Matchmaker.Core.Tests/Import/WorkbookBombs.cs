using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Matchmaker.Core.Export;

namespace Matchmaker.Core.Tests.Import;

/// <summary>
/// Builds hostile .xlsx files in memory: small uploads that expand enormously, or archives that lie about themselves.
/// Each starts from an ordinary workbook so that only the one hostile property differs. Shared with the benchmark.
/// </summary>
public static class WorkbookBombs
{
    const string SheetStart = """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""";
    const string SheetEnd = "</sheetData></worksheet>";

    /// <summary>A header and one buyer row, then <paramref name="emptyRows"/> empty rows: 10 bytes each once expanded.</summary>
    public static byte[] EmptyRows(long emptyRows, bool numbered = false) => WithPart(Plain(), "xl/worksheets/sheet1.xml", stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        writer.Write(SheetStart);
        writer.Write("""<row r="1"><c r="A1" t="inlineStr"><is><t>buyer_id</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c></row>""");
        writer.Write("""<row r="2"><c r="A2" t="inlineStr"><is><t>B-1</t></is></c><c r="B2" t="inlineStr"><is><t>한빛병원</t></is></c></row>""");
        if (numbered)
            for (long r = 3; r < emptyRows + 3; r++) { writer.Write("<row r=\""); writer.Write(r); writer.Write("\"/>"); }
        else
        {
            var block = string.Concat(Enumerable.Repeat("<row></row>", 1000));
            for (long r = 0; r < emptyRows; r += 1000) writer.Write(block);
        }
        writer.Write(SheetEnd);
    });

    /// <summary>A header on row 1 and one buyer on row <paramref name="row"/>, with no elements for the rows between.</summary>
    public static byte[] FarRow(int row) => WithPart(Plain(), "xl/worksheets/sheet1.xml", stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(SheetStart);
        writer.Write("""<row r="1"><c r="A1" t="inlineStr"><is><t>buyer_id</t></is></c></row>""");
        writer.Write($"""<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>B-1</t></is></c></row>""");
        writer.Write(SheetEnd);
    });

    /// <summary>An ordinary workbook plus a shared-strings part holding one string of <paramref name="characters"/> letters.</summary>
    public static byte[] HugeSharedString(long characters) => WithPart(Plain(), "xl/sharedStrings.xml", stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        writer.Write("""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>""");
        var block = new string('가', 4096);
        for (long written = 0; written < characters; written += block.Length) writer.Write(block);
        writer.Write("</t></si></sst>");
    });

    /// <summary>An ordinary workbook plus <paramref name="count"/> empty entries.</summary>
    public static byte[] ManyEntries(int count)
    {
        var buffer = new MemoryStream();
        buffer.Write(Plain());
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
            for (var i = 0; i < count; i++) zip.CreateEntry($"customXml/item{i}.xml", CompressionLevel.NoCompression);
        return buffer.ToArray();
    }

    /// <summary>An ordinary workbook plus a part of <paramref name="bytes"/> zero bytes, which deflate shrinks about 1,000 times.</summary>
    public static byte[] HighRatio(int bytes) => WithPart(Plain(), "xl/media/image1.bin", stream =>
    {
        var zeros = new byte[1 << 16];
        for (var written = 0; written < bytes; written += zeros.Length) stream.Write(zeros, 0, Math.Min(zeros.Length, bytes - written));
    });

    /// <summary>
    /// Rewrites the declared uncompressed size of <paramref name="part"/> (in its local header and the central
    /// directory) to <paramref name="declared"/>, so the archive claims to be small while it is not.
    /// </summary>
    public static byte[] LyingAboutSize(byte[] workbook, string part, uint declared)
    {
        var bytes = (byte[])workbook.Clone();
        var name = Encoding.UTF8.GetBytes(part);
        var patched = 0;
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            var (nameAt, sizeAt) = signature switch
            {
                0x04034b50 => (30, 22), // local file header
                0x02014b50 => (46, 24), // central directory header
                _ => (-1, -1),
            };
            if (nameAt < 0) continue;
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + nameAt - (nameAt == 30 ? 4 : 18)));
            if (nameLength != name.Length || i + nameAt + nameLength > bytes.Length) continue;
            if (!bytes.AsSpan(i + nameAt, nameLength).SequenceEqual(name)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + sizeAt), declared);
            patched++;
        }
        if (patched != 2) throw new InvalidOperationException($"expected to patch 2 headers of '{part}', patched {patched}");
        return bytes;
    }

    /// <summary>The largest workbook the importer accepts: 20,000 SME rows of 13 filled columns (about 4 MB).</summary>
    public static byte[] LargestValidSmes(int rows = 20_000)
    {
        var sheet = new List<IReadOnlyList<object?>>
        {
            new object?[] { "business_number", "name", "region", "sector", "employees", "ksic_codes", "certifications",
                "export_record", "description", "keywords", "meeting_cap", "contact_name", "contact_email" },
        };
        for (var i = 0; i < rows; i++)
            sheet.Add(new object?[]
            {
                BusinessNumber(i), $"㈜부산정밀{i}", "부산", "금형", 10 + i % 300, "29221", "ISO9001;이노비즈", i % 2 == 0 ? "Y" : "N",
                $"사출금형 및 프레스 금형 설계·제작, 자동차 부품 {i % 97}호 라인 납품 실적 보유. 레이저 가공 설비 {i % 13}대, " +
                "품질경영 인증, 해외 완성차 2차 협력사 경력.", "금형;사출;프레스;레이저", 1 + i % 8, $"담당자{i % 50}",
                $"sales{i}@busan-precision.example",
            });
        return XlsxExport.ToBytes(new XlsxSheet("SMEs", sheet));
    }

    /// <summary>A valid 10-digit business registration number, distinct for each seed below 100,000,000.</summary>
    public static string BusinessNumber(int seed)
    {
        var nine = (100_000_000 + seed).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
        return nine + Matchmaker.Core.Profiles.BusinessNumber.CheckDigit(nine).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    static byte[] Plain() => XlsxExport.ToBytes(new XlsxSheet("Buyers", [["buyer_id", "name"], ["B-1", "한빛병원"]]));

    /// <summary>Replaces (or adds) <paramref name="name"/>, writing its content through deflate as it is produced.</summary>
    static byte[] WithPart(byte[] workbook, string name, Action<Stream> write)
    {
        var buffer = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var target = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries.Where(e => e.FullName != name))
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName).Open();
                from.CopyTo(to);
            }
            using var content = target.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            write(content);
        }
        return buffer.ToArray();
    }
}
