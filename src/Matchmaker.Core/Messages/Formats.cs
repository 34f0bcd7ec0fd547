using System.Globalization;

namespace Matchmaker.Core.Messages;

/// <summary>
/// Dates, times, numbers and money as a person reads them in each language: Korean as Koreans write them
/// ("2026년 5월 20일 (수) 10:00", "1,200만 원"), English plainly ("Wed 20 May 2026, 10:00", "KRW 12,000,000"). The pages
/// write the same strings (<c>MM.fmt</c> in common.js); a test holds both to the same examples.
/// </summary>
public static class Formats
{
    static readonly string[] KoreanWeekdays = ["일", "월", "화", "수", "목", "금", "토"];

    /// <summary>"2026년 5월 20일 (수)" / "Wed 20 May 2026".</summary>
    public static string Date(DateOnly date, MessageLanguage language) => language == MessageLanguage.Ko
        ? $"{date.Year}년 {date.Month}월 {date.Day}일 ({KoreanWeekdays[(int)date.DayOfWeek]})"
        : date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"2026년 5월 20일 (수) 10:00" / "Wed 20 May 2026, 10:00" (a local time, 24-hour clock).</summary>
    public static string DateTime(System.DateTime local, MessageLanguage language) =>
        Date(DateOnly.FromDateTime(local), language) + (language == MessageLanguage.Ko ? " " : ", ") + Time(local);

    /// <summary>"2026년 5월 20일 (수) 10:00–10:30": a meeting's span on one day.</summary>
    public static string Span(System.DateTime start, System.DateTime end, MessageLanguage language) => $"{DateTime(start, language)}–{Time(end)}";

    /// <summary>"10:00".</summary>
    public static string Time(System.DateTime local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"12,345" in either language.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// An amount in won. Korean counts in 만 (10,000) and 억 (100,000,000) as Koreans write amounts: "1,200만 원",
    /// "3억 5,000만 원", "5,000원"; English "KRW 12,000,000".
    /// </summary>
    public static string Money(long krw, MessageLanguage language)
    {
        if (language == MessageLanguage.En) return $"KRW {Number(krw)}";
        var sign = krw < 0 ? "-" : "";
        var rest = Math.Abs(krw);
        var (eok, man, won) = (rest / 100_000_000, rest / 10_000 % 10_000, rest % 10_000);
        var parts = new List<string>();
        if (eok > 0) parts.Add($"{Number(eok)}억");
        if (man > 0) parts.Add($"{Number(man)}만");
        if (won > 0 || parts.Count == 0) return sign + string.Join(" ", [.. parts, $"{Number(won)}원"]);
        return sign + string.Join(" ", parts) + " 원";
    }
}
