namespace Matchmaker.Core.Import;

/// <summary>One column of an import file: its English and Korean header, whether it must be present, and other headers
/// that mean the same column (earlier template versions, common spellings).</summary>
public sealed record ImportColumn(string Name, string KoreanName, bool Required, params string[] Aliases);

/// <summary>The columns of each kind of import file, in template order (docs/import-format.md).</summary>
public static class ImportColumns
{
    /// <summary>Who to reach at the participant for this event, in which language, and whether it wants mail at all.</summary>
    static readonly ImportColumn[] ContactColumns =
    [
        new("contact_name", "담당자", false, "담당자명", "담당자 성명"),
        new("email", "이메일", false, "contact_email", "e-mail", "이메일주소", "전자우편"),
        new("mobile", "휴대전화", false, "contact_mobile", "mobile_phone", "휴대전화번호", "휴대폰", "휴대폰번호", "핸드폰"),
        new("language", "언어", false, "preferred_language", "선호언어"),
        new("opt_out", "수신거부", false, "opted_out", "수신 거부"),
    ];

    /// <summary>
    /// Headers of earlier templates that are no longer read, with what to do instead; the column is ignored with this
    /// warning rather than silently.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Retired { get; } = new Dictionary<string, string>
    {
        [Key("contact_phone")] = "give mobile numbers in the mobile (휴대전화) column",
        [Key("연락처")] = "give mobile numbers in the mobile (휴대전화) column",
    };

    public static IReadOnlyList<ImportColumn> Buyers { get; } =
    [
        new("buyer_id", "구매기업ID", true),
        new("name", "기업명", true),
        new("business_number", "사업자등록번호", false),
        new("kind", "기업유형", false),
        new("sector", "업종", false),
        new("ksic_codes", "산업분류코드", false),
        new("region", "지역", false),
        new("meeting_cap", "상담가능건수", false),
        new("tables", "테이블수", false),
        new("hall", "상담홀", false),
        new("unavailable_slots", "불참시간", false),
        .. ContactColumns,
    ];

    public static IReadOnlyList<ImportColumn> Demands { get; } =
    [
        new("demand_id", "수요ID", true),
        new("buyer_id", "구매기업ID", true),
        new("title", "수요명", true),
        new("description", "수요내용", false),
        new("ksic_codes", "산업분류코드", false),
        new("required_certifications", "필수인증", false),
        new("budget_band", "예산규모", false),
        new("quantity", "수량", false),
        new("preferred_regions", "선호지역", false),
    ];

    public static IReadOnlyList<ImportColumn> Smes { get; } =
    [
        new("business_number", "사업자등록번호", true),
        new("name", "기업명", true),
        new("region", "지역", false),
        new("sector", "업종", false),
        new("employees", "종업원수", false),
        new("revenue_band", "매출규모", false),
        new("ksic_codes", "산업분류코드", true),
        new("certifications", "보유인증", false),
        new("export_record", "수출실적", false),
        new("description", "기업소개", false),
        new("keywords", "키워드", false),
        new("trl", "기술성숙도", false),
        new("meeting_cap", "상담희망건수", false),
        new("unavailable_slots", "불참시간", false),
        .. ContactColumns,
    ];

    public static IReadOnlyList<ImportColumn> For(ParticipantKind kind) => kind switch
    {
        ParticipantKind.Buyers => Buyers,
        ParticipantKind.Demands => Demands,
        ParticipantKind.Smes => Smes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// The comparison key of a header: case, spaces, underscores, hyphens and dots ignored, and a required-marker "*"
    /// or a trailing note in brackets dropped, because templates in the wild say "기업명*" or "사업자등록번호(필수)".
    /// </summary>
    internal static string Key(string header)
    {
        var text = header.Replace("\uFEFF", "").Replace("\u200B", "").Trim().Trim('*').Trim();
        foreach (var (open, close) in new[] { ('(', ')'), ('[', ']'), ('（', '）') })
        {
            if (text.Length > 0 && text[^1] == close && text.LastIndexOf(open) is var at and > 0) text = text[..at];
        }
        return new string(text.Trim().Trim('*').ToLowerInvariant()
            .Where(ch => !char.IsWhiteSpace(ch) && ch is not ('_' or '-' or '.')).ToArray());
    }
}
