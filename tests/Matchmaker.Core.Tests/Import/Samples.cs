using Matchmaker.Core.Import;

namespace Matchmaker.Core.Tests.Import;

/// <summary>Good participant rows, as an organiser would type them, and the typed rows they must read to.</summary>
internal static class Samples
{
    public static readonly string[] SmeHeaderKo =
        ["사업자등록번호", "기업명", "지역", "업종", "종업원수", "매출규모", "산업분류코드", "보유인증", "수출실적", "기업소개", "키워드",
         "기술성숙도", "상담희망건수", "불참시간", "담당자", "이메일", "휴대전화", "언어", "수신거부"];

    public static readonly string[] SmeHeaderEn =
        ["business_number", "name", "region", "sector", "employees", "revenue_band", "ksic_codes", "certifications",
         "export_record", "description", "keywords", "trl", "meeting_cap", "unavailable_slots", "contact_name",
         "email", "mobile", "language", "opt_out"];

    public static readonly string[][] SmeValues =
    [
        ["123-45-67891", "㈜부산정밀", "부산", "금형 제조", "45", "50억~100억", "29293; 25913", "ISO 9001;이노비즈", "있음",
         "사출금형 및 프레스 금형 설계·제작", "금형;사출;프레스;금형", "7", "8", "D1-03|D1-04", "김민수", "minsu@busanprecision.co.kr",
         "010-1234-5678", "", ""],
        ["2208112341", "(주)대한센서", "경남", "센서", "1,200", "10억 미만", "C28123", "", "N",
         "산업용 온도 센서 개발, 제조\n\"스마트 팩토리\" 납품 실적", "", "", "", "", "이영희", "", "+82 10 9876 5432", "영어", "Y"],
    ];

    public static readonly SmeRow[] ExpectedSmes =
    [
        new(2, "1234567891", "㈜부산정밀", "부산", "금형 제조", 45, "50억~100억", ["29293", "25913"], ["ISO 9001", "이노비즈"], true,
            "사출금형 및 프레스 금형 설계·제작", ["금형", "사출", "프레스"], 7, 8, ["D1-03", "D1-04"], "김민수",
            "minsu@busanprecision.co.kr", "+821012345678", "ko", false),
        new(3, "2208112341", "(주)대한센서", "경남", "센서", 1200, "10억 미만", ["28123"], [], false,
            "산업용 온도 센서 개발, 제조\n\"스마트 팩토리\" 납품 실적", [], null, 6, [], "이영희", null, "+821098765432", "en", true),
    ];

    public static string[][] SmeTable(string[] header) => [header, .. SmeValues];

    /// <summary>One good SME row with some cells changed, in <see cref="SmeHeaderEn"/> order.</summary>
    public static string[] Sme(params (string Column, string Value)[] changes)
    {
        var row = (string[])SmeValues[0].Clone();
        foreach (var (column, value) in changes) row[Array.IndexOf(SmeHeaderEn, column)] = value;
        return row;
    }

    /// <summary>A valid, distinct business number for each <paramref name="i"/> (check digit computed).</summary>
    public static string BusinessNumberFor(int i)
    {
        var nine = (100_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return nine + Matchmaker.Core.Profiles.BusinessNumber.CheckDigit(nine + "0");
    }

    public static readonly string[] BuyerHeaderEn =
        ["buyer_id", "name", "business_number", "kind", "sector", "ksic_codes", "region", "meeting_cap", "tables", "hall",
         "unavailable_slots", "contact_name", "email", "mobile", "language", "opt_out"];

    public static readonly string[] BuyerValues =
        ["HHI-01", "HD현대중공업", "6058102345", "대기업", "조선", "29", "울산", "20", "2", "A", "D1-01", "박지훈",
         "buyer@hhi.example.kr", "01020222114", "en", "N"];

    public static string[] Buyer(params (string Column, string Value)[] changes)
    {
        var row = (string[])BuyerValues.Clone();
        foreach (var (column, value) in changes) row[Array.IndexOf(BuyerHeaderEn, column)] = value;
        return row;
    }

    public static readonly string[] DemandHeaderKo =
        ["수요ID", "구매기업ID", "수요명", "수요내용", "산업분류코드", "필수인증", "예산규모", "수량", "선호지역"];

    public static readonly string[] DemandValues =
        ["D-001", "HHI-01", "선박용 프레스 금형 국산화", "대형 선박 블록용 프레스 금형 설계 및 제작", "29293", "ISO 9001, KS",
         "1억~5억", "10벌", "부산;경남;울산"];
}
