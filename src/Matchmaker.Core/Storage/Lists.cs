namespace Matchmaker.Core.Storage;

/// <summary>Lists kept in one text column, joined with ';' (codes, certifications, keywords, slot codes).</summary>
public static class Lists
{
    public static string Join(IEnumerable<string> items) => string.Join(';', items);

    public static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
