using System.Diagnostics;
using System.Globalization;
using Matchmaker.Core.Import;
using Matchmaker.Core.Tests.Import;

// Each case runs in a child process of its own, so its peak resident memory (VmHWM) is its own and not the high-water
// mark of building the bombs or of an earlier case. The child reads the file (at most 10 MB) before measuring.
if (args is ["--one", var path, var kindName])
{
    var bytes = File.ReadAllBytes(path);
    GC.Collect();
    var before = PeakResidentBytes();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    var result = ParticipantImport.Read(Enum.Parse<ParticipantKind>(kindName), new MemoryStream(bytes), Path.GetFileName(path));
    clock.Stop();
    var outcome = result.Errors.Count == 0
        ? $"imported {result.Smes.Count + result.Buyers.Count + result.Demands.Count:N0} rows"
        : "refused: " + result.Errors[0].Message;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{clock.Elapsed.TotalMilliseconds,8:N0} ms | peak RSS {PeakResidentBytes() / 1048576.0,6:N1} MB (runtime alone {before / 1048576.0:N1} MB) | " +
        $"allocated {(GC.GetTotalAllocatedBytes(true) - allocatedBefore) / 1048576.0,8:N1} MB | {outcome}"));
    return 0;
}

var directory = Directory.CreateTempSubdirectory("import-bench-");
(string Name, ParticipantKind Kind, Func<byte[]> Build)[] cases =
[
    ("largest valid file: 20,000 SME rows", ParticipantKind.Smes, () => WorkbookBombs.LargestValidSmes()),
    ("sheet of 300 MB of empty rows", ParticipantKind.Buyers, () => WorkbookBombs.EmptyRows(30_000_000)),
    ("same, directory claiming 1 MB", ParticipantKind.Buyers,
        () => WorkbookBombs.LyingAboutSize(WorkbookBombs.EmptyRows(30_000_000), "xl/worksheets/sheet1.xml", 1 << 20)),
    ("one shared string of 1.2 GB", ParticipantKind.Buyers, () => WorkbookBombs.HugeSharedString(400_000_000)),
    ("shared strings of 11 MB", ParticipantKind.Buyers, () => WorkbookBombs.HugeSharedString(3_700_000)),
    ("20,000 archive entries", ParticipantKind.Buyers, () => WorkbookBombs.ManyEntries(20_000)),
    ("5 MB part at 1,000:1", ParticipantKind.Buyers, () => WorkbookBombs.HighRatio(5 * 1024 * 1024)),
    ("150,000 numbered empty rows", ParticipantKind.Buyers, () => WorkbookBombs.EmptyRows(150_000, numbered: true)),
    ("one row on Excel's last row", ParticipantKind.Buyers, () => WorkbookBombs.FarRow(1_048_576)),
];
Console.WriteLine($"Import bench, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
foreach (var (name, kind, build) in cases)
{
    var file = Path.Combine(directory.FullName, "case.xlsx");
    var bytes = build();
    File.WriteAllBytes(file, bytes);
    var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
    {
        ArgumentList = { "--one", file, kind.ToString() },
        RedirectStandardOutput = true,
    })!;
    var line = child.StandardOutput.ReadToEnd().TrimEnd();
    child.WaitForExit();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-38} {bytes.Length / 1024.0,8:N0} KB | {line}"));
}
directory.Delete(recursive: true);
return 0;

static long PeakResidentBytes()
{
    // Linux: VmHWM is the peak resident set size of this process.
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    return -1;
}
