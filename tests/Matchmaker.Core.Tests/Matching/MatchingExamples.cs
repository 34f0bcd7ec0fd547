using Matchmaker.Core.Matching;

namespace Matchmaker.Core.Tests.Matching;

/// <summary>Tiny Korean expos that a scorer must get right.</summary>
internal static class MatchingExamples
{
    public static readonly BuyerDoc Shipyard = new(1, "HHI", "HD현대중공업", "울산", "조선", ["30111"]);
    public static readonly BuyerDoc Khnp = new(2, "KHNP", "한국수력원자력", "경북", "원자력발전", ["35111"]);

    public static readonly SmeDoc MouldMaker = new(10, "1111111119", "㈜부산정밀금형", "부산", 12, ["29293"], ["ISO 9001"], true,
        "자동차 부품용 사출금형 및 프레스 금형을 설계·제작합니다. 정밀 금형 가공과 금형 수리 전문.", ["사출금형", "프레스금형", "금형설계"]);
    public static readonly SmeDoc WeldingShop = new(11, "2222222228", "㈜동해용접", "부산", 9, ["25113"], ["ISO 9001", "ISO 3834"], false,
        "선박 블록과 배관의 용접 및 제관 작업을 합니다. 특수강 용접, 비파괴 검사 대응.", ["용접", "제관", "배관"]);
    public static readonly SmeDoc ValveFoundry = new(12, "3333333337", "㈜한국밸브주조", "경남", 40, ["24312"], ["ISO 9001", "KEPIC"], true,
        "발전소용 밸브 바디와 펌프 케이싱을 주조합니다. 원자력 배관용 주강품 생산.", ["주조", "밸브", "주강"]);

    public static readonly DemandDoc MouldDemand = new(100, "HHI-26-1", 1, "사출금형 제작 협력사", "선박 내장재 플라스틱 부품용 사출금형 및 금형 수리 업체를 찾습니다.",
        ["29293"], ["ISO 9001"], "1억~5억", ["부산", "경남", "울산"]);
    public static readonly DemandDoc ValveDemand = new(101, "KHNP-26-1", 2, "원전 밸브 주조 부품", "원자력 발전소용 밸브 바디 주조품 공급",
        ["24312"], ["KEPIC", "원자력 품질등급 Q"], "5억~10억", []);

    public static ScoringInput Input(Matchmaker.Core.Recommendations.MfModel? model = null, IReadOnlyList<PastInteraction>? history = null) =>
        new([MouldMaker, WeldingShop, ValveFoundry], [Shipyard, Khnp], [MouldDemand, ValveDemand], history ?? [], model);
}
