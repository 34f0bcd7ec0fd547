using Matchmaker.Core.Messages;

namespace Matchmaker.Api;

/// <summary>
/// User-facing labels in Korean and English. The API answers in English unless the caller prefers Korean
/// (Accept-Language: ko…, or ?lang=ko); the web pages default to Korean.
/// </summary>
public static class Labels
{
    /// <summary>The host's and our problem titles, English text to Korean, from the message catalogue.</summary>
    static readonly Dictionary<string, string> Korean = new[]
        {
            "bad_request", "not_found", "conflict", "precondition_failed", "unprocessable", "too_many_requests", "too_large",
            "validation_failed", "unauthorized", "forbidden", "unsupported_media_type", "server_error", "service_unavailable",
        }
        .Select(code => MessageCatalog.Entries[code])
        // The host's own titles (RFC 9110 reason phrases) differ from ours in case or wording.
        .Concat([MessageCatalog.Entries["unprocessable"] with { En = "Unprocessable Entity" }, MessageCatalog.Entries["method_not_allowed"]])
        .ToDictionary(m => m.En, m => m.Ko, StringComparer.OrdinalIgnoreCase);

    public static bool PrefersKorean(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("lang", out var lang) && lang.Count == 1) return lang[0]!.StartsWith("ko", StringComparison.OrdinalIgnoreCase);
        var header = context.Request.GetTypedHeaders().AcceptLanguage;
        var best = header.Where(l => l.Quality is null or > 0).OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        return best?.Value.Value?.StartsWith("ko", StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>The caller's language for catalogued texts.</summary>
    public static MessageLanguage LanguageOf(HttpContext context) => PrefersKorean(context) ? MessageLanguage.Ko : MessageLanguage.En;

    /// <summary>The label in the caller's language (the English text is the key).</summary>
    public static string For(HttpContext context, string english) =>
        PrefersKorean(context) && Korean.TryGetValue(english, out var korean) ? korean : english;
}
