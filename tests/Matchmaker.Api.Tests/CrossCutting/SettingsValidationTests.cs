namespace Matchmaker.Api.Tests.CrossCutting;

/// <summary>Every settings section is bound once and checked when the host starts: a bad value stops the start and the
/// error names the setting, instead of failing the first request or job that needs it.</summary>
public class SettingsValidationTests
{
    [Theory]
    [InlineData("Matchmaker:Scheduling:TimeLimitSeconds", "0", "Matchmaker:Scheduling:TimeLimitSeconds")]
    [InlineData("Matchmaker:Store:BusyTimeoutMilliseconds", "-1", "Matchmaker:Store:BusyTimeoutMilliseconds")]
    [InlineData("Matchmaker:Store:Provider", "oracle", "Matchmaker:Store:Provider")]
    [InlineData("Matchmaker:Store:Provider", "postgres", "Matchmaker:Store:ConnectionString")]
    [InlineData("Matchmaker:Recommender:Schedule", "every night", "Matchmaker:Recommender:Schedule")]
    [InlineData("Matchmaker:Recommender:Als:Factors", "0", "Matchmaker:Recommender:Als:Factors")]
    [InlineData("Matchmaker:Worker:MaxConcurrency", "0", "Matchmaker:Worker:MaxConcurrency")]
    [InlineData("Matchmaker:Scoring:DebounceSeconds", "-1", "Matchmaker:Scoring:DebounceSeconds")]
    [InlineData("Matchmaker:RateLimits:PerParticipantPerMinute", "0", "Matchmaker:RateLimits:PerParticipantPerMinute")]
    [InlineData("Matchmaker:Notifications:BatchSeconds", "-1", "Matchmaker:Notifications:BatchSeconds")]
    [InlineData("Matchmaker:Notifications:SweepEverySeconds", "0", "Matchmaker:Notifications:SweepEverySeconds")]
    [InlineData("Matchmaker:Notifications:RemindFromLocalTime", "1.00:00:00", "Matchmaker:Notifications:RemindFromLocalTime")]
    [InlineData("Matchmaker:Notifications:OutcomeLinkWithinHours", "0", "Matchmaker:Notifications:OutcomeLinkWithinHours")]
    [InlineData("Matchmaker:Calendar:OrganizerEmail", "organiser at expo", "Matchmaker:Calendar:OrganizerEmail")]
    [InlineData("Matchmaker:Access:OrganiserToken", " ", "Matchmaker:Access:OrganiserToken")]
    public void A_bad_setting_stops_the_start_and_is_named(string key, string value, string named)
    {
        using var host = new MatchmakerHost(settings: new Dictionary<string, string> { [key] = value });
        FluentActions.Invoking(() => host.CreateClient()).Should().Throw<Exception>()
            .Where(e => e.ToString().Contains(named + ":", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Good_settings_start_the_host()
    {
        using var host = new MatchmakerHost(settings: new Dictionary<string, string>
        {
            ["Matchmaker:Scheduling:TimeLimitSeconds"] = "5",
            ["Matchmaker:Worker:MaxConcurrency"] = "1",
            ["Matchmaker:Recommender:Schedule"] = "0 30 2 * * ?",
            ["Matchmaker:Notifications:RemindFromLocalTime"] = "17:30",
            ["Matchmaker:Calendar:OrganizerEmail"] = "expo@bexco.example.kr",
        });
        (await host.CreateClient().GetAsync("/health")).IsSuccessStatusCode.Should().BeTrue();
    }
}
