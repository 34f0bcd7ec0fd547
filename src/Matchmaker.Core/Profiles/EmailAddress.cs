using System.Text.RegularExpressions;

namespace Matchmaker.Core.Profiles;

/// <summary>The e-mail address rule shared by the import and the profile edit: one '@', a dotted domain, no spaces.</summary>
public static partial class EmailAddress
{
    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")]
    private static partial Regex Pattern();

    public static bool IsValid(string text) => text.Length <= 200 && Pattern().IsMatch(text);
}
