namespace Matchmaker.Api;

/// <summary>
/// User-facing labels in Korean and English. The API answers in English unless the caller prefers Korean
/// (Accept-Language: ko…, or ?lang=ko); the web pages default to Korean.
/// </summary>
public static class Labels
{
    static readonly Dictionary<string, string> Korean = new()
    {
        ["Not found"] = "찾을 수 없습니다",
        ["Bad request"] = "잘못된 요청입니다",
        ["Conflict"] = "현재 상태와 맞지 않는 요청입니다",
        ["Precondition failed"] = "다른 사용자가 먼저 변경했습니다",
        ["Content too large"] = "요청이 너무 큽니다",
        ["Too many requests"] = "요청이 너무 많습니다",
        ["Unprocessable request"] = "처리할 수 없는 요청입니다",
        ["One or more validation errors occurred."] = "입력값을 확인해 주세요.",
        ["Unauthorized"] = "로그인이 필요합니다",
        ["Forbidden"] = "권한이 없습니다",
    };

    public static bool PrefersKorean(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("lang", out var lang) && lang.Count == 1) return lang[0]!.StartsWith("ko", StringComparison.OrdinalIgnoreCase);
        var header = context.Request.GetTypedHeaders().AcceptLanguage;
        var best = header.Where(l => l.Quality is null or > 0).OrderByDescending(l => l.Quality ?? 1).FirstOrDefault();
        return best?.Value.Value?.StartsWith("ko", StringComparison.OrdinalIgnoreCase) == true;
    }

    /// <summary>The label in the caller's language (the English text is the key).</summary>
    public static string For(HttpContext context, string english) =>
        PrefersKorean(context) && Korean.TryGetValue(english, out var korean) ? korean : english;
}
