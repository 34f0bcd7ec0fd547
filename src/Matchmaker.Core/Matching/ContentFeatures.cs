using System.Globalization;
using Matchmaker.Core.Reference;

namespace Matchmaker.Core.Matching;

/// <summary>One SME's content components against every demand (one slot per demand); reused across SMEs.</summary>
public sealed class FeatureRow
{
    public FeatureRow(int demands)
    {
        Text = new float[demands]; Level = new byte[demands]; Certification = new float[demands];
        CertificationMissing = new bool[demands]; Region = new float[demands]; Size = new float[demands];
    }

    public float[] Text { get; }
    /// <summary>KSIC agreement level 0–5; the profile's closeness turns it into a value.</summary>
    public byte[] Level { get; }
    public float[] Certification { get; }
    /// <summary>A required certification is missing (the hard filter's test).</summary>
    public bool[] CertificationMissing { get; }
    public float[] Region { get; }
    public float[] Size { get; }
    /// <summary>The SME's export value, the same against every demand.</summary>
    public float Export { get; set; }
}

/// <summary>
/// The content side prepared once for a set of SMEs and demands: the demands' inverted text index (with the KSIC
/// explanatory notes of their codes), parsed codes, certification and region ids. <see cref="ComputeRow"/> then fills
/// one SME's components against all demands; it allocates nothing per pair and may run on several threads at once.
/// </summary>
public sealed class ContentFeatures
{
    readonly IReadOnlyList<SmeDoc> _smes;
    readonly IReadOnlyList<DemandDoc> _demands;
    readonly KsicCatalog _catalog;
    readonly float _notesWeight;
    // Notes are reference data: tokenized once per process and catalogue, shared by every scoring run.
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<KsicCatalog, Dictionary<string, TermBag>> NotesCache = new();
    readonly Dictionary<string, TermBag> _notes;
    readonly IndustryCode[][] _demandCodes;
    // The demands' codes' sections, flattened (CSR by demand).
    readonly int[] _codeStart;
    readonly char[] _codeSection;
    // Demands by code prefix at each level 2–5: an SME's KSIC levels touch only the demands sharing a prefix with it.
    readonly Dictionary<long, int[]> _demandsByPrefix;
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _sectionRows = new(StringComparer.Ordinal);

    static long PrefixKey(int level, int prefix) => level * 1_000_000L + prefix;

    /// <summary>1 for each demand with a code in one of these sections, else 0.</summary>
    byte[] SectionRow(string sections) => _sectionRows.GetOrAdd(sections, key =>
    {
        var row = new byte[_demands.Count];
        for (var d = 0; d < row.Length; d++)
            for (var c = _codeStart[d]; c < _codeStart[d + 1]; c++)
                if (key.Contains(_codeSection[c])) { row[d] = 1; break; }
        return row;
    });
    readonly int[][] _demandRequired;
    readonly int[][] _demandPreferred;
    readonly int[] _buyerRegion;
    readonly float[] _demandMinEmployees;
    readonly Dictionary<string, int> _certIds = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _regionIds = new(StringComparer.Ordinal);

    public ContentFeatures(IReadOnlyList<SmeDoc> smes, IReadOnlyList<DemandDoc> demands, IReadOnlyList<BuyerDoc> buyers,
        double ksicNotesWeight, KsicCatalog catalog)
    {
        _smes = smes; _demands = demands; _catalog = catalog; _notesWeight = (float)ksicNotesWeight;
        _notes = NotesCache.GetValue(catalog, _ => new Dictionary<string, TermBag>(StringComparer.Ordinal));
        var bags = new TermBag[demands.Count];
        for (var d = 0; d < demands.Count; d++) bags[d] = DemandBag(demands[d]);
        Index = TextIndex.Build(bags);
        _demandCodes = demands.Select(d => ParseCodes(d.KsicCodes)).ToArray();
        _codeStart = new int[demands.Count + 1];
        for (var d = 0; d < demands.Count; d++) _codeStart[d + 1] = _codeStart[d] + _demandCodes[d].Length;
        _codeSection = new char[_codeStart[^1]];
        for (var d = 0; d < demands.Count; d++)
            for (var j = 0; j < _demandCodes[d].Length; j++)
            {
                var at = _codeStart[d] + j;
                _codeSection[at] = _demandCodes[d][j].Section;
            }
        var byPrefix = new Dictionary<long, List<int>>();
        for (var d = 0; d < demands.Count; d++)
            foreach (var code in _demandCodes[d])
                for (var level = 2; level <= code.Digits; level++)
                {
                    var key = PrefixKey(level, code.Padded / Pow10(5 - level));
                    if (!byPrefix.TryGetValue(key, out var list)) byPrefix[key] = list = [];
                    if (list.Count == 0 || list[^1] != d) list.Add(d);
                }
        _demandsByPrefix = byPrefix.ToDictionary(p => p.Key, p => p.Value.ToArray());
        _demandRequired = demands.Select(d => d.RequiredCertifications.Select(c => CertId(c, add: true)).Distinct().ToArray()).ToArray();
        _demandPreferred = demands.Select(d => d.PreferredRegions.Select(r => RegionId(r, add: true)).ToArray()).ToArray();
        var buyerRegions = buyers.ToDictionary(b => b.Id, b => b.Region is null ? -1 : RegionId(b.Region, add: true));
        _buyerRegion = demands.Select(d => buyerRegions.GetValueOrDefault(d.BuyerId, -1)).ToArray();
        _demandMinEmployees = demands.Select(d => MinEmployees(d.BudgetBand)).ToArray();
    }

    public TextIndex Index { get; }
    public int SmeCount => _smes.Count;
    public int DemandCount => _demands.Count;

    TermBag DemandBag(DemandDoc d)
    {
        var bag = new TermBag { Text = new() };
        KoreanText.Tokenize(d.Title, 2f, bag);
        KoreanText.Tokenize(d.Description, 1f, bag);
        foreach (var code in d.KsicCodes) bag.AddAll(Notes(code), _notesWeight);
        return bag;
    }

    /// <summary>The SME's text vector: description, keywords (twice the weight) and its codes' explanatory notes.</summary>
    public TermVector SmeVector(int sme)
    {
        var s = _smes[sme];
        var bag = new TermBag();
        KoreanText.Tokenize(s.Description, 1f, bag);
        foreach (var keyword in s.Keywords) KoreanText.Tokenize(keyword, 2f, bag);
        foreach (var code in s.KsicCodes) bag.AddAll(Notes(code), _notesWeight);
        return Index.Vectorize(bag);
    }

    /// <summary>The terms of a code's name and explanatory notes (description and 예시 items), tokenized once per code.</summary>
    TermBag Notes(string code)
    {
        lock (_notes)
        {
            if (_notes.TryGetValue(code, out var bag)) return bag;
            var found = _catalog.Find(code.Trim().TrimStart('C', 'c'));
            bag = new TermBag { Text = new() };
            if (found is not null) KoreanText.Tokenize($"{found.NameKo} {found.Description} {found.Examples}", 1f, bag);
            return _notes[code] = bag;
        }
    }

    IndustryCode[] ParseCodes(IReadOnlyList<string> codes) =>
        codes.Select(c => IndustryCode.Parse(c, _catalog)).OfType<IndustryCode>().ToArray();

    public IndustryCode[] SmeCodes(int sme) => ParseCodes(_smes[sme].KsicCodes);
    public IndustryCode[] DemandCodes(int demand) => _demandCodes[demand];

    static string NormaliseCertification(string name) =>
        new string(name.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();

    int CertId(string name, bool add)
    {
        var key = NormaliseCertification(name);
        lock (_certIds)
        {
            if (_certIds.TryGetValue(key, out var id)) return id;
            if (!add) return -1;
            return _certIds[key] = _certIds.Count;
        }
    }

    int RegionId(string name, bool add)
    {
        var key = name.Trim();
        lock (_regionIds)
        {
            if (_regionIds.TryGetValue(key, out var id)) return id;
            if (!add) return -1;
            return _regionIds[key] = _regionIds.Count;
        }
    }

    /// <summary>A rough team size a budget calls for: two people per 100 million won (억), 1–50; 0 when unknown.</summary>
    public static float MinEmployees(string? budgetBand)
    {
        if (string.IsNullOrWhiteSpace(budgetBand)) return 0;
        var most = 0.0;
        var text = budgetBand.Replace(",", "", StringComparison.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) continue;
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            var number = double.Parse(text[start..i], CultureInfo.InvariantCulture);
            var unit = text[i..];
            var eok = unit.StartsWith("천만", StringComparison.Ordinal) ? number / 10
                : unit.StartsWith("백만", StringComparison.Ordinal) ? number / 100
                : unit.StartsWith("만", StringComparison.Ordinal) ? number / 10_000
                : unit.StartsWith("조", StringComparison.Ordinal) ? number * 10_000
                : number; // 억, or a bare number read as 억
            most = Math.Max(most, eok);
        }
        return most <= 0 ? 0 : (float)Math.Clamp(2 * most, 1, 50);
    }

    static int Pow10(int n) => n switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => 10000 };

    /// <summary>Fills <paramref name="row"/> with SME <paramref name="sme"/>'s components against every demand.</summary>
    public void ComputeRow(int sme, TermVector smeVector, FeatureRow row)
    {
        var s = _smes[sme];
        Array.Clear(row.Text);
        Index.Accumulate(smeVector, row.Text);
        var codes = SmeCodes(sme);
        // KSIC level: 1 for a shared section (cached per section set), then raised through the prefix postings.
        var levels = row.Level;
        SectionRow(new string(codes.Select(c => c.Section).Distinct().Order().ToArray())).CopyTo(levels, 0);
        foreach (var code in codes)
            for (var level = 2; level <= code.Digits; level++)
                if (_demandsByPrefix.TryGetValue(PrefixKey(level, code.Padded / Pow10(5 - level)), out var matching))
                    foreach (var d in matching)
                        if (levels[d] < level) levels[d] = (byte)level;
        Span<int> held = stackalloc int[Math.Max(1, s.Certifications.Count)];
        var heldCount = 0;
        foreach (var c in s.Certifications)
        {
            var id = CertId(c, add: false);
            if (id >= 0) held[heldCount++] = id;
        }
        held = held[..heldCount];
        var region = s.Region is null ? -1 : RegionId(s.Region, add: false);
        var knownRegion = !string.IsNullOrWhiteSpace(s.Region);
        row.Export = s.ExportRecord switch { true => 1f, false => 0f, null => 0.5f };
        // Region and certification rows depend only on the SME's region and certification set: many SMEs share them.
        RegionRow(knownRegion ? region : -2).CopyTo(row.Region, 0);
        var (certification, missing) = CertificationRow(held);
        certification.CopyTo(row.Certification, 0);
        missing.CopyTo(row.CertificationMissing, 0);
        var employees = s.Employees;
        var minEmployees = _demandMinEmployees;
        var text = row.Text;
        var size = row.Size;
        for (var d = 0; d < text.Length; d++)
        {
            text[d] = Math.Clamp(text[d], 0f, 1f);
            var min = minEmployees[d];
            size[d] = min <= 0 || employees is null ? 0.5f : Math.Min(1f, employees.Value / min);
        }
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<int, float[]> _regionRows = new();
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (float[], bool[])> _certificationRows = new(StringComparer.Ordinal);

    /// <summary>Region value against every demand for an SME region id (−1 a region no demand or buyer names, −2 unknown).</summary>
    float[] RegionRow(int region) => _regionRows.GetOrAdd(region, r =>
    {
        var values = new float[_demands.Count];
        for (var d = 0; d < values.Length; d++)
        {
            var preferred = _demandPreferred[d];
            var sameAsBuyer = r >= 0 && r == _buyerRegion[d];
            values[d] = r == -2 ? 0.25f
                : preferred.Length > 0 ? (r >= 0 && preferred.AsSpan().Contains(r) ? 1f : sameAsBuyer ? 0.5f : 0f)
                : sameAsBuyer ? 0.75f : 0.5f;
        }
        return values;
    });

    /// <summary>Share of each demand's required certifications held, and whether one is missing, for a set of held ids.</summary>
    (float[] Values, bool[] Missing) CertificationRow(ReadOnlySpan<int> held)
    {
        Span<int> sorted = stackalloc int[held.Length];
        held.CopyTo(sorted);
        sorted.Sort();
        var key = string.Join(',', sorted.ToArray());
        if (_certificationRows.TryGetValue(key, out var cached)) return cached;
        var values = new float[_demands.Count];
        var missing = new bool[_demands.Count];
        for (var d = 0; d < values.Length; d++)
        {
            var required = _demandRequired[d];
            if (required.Length == 0) { values[d] = 1f; continue; }
            var have = 0;
            foreach (var r in required) if (sorted.Contains(r)) have++;
            values[d] = (float)have / required.Length;
            missing[d] = have < required.Length;
        }
        // Bounded: a pool with very many distinct certification sets computes the rest without caching them.
        if (_certificationRows.Count < 4096) _certificationRows.TryAdd(key, (values, missing));
        return (values, missing);
    }

    /// <summary>The required certifications of a demand that the SME lacks, as the demand names them.</summary>
    public IReadOnlyList<string> MissingCertifications(int sme, int demand)
    {
        var held = _smes[sme].Certifications.Select(NormaliseCertification).ToHashSet(StringComparer.Ordinal);
        return _demands[demand].RequiredCertifications.Where(c => !held.Contains(NormaliseCertification(c))).ToList();
    }
}
