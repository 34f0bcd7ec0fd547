namespace Matchmaker.Api.Access;

/// <summary>Access settings (section <c>Matchmaker:Access</c>).</summary>
public sealed record AccessOptions
{
    /// <summary>
    /// A fixed administrator token (default none: the first start generates one and writes it to
    /// <c>organiser-token.txt</c> in the data folder). Blank is refused at start: it would be a token anyone can send.
    /// </summary>
    public string? OrganiserToken { get; init; }
}
