using System.Reflection;

namespace Matchmaker.Core.Reference;

/// <summary>One code of the Korean Standard Industrial Classification, 11th revision (한국표준산업분류).</summary>
/// <param name="Level">1 section (대분류, a letter), 2 division (2 digits), 3 group (3), 4 class (4), 5 subclass (5).</param>
public sealed record KsicCode(string Code, int Level, string NameKo, string NameEn, string? ParentCode, string Section,
    string Description, string Examples);

/// <summary>
/// The KSIC 11th revision with its explanatory notes, shipped with the product as reference data
/// (data/reference/ksic, from Statistics Korea via ../shared/data/ksic; see PROVENANCE.md there).
/// </summary>
public sealed class KsicCatalog
{
    readonly Dictionary<string, KsicCode> _byCode;

    KsicCatalog(Dictionary<string, KsicCode> byCode) => _byCode = byCode;

    public IReadOnlyCollection<KsicCode> Codes => _byCode.Values;

    public bool Contains(string code) => _byCode.ContainsKey(code);

    public KsicCode? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The code and its ancestors, from the code itself up to its section.</summary>
    public IEnumerable<KsicCode> Lineage(string code)
    {
        for (var current = Find(code); current is not null; current = current.ParentCode is null ? null : Find(current.ParentCode))
            yield return current;
    }

    static readonly Lazy<KsicCatalog> Shared = new(LoadEmbedded);

    /// <summary>The catalogue embedded in Matchmaker.Core; loaded once per process.</summary>
    public static KsicCatalog Default => Shared.Value;

    static KsicCatalog LoadEmbedded()
    {
        var assembly = typeof(KsicCatalog).Assembly;
        var notes = ReadCsv(assembly, "ksic11_explanatory_notes.csv")
            .ToDictionary(r => r[0], r => (Description: r[3], Examples: r[4]));
        var codes = new Dictionary<string, KsicCode>(StringComparer.Ordinal);
        foreach (var r in ReadCsv(assembly, "ksic11.csv"))
        {
            var note = notes.GetValueOrDefault(r[0]);
            codes[r[0]] = new KsicCode(r[0], int.Parse(r[1]), r[3], r[4], r[5].Length == 0 ? null : r[5], r[6],
                note.Description ?? "", note.Examples ?? "");
        }
        return new KsicCatalog(codes);
    }

    static IEnumerable<string[]> ReadCsv(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        foreach (var record in SimpleCsv.Read(reader).Skip(1)) yield return record;
    }
}
