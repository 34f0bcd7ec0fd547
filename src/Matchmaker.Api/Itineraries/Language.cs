using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Matchmaker.Api.Itineraries;

/// <summary>The languages of printed itineraries, calendars and exports: Korean unless English is asked for.</summary>
public enum Language { Ko, En }

public static class Languages
{
    /// <summary>
    /// The language of a response: <c>?lang=ko|en</c> wins; otherwise the first of Korean or English in Accept-Language by
    /// quality; Korean by default. False (with <paramref name="language"/> Korean) when <c>lang</c> names another language.
    /// </summary>
    public static bool TryResolve(HttpRequest request, string? lang, out Language language)
    {
        language = Language.Ko;
        if (!string.IsNullOrWhiteSpace(lang))
        {
            var parsed = Parse(lang.Trim());
            if (parsed is null) return false;
            language = parsed.Value;
            return true;
        }
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var accepted)) return true;
        var preferred = accepted
            .Select((value, index) => (Language: Parse(value.Value.Value ?? ""), Quality: value.Quality ?? 1.0, index))
            .Where(x => x.Language is not null && x.Quality > 0)
            .OrderByDescending(x => x.Quality).ThenBy(x => x.index)
            .Select(x => x.Language)
            .FirstOrDefault();
        language = preferred ?? Language.Ko;
        return true;
    }

    static Language? Parse(string tag) =>
        tag.Equals("ko", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("ko-", StringComparison.OrdinalIgnoreCase) ? Language.Ko
        : tag.Equals("en", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("en-", StringComparison.OrdinalIgnoreCase) ? Language.En
        : null;

    /// <summary>The answer to a <c>lang</c> we do not write.</summary>
    public static ProblemHttpResult Unknown() => Problems.BadRequest(new Core.Messages.Message("lang_unknown"), "lang");
}
