using static System.FormattableString;

namespace Matchmaker.Core.Import;

/// <summary>
/// Reads and validates one participant file into typed rows, all-or-nothing (docs/import-format.md). Nothing is thrown
/// for bad input: every problem comes back in <see cref="ImportResult.Errors"/> with its row and column.
/// </summary>
public static class ParticipantImport
{
    static readonly IReadOnlyDictionary<string, string> BuyerKinds = ChoiceMap(
        ("large_firm", ["대기업", "large firm"]),
        ("mid_size", ["중견기업", "중견", "mid-size firm", "midsize"]),
        ("public_enterprise", ["공기업"]),
        ("public_institution", ["공공기관"]),
        ("hospital", ["병원"]),
        ("university", ["대학", "대학교"]),
        ("research_institute", ["연구기관", "연구소"]));

    const string BuyerKindsAllowed = "large_firm/대기업, mid_size/중견기업, public_enterprise/공기업, " +
        "public_institution/공공기관, hospital/병원, university/대학, research_institute/연구기관";

    static readonly IReadOnlyDictionary<string, string> Languages = ChoiceMap(
        ("ko", ["한국어", "한국말", "국문", "korean", "kor", "한"]),
        ("en", ["영어", "영문", "english", "eng", "영"]));

    const string LanguagesAllowed = "ko/한국어, en/영어";

    /// <summary>Reads <paramref name="stream"/> (a .csv, .xlsx or .xls named <paramref name="fileName"/>) as rows of <paramref name="kind"/>.</summary>
    public static ImportResult Read(ParticipantKind kind, Stream stream, string fileName, ImportOptions? options = null)
    {
        options ??= ImportOptions.Default;
        SpreadsheetTable table;
        try
        {
            table = SpreadsheetReader.Read(stream, fileName, options.MaxBytes, options.MaxRows, options.Workbook);
        }
        catch (SpreadsheetException e)
        {
            return ImportResult.Failed(kind, [ImportIssue.OfFile(e.Row, "import.file_unreadable", e.Message)], [], "");
        }
        return Validate(kind, table, options);
    }

    /// <summary>Validates a table already read by <see cref="SpreadsheetReader"/>.</summary>
    public static ImportResult Validate(ParticipantKind kind, SpreadsheetTable table, ImportOptions? options = null)
    {
        options ??= ImportOptions.Default;
        var errors = new List<ImportIssue>();
        var warnings = new List<ImportIssue>();
        var columns = MapHeader(kind, table, errors, warnings);
        if (table.Rows.Count > options.MaxRows)
            errors.Add(ImportIssue.OfFile(0, "import.too_many_rows", Invariant($"{table.Rows.Count:N0}"), Invariant($"{options.MaxRows:N0}")));

        var buyers = new List<BuyerRow>();
        var demands = new List<DemandRow>();
        var smes = new List<SmeRow>();
        var firstRowOfKey = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in table.Rows)
        {
            if (errors.Count >= options.MaxErrors)
            {
                errors.Add(ImportIssue.OfFile(row.Number, "import.stopped", Invariant($"{options.MaxErrors:N0}")));
                break;
            }
            var cells = new RowCells(row, columns, errors, options, table.Header);
            CheckWidth(row, table.Header.Count, cells);
            // Keys are checked even on rows with other errors, so a repeated id is reported in the same pass.
            switch (kind)
            {
                case ParticipantKind.Buyers:
                    var buyer = ReadBuyer(cells);
                    if (Unique(cells, "buyer_id", buyer.BuyerId, firstRowOfKey) && cells.Clean) buyers.Add(buyer);
                    break;
                case ParticipantKind.Demands:
                    var demand = ReadDemand(cells, options);
                    if (Unique(cells, "demand_id", demand.DemandId, firstRowOfKey) && cells.Clean) demands.Add(demand);
                    break;
                default:
                    var sme = ReadSme(cells);
                    if (Unique(cells, "business_number", sme.BusinessNumber, firstRowOfKey) && cells.Clean) smes.Add(sme);
                    break;
            }
        }
        return errors.Count > 0
            ? ImportResult.Failed(kind, errors, warnings, table.Format)
            : new ImportResult(kind, buyers, demands, smes, [], warnings, table.Format);
    }

    /// <summary>Maps each known column to its cell index; reports missing, repeated and unknown columns.</summary>
    static Dictionary<string, int> MapHeader(ParticipantKind kind, SpreadsheetTable table, List<ImportIssue> errors,
        List<ImportIssue> warnings)
    {
        var byKey = new Dictionary<string, ImportColumn>();
        foreach (var column in ImportColumns.For(kind))
        {
            byKey[ImportColumns.Key(column.Name)] = column;
            byKey[ImportColumns.Key(column.KoreanName)] = column;
            foreach (var alias in column.Aliases) byKey[ImportColumns.Key(alias)] = column;
        }
        var map = new Dictionary<string, int>();
        for (var i = 0; i < table.Header.Count; i++)
        {
            var header = table.Header[i].Trim();
            if (ImportColumns.Key(header) is var key && key.Length == 0)
            {
                if (table.Rows.Any(r => !string.IsNullOrWhiteSpace(r[i])))
                    warnings.Add(ImportIssue.OfFile(0, "import.column_without_header", i + 1));
                continue;
            }
            if (!byKey.TryGetValue(key, out var column))
            {
                if (ImportColumns.Retired.TryGetValue(key, out var instead))
                {
                    warnings.Add(ImportIssue.Of(0, header, instead, header, header));
                    continue;
                }
                warnings.Add(ImportIssue.Of(0, header, "import.unknown_column", header, header));
                continue;
            }
            if (map.TryGetValue(column.Name, out var earlier))
            {
                errors.Add(ImportIssue.Of(0, header, "import.column_twice", $"{column.Name} ({column.KoreanName})",
                    $"{column.KoreanName}({column.Name})", table.Header[earlier].Trim(), earlier + 1, header, i + 1));
                continue;
            }
            map[column.Name] = i;
        }
        var missing = ImportColumns.For(kind).Where(c => c.Required && !map.ContainsKey(c.Name)).ToList();
        if (missing.Count > 0)
        {
            var other = LooksLike(kind, byKeyOf: table.Header);
            foreach (var column in missing)
                errors.Add(other is null
                    ? ImportIssue.Of(0, column.Name, "import.column_missing", $"{column.Name} ({column.KoreanName})", $"{column.KoreanName}({column.Name})")
                    : ImportIssue.Of(0, column.Name, "import.column_missing_other_kind", $"{column.Name} ({column.KoreanName})",
                        $"{column.KoreanName}({column.Name})", other.Value.Name(), kind.Name()));
        }
        return map;
    }

    /// <summary>Another kind whose required columns are all in the header, to explain a file uploaded as the wrong kind.</summary>
    static ParticipantKind? LooksLike(ParticipantKind kind, IReadOnlyList<string> byKeyOf)
    {
        var keys = byKeyOf.Select(ImportColumns.Key).ToHashSet();
        foreach (var other in Enum.GetValues<ParticipantKind>())
        {
            if (other == kind) continue;
            if (ImportColumns.For(other).Where(c => c.Required)
                .All(c => keys.Contains(ImportColumns.Key(c.Name)) || keys.Contains(ImportColumns.Key(c.KoreanName))))
                return other;
        }
        return null;
    }

    /// <summary>Values beyond the header almost always mean a delimiter inside an unquoted value shifted the row.</summary>
    static void CheckWidth(SpreadsheetRow row, int headerWidth, RowCells cells)
    {
        var extra = row.Cells.Skip(headerWidth).Count(c => !string.IsNullOrWhiteSpace(c));
        if (extra > 0)
            cells.Error("", extra == 1 ? "import.row_too_wide_one" : "import.row_too_wide", extra, headerWidth);
    }

    static bool Unique(RowCells cells, string column, string key, Dictionary<string, int> firstRowOfKey)
    {
        if (key.Length == 0 || firstRowOfKey.TryAdd(key, cells.Row)) return true;
        cells.Error(column, "import.repeated_key", key, firstRowOfKey[key]);
        return false;
    }

    static BuyerRow ReadBuyer(RowCells c)
    {
        var row = new BuyerRow(c.Row,
            BuyerId: c.Id("buyer_id") ?? "",
            Name: c.Text("name", 100, required: true) ?? "",
            BusinessNumber: c.BusinessNumber("business_number", required: false),
            Kind: c.Choice("kind", BuyerKinds, BuyerKindsAllowed),
            Sector: c.Text("sector", 100),
            KsicCodes: c.Ksic("ksic_codes", required: false),
            Region: c.Text("region", 40),
            MeetingCap: c.Integer("meeting_cap", 1, 200) ?? 14,
            Tables: c.Integer("tables", 1, 10) ?? 1,
            Hall: c.Text("hall", 20),
            UnavailableSlots: c.Slots("unavailable_slots"),
            ContactName: null, ContactEmail: null, ContactMobile: null, Language: "ko", OptedOut: false);
        var (name, email, mobile, language, optedOut) = ReadContact(c);
        return row with { ContactName = name, ContactEmail = email, ContactMobile = mobile, Language = language, OptedOut = optedOut };
    }

    static DemandRow ReadDemand(RowCells c, ImportOptions options)
    {
        var buyerId = c.Id("buyer_id");
        if (buyerId is not null && options.KnownBuyerIds is { } known)
        {
            if (RowCells.Canonical(known, buyerId) is { } canonical) buyerId = canonical;
            else c.Error("buyer_id", "import.unknown_buyer", buyerId);
        }
        var row = new DemandRow(c.Row,
            DemandId: c.Id("demand_id") ?? "",
            BuyerId: buyerId ?? "",
            Title: c.Text("title", 200, required: true) ?? "",
            Description: c.Text("description", 4000, multiline: true),
            KsicCodes: c.Ksic("ksic_codes", required: false),
            RequiredCertifications: c.List("required_certifications", 60),
            BudgetBand: c.Text("budget_band", 40),
            Quantity: c.Text("quantity", 60),
            PreferredRegions: c.List("preferred_regions", 40));
        return row;
    }

    static SmeRow ReadSme(RowCells c)
    {
        var row = new SmeRow(c.Row,
            BusinessNumber: c.BusinessNumber("business_number", required: true) ?? "",
            Name: c.Text("name", 100, required: true) ?? "",
            Region: c.Text("region", 40),
            Sector: c.Text("sector", 100),
            Employees: c.Integer("employees", 0, 100_000),
            RevenueBand: c.Text("revenue_band", 40),
            KsicCodes: c.Ksic("ksic_codes", required: true),
            Certifications: c.List("certifications", 60),
            ExportRecord: c.Flag("export_record"),
            Description: c.Text("description", 4000, multiline: true),
            Keywords: c.List("keywords", 60),
            Trl: c.Integer("trl", 1, 9),
            MeetingCap: c.Integer("meeting_cap", 1, 50) ?? 6,
            UnavailableSlots: c.Slots("unavailable_slots"),
            ContactName: null, ContactEmail: null, ContactMobile: null, Language: "ko", OptedOut: false);
        var (name, email, mobile, language, optedOut) = ReadContact(c);
        return row with { ContactName = name, ContactEmail = email, ContactMobile = mobile, Language = language, OptedOut = optedOut };
    }

    /// <summary>
    /// The contact cells, one rule for buyers and SMEs: who to reach, in which language (Korean unless said), and whether to
    /// send mail at all. Read after the row's other cells, which keeps the order in which the report lists a row's problems.
    /// </summary>
    static (string? Name, string? Email, string? Mobile, string Language, bool OptedOut) ReadContact(RowCells c) => (
        c.Text("contact_name", 50),
        c.Email("email"),
        c.Mobile("mobile"),
        c.Choice("language", Languages, LanguagesAllowed) ?? "ko",
        c.Flag("opt_out") ?? false);

    static Dictionary<string, string> ChoiceMap(params (string Value, string[] Aliases)[] choices)
    {
        var map = new Dictionary<string, string>();
        foreach (var (value, aliases) in choices)
        {
            map[RowCells.ChoiceKey(value)] = value;
            foreach (var alias in aliases) map[RowCells.ChoiceKey(alias)] = value;
        }
        return map;
    }
}
