using Matchmaker.Core.Messages;
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

    /// <summary>The component's name in both languages, from the message catalogue (<c>explain.component.*</c>).</summary>
    public static (string Ko, string En) Label(MatchComponent component) => MessageCatalog.Both($"explain.component.{Key(component)}");

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
    public static (string Ko, string En) LevelLabel(int level) => MessageCatalog.Both(level switch
    {
        5 => "explain.level.subclass",
        4 => "explain.level.class",
        3 => "explain.level.group",
        2 => "explain.level.division",
        1 => "explain.level.section",
        _ => "explain.level.unrelated",
    });
}
