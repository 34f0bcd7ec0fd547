namespace Matchmaker.Core.Matching;

/// <summary>The parts a match score is made of; each has a value in [0, 1] and a weight in the profile.</summary>
public enum MatchComponent
{
    /// <summary>Korean text similarity (character n-grams, BM25 weights) incl. the KSIC explanatory notes of both sides.</summary>
    Text,
    /// <summary>Closeness of industry codes through the KSIC hierarchy.</summary>
    Industry,
    /// <summary>Share of the demand's required certifications the SME holds (1 when nothing is required).</summary>
    Certification,
    /// <summary>SME region among the demand's preferred regions, or the buyer's own region.</summary>
    Region,
    /// <summary>Company size against the demand's budget band.</summary>
    Size,
    /// <summary>Export record of the SME.</summary>
    Export,
    /// <summary>Strongest past interaction of this SME with this buyer at earlier events.</summary>
    Relationship,
    /// <summary>The matrix-factorisation recommender's prediction for the SME–buyer pair, as a rank percentile.</summary>
    Collaborative,
}

/// <summary>Korean and English labels of the components, for explanations.</summary>
public static class MatchComponents
{
    public static readonly MatchComponent[] All = Enum.GetValues<MatchComponent>();

    public const int Count = 8;

    public static (string Ko, string En) Label(MatchComponent component) => component switch
    {
        MatchComponent.Text => ("기술·품목 텍스트 유사도", "text similarity"),
        MatchComponent.Industry => ("산업분류(KSIC) 근접도", "industry code fit (KSIC)"),
        MatchComponent.Certification => ("필수 인증 충족", "required certifications held"),
        MatchComponent.Region => ("지역 선호", "region preference"),
        MatchComponent.Size => ("기업 규모 적합", "company size fit"),
        MatchComponent.Export => ("수출 실적", "export experience"),
        MatchComponent.Relationship => ("과거 거래·상담 관계", "past relationship with the buyer"),
        MatchComponent.Collaborative => ("유사 기업 상담 성과(추천 모델)", "recommender (outcomes of similar pairs)"),
        _ => throw new ArgumentOutOfRangeException(nameof(component)),
    };

    /// <summary>snake_case name used in JSON and the store.</summary>
    public static string Key(MatchComponent component) => component switch
    {
        MatchComponent.Text => "text",
        MatchComponent.Industry => "industry",
        MatchComponent.Certification => "certification",
        MatchComponent.Region => "region",
        MatchComponent.Size => "size",
        MatchComponent.Export => "export",
        MatchComponent.Relationship => "relationship",
        MatchComponent.Collaborative => "collaborative",
        _ => throw new ArgumentOutOfRangeException(nameof(component)),
    };

    /// <summary>The KSIC level names for matched codes: 5 subclass … 1 section, 0 none.</summary>
    public static (string Ko, string En) LevelLabel(int level) => level switch
    {
        5 => ("세세분류 일치", "same subclass"),
        4 => ("세분류 일치", "same class"),
        3 => ("소분류 일치", "same group"),
        2 => ("중분류 일치", "same division"),
        1 => ("대분류 일치", "same section"),
        _ => ("관련 없음", "unrelated"),
    };
}
