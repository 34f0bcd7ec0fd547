using System.Buffers.Binary;
using System.Globalization;
using static System.FormattableString;
using System.IO.Compression;

namespace Matchmaker.Core.Import;

/// <summary>
/// Checks an .xlsx (a zip package) against <see cref="WorkbookLimits"/> before the spreadsheet reader opens it.
/// </summary>
/// <remarks>
/// Two passes. First the central directory is walked by hand, so an archive of a hundred thousand entries is refused
/// without building an object per entry, and each entry's declared sizes are held to the limits. The declared sizes
/// can lie, so second every entry is really inflated into a counting sink that stops one byte past its limit: what the
/// reader later inflates from the same bytes is then known to be bounded. Inflating twice costs a fraction of what
/// parsing the XML costs.
/// </remarks>
static class WorkbookArchive
{
    const uint EndOfCentralDirectorySignature = 0x06054b50;
    const uint CentralDirectorySignature = 0x02014b50;
    const int EndOfCentralDirectoryLength = 22;
    const int CentralDirectoryHeaderLength = 46;

    /// <exception cref="SpreadsheetException">The archive exceeds a limit; the message names it.</exception>
    public static void Check(byte[] bytes, string fileName, WorkbookLimits limits)
    {
        var declared = ReadCentralDirectory(bytes, fileName, limits);
        if (declared is null) return; // not a zip the reader can open either; it reports the damage
        long declaredTotal = 0;
        foreach (var (name, compressed, uncompressed) in declared)
        {
            CheckSize(fileName, name, uncompressed, limits);
            CheckRatio(fileName, name, compressed, uncompressed, limits);
            declaredTotal += uncompressed;
            if (declaredTotal > limits.MaxTotalUncompressedBytes) throw TotalTooLarge(fileName, limits);
        }
        Inflate(bytes, fileName, limits);
    }

    /// <summary>(name, compressed size, uncompressed size) of every entry, or null when there is no central directory.</summary>
    static List<(string Name, long Compressed, long Uncompressed)>? ReadCentralDirectory(byte[] bytes, string fileName,
        WorkbookLimits limits)
    {
        var span = bytes.AsSpan();
        var end = -1;
        for (var i = span.Length - EndOfCentralDirectoryLength; i >= 0 && i >= span.Length - EndOfCentralDirectoryLength - 0xFFFF; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(span[i..]) == EndOfCentralDirectorySignature) { end = i; break; }
        if (end < 0) return null;
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(span[(end + 16)..]);
        if (offset == uint.MaxValue)
            throw new SpreadsheetException(Invariant($"file '{fileName}' is a ZIP64 archive, which no workbook within the ") +
                "upload limit needs; open it in Excel and save it as .xlsx");
        var entries = new List<(string, long, long)>();
        var position = (long)offset;
        while (position + CentralDirectoryHeaderLength <= span.Length
               && BinaryPrimitives.ReadUInt32LittleEndian(span[(int)position..]) == CentralDirectorySignature)
        {
            if (entries.Count == limits.MaxEntries)
                throw new SpreadsheetException((
                    Invariant($"file '{fileName}' has more than {limits.MaxEntries:N0} entries in its archive, the limit for a ") +
                    "workbook (Excel writes about 20); it is not an ordinary spreadsheet"));
            var header = span[(int)position..];
            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            var uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            var nameBytes = header[CentralDirectoryHeaderLength..].Length >= nameLength
                ? header.Slice(CentralDirectoryHeaderLength, nameLength)
                : [];
            // 0xFFFFFFFF means "see the ZIP64 extra field"; taken at face value it is over every limit, as it should be.
            entries.Add((System.Text.Encoding.UTF8.GetString(nameBytes), compressed, uncompressed));
            position += CentralDirectoryHeaderLength + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    static void Inflate(byte[] bytes, string fileName, WorkbookLimits limits)
    {
        ZipArchive archive;
        try { archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read); }
        catch (InvalidDataException) { return; } // the reader reports the damage in its own words
        using (archive)
        {
            var buffer = new byte[81920];
            long total = 0;
            foreach (var entry in archive.Entries)
            {
                var limit = LimitFor(entry.FullName, limits);
                long inflated = 0;
                try
                {
                    using var content = entry.Open();
                    int read;
                    while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        inflated += read;
                        total += read;
                        if (inflated > limit) CheckSize(fileName, entry.FullName, inflated, limits);
                        if (total > limits.MaxTotalUncompressedBytes) throw TotalTooLarge(fileName, limits);
                    }
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
                {
                    continue; // damaged or unsupported: the reader fails on it the same way if it needs it
                }
                CheckRatio(fileName, entry.FullName, entry.CompressedLength, inflated, limits);
                if (inflated != entry.Length)
                    throw new SpreadsheetException((
                        Invariant($"file '{fileName}' is damaged: its part '{entry.FullName}' expands to {inflated:N0} bytes ") +
                        Invariant($"but its archive directory says {entry.Length:N0}; open it in Excel and save it again")));
            }
        }
    }

    static long LimitFor(string name, WorkbookLimits limits) => Kind(name) switch
    {
        PartKind.SharedStrings => limits.MaxSharedStringsBytes,
        PartKind.Sheet => limits.MaxSheetPartBytes,
        _ => limits.MaxOtherPartBytes,
    };

    static void CheckSize(string fileName, string name, long uncompressed, WorkbookLimits limits)
    {
        var limit = LimitFor(name, limits);
        if (uncompressed <= limit) return;
        var what = Kind(name) switch
        {
            PartKind.SharedStrings => "the shared-strings part",
            PartKind.Sheet => "a worksheet part",
            _ => "a part",
        };
        throw new SpreadsheetException((
            Invariant($"file '{fileName}' is refused: its part '{name}' expands to more than {FormatBytes(limit)}, the limit ") +
            Invariant($"for {what} (it declares {uncompressed:N0} bytes); split the data into smaller files")));
    }

    static void CheckRatio(string fileName, string name, long compressed, long uncompressed, WorkbookLimits limits)
    {
        if (uncompressed <= limits.RatioGraceBytes) return;
        var ratio = uncompressed / (double)Math.Max(compressed, 1);
        if (ratio <= limits.MaxCompressionRatio) return;
        throw new SpreadsheetException((
            Invariant($"file '{fileName}' is refused: its part '{name}' expands {ratio:N0} times ({compressed:N0} to ") +
            Invariant($"{uncompressed:N0} bytes), more than the limit of {limits.MaxCompressionRatio:N0} times; a spreadsheet ") +
            "compresses far less, so it is likely a decompression bomb or a sheet formatted down to its last row"));
    }

    static SpreadsheetException TotalTooLarge(string fileName, WorkbookLimits limits) => new((
        Invariant($"file '{fileName}' is refused: its parts expand to more than {FormatBytes(limits.MaxTotalUncompressedBytes)} ") +
        "in total, the limit for a workbook; split the data into smaller files"));

    enum PartKind { SharedStrings, Sheet, Other }

    static PartKind Kind(string name)
    {
        var normal = name.Replace('\\', '/').TrimStart('/');
        if (normal.EndsWith("sharedStrings.xml", StringComparison.OrdinalIgnoreCase)) return PartKind.SharedStrings;
        if (normal.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase)) return PartKind.Sheet;
        return PartKind.Other;
    }

    static string FormatBytes(long bytes) => bytes % (1024 * 1024) == 0
        ? (Invariant($"{bytes / (1024 * 1024)} MB"))
        : (Invariant($"{bytes:N0} bytes"));

    }
