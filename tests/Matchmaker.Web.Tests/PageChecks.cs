using Microsoft.Playwright;

namespace Matchmaker.Web.Tests;

/// <summary>Checks every page must pass, whatever it shows.</summary>
public static class PageChecks
{
    /// <summary>Errors each page logged (filled by <see cref="LiveApp"/>'s browser windows).</summary>
    public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Errors = new();

    /// <summary>No script error and no refused script, style or connection on the page.</summary>
    public static void NoScriptErrors(IPage page)
    {
        var errors = Errors.GetOrCreateValue(page);
        lock (errors) errors.Should().BeEmpty($"{page.Url} must run without script or policy errors");
    }

    /// <summary>Every visible input, select and textarea has a label element associated with it (for= or wrapping).</summary>
    public static async Task EveryFieldHasALabelAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("input, select, textarea")]
              .filter(e => e.type !== "hidden" && (!e.labels || e.labels.length === 0 || [...e.labels].every(l => l.textContent.trim() === "")))
              .map(e => e.id || e.outerHTML.slice(0, 80))
            """);
        unlabelled.Should().BeEmpty($"every form field on {page.Url} needs a label");
    }

    /// <summary>Everything clickable is a real button or link (no clickable divs), so the keyboard reaches it.</summary>
    public static async Task ActionsAreButtonsOrLinksAsync(IPage page)
    {
        var fake = await page.EvaluateAsync<int>("() => document.querySelectorAll('[onclick]:not(button):not(a), [role=button]:not(button)').length");
        fake.Should().Be(0);
    }

    /// <summary>No label key was missing in the page's language (the script records each one it could not translate).</summary>
    public static async Task NoMissingLabelsAsync(IPage page)
    {
        var missing = await page.EvaluateAsync<string[]>("() => window.MM_MISSING || []");
        missing.Should().BeEmpty($"every label on {page.Url} needs a text in both languages");
    }

    /// <summary>On a phone, every visible button, link-button, summary and field is at least 44 CSS pixels tall (a thumb's width).</summary>
    public static async Task BigTouchTargetsAsync(IPage page)
    {
        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("button, a.button, summary, select, textarea, input:not([type=checkbox]):not([type=radio]):not([type=range])")]
              .filter(e => e.offsetParent !== null)
              .filter(e => e.getBoundingClientRect().height < 44)
              .map(e => `${e.tagName.toLowerCase()}#${e.id || e.className}: ${Math.round(e.getBoundingClientRect().height)}px`)
            """);
        small.Should().BeEmpty($"touch targets on {page.Url} must be big enough for a thumb");
    }

    /// <summary>
    /// Issue 16's detector of English on a Korean page: two or more Latin words of 3+ letters in a row (a sentence or a
    /// phrase, not a code, a field name, a unit or a brand), once the participants' own names are taken out.
    /// </summary>
    public static IReadOnlyList<string> EnglishPhrases(string text, IEnumerable<string> knownNames)
    {
        foreach (var name in knownNames.Where(n => n.Length > 0).OrderByDescending(n => n.Length)) text = text.Replace(name, " ");
        return System.Text.RegularExpressions.Regex.Matches(text, @"\b[A-Za-z]{3,}(?:[ \t,;:'’]+[A-Za-z]{3,}\b)+")
            .Select(m => m.Value).ToList();
    }

    /// <summary>True when the text has Hangul once the participants' own names (which may be Korean) are taken out.</summary>
    public static bool HasHangul(string text, IEnumerable<string> knownNames)
    {
        foreach (var name in knownNames.Where(n => n.Length > 0).OrderByDescending(n => n.Length)) text = text.Replace(name, " ");
        return text.Any(c => c is >= '\uAC00' and <= '\uD7A3' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F');
    }

    /// <summary>What the page's system messages (the message boxes, tables of problems, diffs) say in a Korean page: no English phrase.</summary>
    public static async Task KoreanOnlyAsync(ILocator messages, IEnumerable<string> knownNames)
    {
        var text = await messages.InnerTextAsync();
        text.Trim().Should().NotBeEmpty();
        EnglishPhrases(text, knownNames).Should().BeEmpty($"the Korean page says \"{text}\" without English");
    }

    /// <summary>The same on an English page: no Hangul, but in the participants' own names.</summary>
    public static async Task EnglishOnlyAsync(ILocator messages, IEnumerable<string> knownNames)
    {
        var text = await messages.InnerTextAsync();
        text.Trim().Should().NotBeEmpty();
        HasHangul(text, knownNames).Should().BeFalse($"the English page says \"{text}\" without Korean");
    }

    /// <summary>All the checks, once the page has settled.</summary>
    public static async Task AllAsync(IPage page)
    {
        await EveryFieldHasALabelAsync(page);
        await ActionsAreButtonsOrLinksAsync(page);
        await NoMissingLabelsAsync(page);
        NoScriptErrors(page);
    }
}
