using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExcelDataReader;
using Matchmaker.Core.Export;
using MiniExcelLibs;

// Usage: Matchmaker.XlsxBench write FILE [ROWS]            the SME sheet of ROWS rows (default 20,000), 12 Korean columns
//        Matchmaker.XlsxBench read edr|miniexcel FILE [RUNS]  reads FILE RUNS times (default 5) in this process and prints
//        one line: reader, rows, cells, median and best wall ms, median CPU ms (all threads, GC included), allocated MB per read, peak working set MB of the process.
// Run each reader in its own process (bench/xlsx/run.sh does, interleaved) so that the peak working set is its own.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
switch (args)
{
    case ["write", var file, .. var rest]:
        var rows = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 20_000;
        var watch = Stopwatch.StartNew();
        var bytes = XlsxExport.ToBytes(SmeSheet(rows));
        File.WriteAllBytes(file, bytes);
        Console.WriteLine($"wrote {rows:N0} rows, {bytes.Length / 1024.0 / 1024.0:F2} MB in {watch.ElapsedMilliseconds} ms (XlsxExport, MiniExcel)");
        return 0;
    case ["read", var reader, var file, .. var rest]:
        var runs = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 5;
        var content = File.ReadAllBytes(file); // the product reads the upload into memory first, too (10 MB at most)
        Func<byte[], (int Rows, long Cells)> read = reader switch
        {
            "edr" => ReadWithExcelDataReader,
            "miniexcel" => ReadWithMiniExcel,
            _ => throw new ArgumentException("reader must be edr or miniexcel"),
        };
        read(content); // warm-up: JIT, code pages
        var times = new List<double>();
        var allocated = new List<double>();
        var cpu = new List<double>();
        (int Rows, long Cells) result = default;
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            result = read(content);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / 1024.0);
        }
        times.Sort();
        cpu.Sort();
        Process.GetCurrentProcess().Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reader,-9} rows {result.Rows:N0} cells {result.Cells:N0}  median {times[times.Count / 2]:F0} ms  best {times[0]:F0} ms  CPU {cpu[cpu.Count / 2]:F0} ms  " +
            $"allocated {allocated.Average():F0} MB/read  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB"));
        return 0;
    default:
        Console.Error.WriteLine("usage: write FILE [ROWS] | read edr|miniexcel FILE [RUNS]");
        return 2;
}

// The same work as SpreadsheetReader: every row's cells as text, row by row.
static (int, long) ReadWithExcelDataReader(byte[] content)
{
    using var reader = ExcelReaderFactory.CreateReader(new MemoryStream(content, writable: false));
    var (rows, cells) = (0, 0L);
    while (reader.Read())
    {
        rows++;
        for (var i = 0; i < reader.FieldCount; i++) cells += Text(reader.GetValue(i)).Length > 0 ? 1 : 0;
    }
    return (rows, cells);
}

static (int, long) ReadWithMiniExcel(byte[] content)
{
    var (rows, cells) = (0, 0L);
    foreach (IDictionary<string, object?> row in MiniExcel.Query(new MemoryStream(content, writable: false), useHeaderRow: false))
    {
        rows++;
        foreach (var value in row.Values) cells += Text(value).Length > 0 ? 1 : 0;
    }
    return (rows, cells);
}

static string Text(object? value) => value switch
{
    null => "",
    string s => s,
    double d => d.ToString("R", CultureInfo.InvariantCulture),
    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
    _ => value.ToString() ?? "",
};

static XlsxSheet SmeSheet(int rows)
{
    string[] header = ["사업자등록번호", "기업명", "대표자", "지역", "업종코드", "주요제품", "기술소개", "인증", "종업원수", "매출액(백만원)", "수출실적", "담당자 이메일"];
    string[] regions = ["부산", "울산", "경남", "대구", "경북", "서울"];
    string[] products = ["사출금형", "선박용 밸브", "원전 계측기", "전력반도체 모듈", "의료용 센서", "스마트팩토리 MES"];
    var list = new List<IReadOnlyList<object?>> { header };
    for (var i = 0; i < rows; i++)
        list.Add([
            (1_000_000_000L + i * 7919L).ToString(CultureInfo.InvariantCulture), $"㈜부산정밀{i}", $"김대표{i % 97}", regions[i % regions.Length],
            $"C{25000 + i % 900}", products[i % products.Length], $"{products[(i + 1) % products.Length]} 제조, 품질 인증 보유, 납품 실적 {i % 40}건",
            i % 3 == 0 ? "ISO 9001; KEPIC" : "ISO 9001", 5 + i % 300, 100.5 + i % 10_000, i % 4 == 0, $"sales{i}@example.invalid",
        ]);
    return new XlsxSheet("참가기업", list);
}
