using System.Text.RegularExpressions;
using Matchmaker.Core.Messages;

namespace Matchmaker.Core.Tests.Messages;

public partial class MessageCatalogTests
{
    public static TheoryData<string> Codes() => [.. MessageCatalog.Entries.Keys];

    /// <summary>Two or more English words in a row: a sentence, not a code, a unit or an example value.</summary>
    [GeneratedRegex(@"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})+")]
    private static partial Regex EnglishWords();

    [GeneratedRegex(@"\{\d+\}|'[^']*'")]
    private static partial Regex PlaceholdersAndQuotes();

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_code_has_a_Korean_sentence_without_English_and_an_English_one(string code)
    {
        var text = MessageCatalog.Entries[code];
        code.Should().MatchRegex("^[a-z_]+(\\.[a-z_]+)*$", "codes are stable machine-readable names");
        text.En.Should().NotBeNullOrWhiteSpace();
        text.Ko.Should().NotBeNullOrWhiteSpace();
        var korean = PlaceholdersAndQuotes().Replace(text.Ko, "");
        if (korean.Trim().Length > 0) MessageCatalog.HasHangul(text.Ko).Should().BeTrue($"'{text.Ko}' is the Korean text");
        EnglishWords().Matches(korean).Select(m => m.Value).Should().BeEmpty($"the Korean text of {code} must not carry an English phrase");
        // English texts may quote a Korean input (있음/없음 are valid flags), never a Korean sentence.
        // (and Excel's Korean menu item to save with, 'CSV UTF-8 (쉼표로 분리)').
        if (code is not ("import.bad_flag" or "import.retired_phone_column" or "import.bom_not_unicode" or "import.neither_encoding" or "import.mixed_encodings"))
            MessageCatalog.HasHangul(text.En).Should().BeFalse($"'{text.En}' is the English text");
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Both_languages_take_the_same_arguments(string code)
    {
        var text = MessageCatalog.Entries[code];
        static int[] Args(string s) => [.. Regex.Matches(s, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value)).Distinct().Order()];
        // Korean may leave out the column label {0} of an import message when it names the column otherwise; the one
        // messages whose English is a parser's own sentence quote the value in Korean instead.
        if (code == "import.bad_mobile_detail") Args(text.Ko).Should().Equal(0, 1);
        else if (code == "contact.bad_mobile") Args(text.Ko).Should().Equal(0);
        else if (code == "field_invalid") Args(text.Ko).Should().BeEmpty(); // the host's own English sentence ({0}) is left out
        else if (code == "import.broken_workbook") Args(text.Ko).Should().Equal(0, 1); // the reader's English detail ({2}) is left out
        else Args(text.Ko).Except([0]).Should().BeEquivalentTo(Args(text.En).Except([0]), $"{code} in Korean and English");
        var args = Enumerable.Range(0, 12).Select(i => (object?)$"a{i}").ToArray();
        MessageCatalog.Text(code, MessageLanguage.Ko, args).Should().NotContain("{");
        MessageCatalog.Text(code, MessageLanguage.En, args).Should().NotContain("{");
    }

    [Fact]
    public void An_unknown_code_is_refused_rather_than_shown_as_a_code()
    {
        var act = () => MessageCatalog.Text("no.such.code", MessageLanguage.Ko);
        act.Should().Throw<KeyNotFoundException>();
    }
}
