using Matchmaker.Core.Import;
using Matchmaker.Core.Messages;
using static Matchmaker.Core.Tests.Import.ImportFiles;
using static Matchmaker.Core.Tests.Import.Samples;

namespace Matchmaker.Core.Tests.Import;

/// <summary>Issue 16: the row report in the reader's language, naming the column as the file does.</summary>
public class ImportMessagesTests
{
    static ImportResult BadKoreanImport() =>
        ParticipantImport.Read(ParticipantKind.Smes, Stream(Utf8(CsvText(
            [SmeHeaderKo, Sme(("business_number", "1234567890"), ("employees", "서른다섯"))]))), "smes.csv");

    [Fact]
    public void The_issues_bad_import_names_the_files_own_columns_and_reads_in_Korean()
    {
        var errors = BadKoreanImport().Errors;
        errors.Select(e => (e.Row, e.Column, e.Code, e.MessageKo)).Should().BeEquivalentTo(new[]
        {
            (2, "사업자등록번호", "import.business_number_check_digit", "사업자등록번호 검증번호가 맞지 않습니다: 1234567890"),
            (2, "종업원수", "import.not_whole_number", "종업원수 '서른다섯'은(는) 정수가 아닙니다. 0–100000 사이의 숫자를 적어 주세요"),
        });
    }

    [Fact]
    public void The_same_import_reads_in_English_with_the_English_column_names()
    {
        var errors = BadKoreanImport().Errors;
        errors.Select(e => e.In(MessageLanguage.En)).Should().Equal(
            "business number '1234567890' fails its check digit",
            "employees '서른다섯' is not a whole number; expected 0–100000");
    }

    [Fact]
    public void A_file_with_English_headers_is_named_in_English_and_in_Korean_by_the_columns_Korean_name()
    {
        var result = ParticipantImport.Read(ParticipantKind.Smes, Stream(Utf8(CsvText(
            [SmeHeaderEn, Sme(("email", "minsu.example.com"))]))), "smes.csv");
        var issue = result.Errors.Should().ContainSingle(e => e.Code == "import.bad_email").Subject;
        issue.Column.Should().Be("email");
        issue.Code.Should().Be("import.bad_email");
        issue.MessageKo.Should().Be("이메일 'minsu.example.com'은(는) 이메일 주소가 아닙니다 (예: name@example.com)");
        issue.Message.Should().Be("email 'minsu.example.com' is not an email address (expected name@example.com)");
    }

    [Fact]
    public void Header_problems_have_codes_in_both_languages()
    {
        var header = SmeHeaderKo.Where(h => h != "기업명").Append("비고").ToArray();
        var row = Sme().Take(SmeHeaderKo.Length).ToList();
        row.RemoveAt(Array.IndexOf(SmeHeaderKo, "기업명"));
        var result = ParticipantImport.Read(ParticipantKind.Smes, Stream(Utf8(CsvText([header, [.. row, ""]]))), "smes.csv");
        var missing = result.Errors.Should().ContainSingle().Subject;
        missing.Code.Should().Be("import.column_missing");
        missing.MessageKo.Should().Be("필수 열 기업명(name)이(가) 없습니다");
        missing.Message.Should().Be("required column name (기업명) is missing");
        var unknown = result.Warnings.Should().ContainSingle().Subject;
        (unknown.Code, unknown.Column, unknown.MessageKo).Should().Be(("import.unknown_column", "비고", "알 수 없는 열 '비고'은(는) 무시합니다"));
    }
}
