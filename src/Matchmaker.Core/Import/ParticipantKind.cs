namespace Matchmaker.Core.Import;

/// <summary>The kind of rows one import file holds; each kind has its own columns (docs/import-format.md).</summary>
public enum ParticipantKind
{
    Buyers,
    Demands,
    Smes,
}

/// <summary>Parsing and naming of <see cref="ParticipantKind"/> as it appears in URLs and commands: buyers, demands, smes.</summary>
public static class ParticipantKinds
{
    /// <summary>Accepts "buyers", "demands", "smes" in any case, and the singular forms.</summary>
    public static bool TryParse(string? text, out ParticipantKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "buyers" or "buyer": kind = ParticipantKind.Buyers; return true;
            case "demands" or "demand": kind = ParticipantKind.Demands; return true;
            case "smes" or "sme": kind = ParticipantKind.Smes; return true;
            default: kind = default; return false;
        }
    }

    public static ParticipantKind Parse(string? text) => TryParse(text, out var kind)
        ? kind
        : throw new FormatException($"unknown participant kind '{text}'; expected buyers, demands or smes");

    /// <summary>The lower-case name used in URLs and messages: "buyers", "demands", "smes".</summary>
    public static string Name(this ParticipantKind kind) => kind switch
    {
        ParticipantKind.Buyers => "buyers",
        ParticipantKind.Demands => "demands",
        ParticipantKind.Smes => "smes",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
