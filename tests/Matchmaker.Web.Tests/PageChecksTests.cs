namespace Matchmaker.Web.Tests;

/// <summary>The language detectors the page tests rely on find what they must (so a passing page test means something).</summary>
public class PageChecksTests
{
    [Fact]
    public void The_English_detector_finds_a_phrase_but_not_codes_field_names_or_participants_names()
    {
        PageChecks.EnglishPhrases("포스코의 2번 테이블은 D1-03 시간에 이미 찼습니다 (항목: slot)", []).Should().BeEmpty();
        PageChecks.EnglishPhrases("HD Hyundai Heavy Industries의 테이블이 모두 찼습니다", ["HD Hyundai Heavy Industries"]).Should().BeEmpty();
        PageChecks.EnglishPhrases("every table of 포스코 is taken in D1-03", []).Should().NotBeEmpty();
        PageChecks.EnglishPhrases("요청을 처리할 수 없습니다: the version cannot be reconciled", []).Should().NotBeEmpty();
    }

    [Fact]
    public void The_Hangul_detector_ignores_participants_names()
    {
        PageChecks.HasHangul("you already meet 포스코 in D1-03", ["포스코"]).Should().BeFalse();
        PageChecks.HasHangul("슬롯 D1-03: taken", []).Should().BeTrue();
    }
}
