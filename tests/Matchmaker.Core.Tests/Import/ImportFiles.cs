using System.Text;
using Matchmaker.Core.Export;

namespace Matchmaker.Core.Tests.Import;

/// <summary>Builds import files in memory, in the encodings and formats organisers actually upload.</summary>
internal static class ImportFiles
{
    static ImportFiles() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Cp949 => Encoding.GetEncoding(949);

    /// <summary>CSV text, quoting a value only when it needs it, independent of the CsvWriter under test.</summary>
    public static string CsvText(IEnumerable<IReadOnlyList<string>> rows, char delimiter = ',', string newline = "\r\n") =>
        string.Concat(rows.Select(row => string.Join(delimiter, row.Select(cell =>
            cell.IndexOfAny(['"', delimiter, '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell)) + newline));

    public static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    public static byte[] Utf8WithBom(string text) => [0xEF, 0xBB, 0xBF, .. Utf8(text)];

    public static byte[] Cp949Bytes(string text) => Cp949.GetBytes(text);

    public static byte[] Xlsx(params IReadOnlyList<XlsxSheet> sheets) => XlsxExport.ToBytes(sheets);

    public static byte[] Xlsx(IEnumerable<IReadOnlyList<object?>> rows) => XlsxExport.ToBytes(new XlsxSheet("Sheet1", rows.ToList()));

    public static MemoryStream Stream(byte[] bytes) => new(bytes, writable: false);

    /// <summary>A stream that cannot tell its length, like an HTTP request body.</summary>
    public sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        readonly MemoryStream _inner = new(bytes);
        public int BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
