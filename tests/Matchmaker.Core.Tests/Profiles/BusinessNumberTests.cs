using Matchmaker.Core.Profiles;

namespace Matchmaker.Core.Tests.Profiles;

public class BusinessNumberTests
{
    [Theory]
    [InlineData("220-81-62517")] // a well-known valid number (used in NTS examples)
    [InlineData("2208162517")]
    [InlineData("124-81-00998")]
    public void Valid_numbers_parse_to_canonical_form(string text)
    {
        BusinessNumber.TryParse(text, out var number, out var error).Should().BeTrue(error);
        number.Digits.Should().HaveLength(10);
        number.ToString().Should().MatchRegex(@"^\d{3}-\d{2}-\d{5}$");
    }

    [Theory]
    [InlineData("220-81-62518", "check digit")]
    [InlineData("12345", "exactly 10 digits")]
    [InlineData("22081625170", "exactly 10 digits")]
    [InlineData("220-81-6251A", "exactly 10 digits")]
    [InlineData("", "empty")]
    public void Invalid_numbers_say_why(string text, string reason)
    {
        BusinessNumber.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Check_digit_matches_the_national_tax_service_rule()
    {
        // 220-81-6251?: 2·1+2·3+0·7+8·1+1·3+6·7+2·1+5·3+1·5 = 83, plus floor(1·5/10)=0 → 83 → (10-3)%10 = 7
        BusinessNumber.CheckDigit("220816251").Should().Be(7);
    }
}
