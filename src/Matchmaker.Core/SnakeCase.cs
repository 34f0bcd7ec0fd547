using System.Text.Json;

namespace Matchmaker.Core;

/// <summary>
/// The one spelling of enum values outside .NET: snake_case (<c>no_show</c>, <c>site_visit</c>), as the store's
/// columns, the spreadsheets and the JSON of the API (its <c>JsonStringEnumConverter</c> uses the same policy) write them.
/// </summary>
public static class SnakeCase
{
    /// <summary>The stored and wire name of a value: <c>MeetingStatus.NoShow</c> → <c>no_show</c>.</summary>
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Reads a snake_case name (as <see cref="Name{T}"/> writes it, in any case); false for anything else.</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        value = default;
        return false;
    }

    /// <summary>Reads a name the store wrote; throws when it is none (a corrupt row, not bad input).</summary>
    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var value) ? value : throw new FormatException($"'{text}' is not a {typeof(T).Name} ({string.Join(", ", Enum.GetValues<T>().Select(Name))})");
}
