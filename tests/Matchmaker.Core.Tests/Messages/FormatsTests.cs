using Matchmaker.Core.Messages;

namespace Matchmaker.Core.Tests.Messages;

/// <summary>Issue 16: dates and money in Korean conventions (the same examples hold for the pages' MM.fmt).</summary>
public class FormatsTests
{
    [Theory]
    [InlineData(12_000_000L, "1,200만 원", "KRW 12,000,000")]
    [InlineData(350_000_000L, "3억 5,000만 원", "KRW 350,000,000")]
    [InlineData(1_250_000_000L, "12억 5,000만 원", "KRW 1,250,000,000")]
    [InlineData(100_000_000L, "1억 원", "KRW 100,000,000")]
    [InlineData(5_000L, "5,000원", "KRW 5,000")]
    [InlineData(12_005_000L, "1,200만 5,000원", "KRW 12,005,000")]
    [InlineData(0L, "0원", "KRW 0")]
    public void Money_counts_in_man_and_eok_in_Korean(long krw, string korean, string english)
    {
        Formats.Money(krw, MessageLanguage.Ko).Should().Be(korean);
        Formats.Money(krw, MessageLanguage.En).Should().Be(english);
    }

    [Fact]
    public void A_date_and_time_read_as_Koreans_write_them()
    {
        var start = new DateTime(2026, 5, 20, 10, 0, 0);
        Formats.DateTime(start, MessageLanguage.Ko).Should().Be("2026년 5월 20일 (수) 10:00");
        Formats.DateTime(start, MessageLanguage.En).Should().Be("Wed 20 May 2026, 10:00");
        Formats.Span(start, start.AddMinutes(30), MessageLanguage.Ko).Should().Be("2026년 5월 20일 (수) 10:00–10:30");
        Formats.Number(1234567).Should().Be("1,234,567");
    }

    [Fact]
    public void Counts_in_job_messages_get_thousands_separators_after_being_stored()
    {
        var stored = Matchmaker.Core.Jobs.JobMessages.Encode(new Message("job.writing_scores", 17628));
        Matchmaker.Core.Jobs.JobMessages.Render(stored, MessageLanguage.Ko).Text.Should().Be("점수 17,628건을 저장하는 중입니다");
        Matchmaker.Core.Jobs.JobMessages.Render(stored, MessageLanguage.En).Text.Should().Be("writing 17,628 scores");
    }
}
