using System.Net;
using System.Text.Json;
using Matchmaker.Core.Messages;

namespace Matchmaker.Api.Tests.CrossCutting;

/// <summary>Issue 16: every problem has a stable `code`; its title and detail follow the caller's language.</summary>
public class ProblemCodeTests
{
    static async Task<(HttpStatusCode Status, JsonElement Problem)> GetAsync(HttpClient client, string url, string? language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (language is not null) request.Headers.AcceptLanguage.ParseAdd(language);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Theory]
    [InlineData("ko-KR,ko;q=0.9", "찾을 수 없습니다", "행사 'nope'이(가) 없습니다.")]
    [InlineData("en-US", "Not found", "There is no event 'nope'.")]
    public async Task An_unknown_event_has_a_code_and_reads_in_the_callers_language(string language, string title, string detail)
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();
        var (status, problem) = await GetAsync(client, "/api/events/nope", language);
        status.Should().Be(HttpStatusCode.NotFound);
        problem.GetProperty("code").GetString().Should().Be("event_not_found");
        problem.GetProperty("title").GetString().Should().Be(title);
        problem.GetProperty("detail").GetString().Should().Be(detail);
    }

    [Fact]
    public async Task Problems_the_host_writes_itself_have_a_code_too()
    {
        using var host = new MatchmakerHost();
        using var anonymous = host.CreateClientWithToken(null);
        var (status, unauthorized) = await GetAsync(anonymous, "/api/events/nope", "ko");
        status.Should().Be(HttpStatusCode.Unauthorized);
        unauthorized.GetProperty("code").GetString().Should().Be("unauthorized");
        unauthorized.GetProperty("title").GetString().Should().Be("로그인이 필요합니다");

        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.AcceptLanguage.ParseAdd("ko");
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var invalid = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        invalid.GetProperty("code").GetString().Should().Be("validation_failed");
        invalid.GetProperty("title").GetString().Should().Be("입력값을 확인해 주세요.");
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_codes_of_every_problem_answer_and_each_is_in_the_catalogue()
    {
        using var host = new MatchmakerHost();
        using var anonymous = host.CreateClientWithToken(null);
        var (_, document) = await GetAsync(anonymous, "/openapi/v1.json", null);
        var answers = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().SelectMany(o => o.Value.GetProperty("responses").EnumerateObject()
                .Where(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out _))
                .Select(r => (Operation: $"{o.Name} {p.Name} {r.Name}", Response: r.Value)))).ToList();
        answers.Should().HaveCountGreaterThan(100);
        foreach (var (operation, response) in answers)
        {
            response.TryGetProperty("x-problem-codes", out var codes).Should().BeTrue(operation);
            codes.EnumerateArray().Select(c => c.GetString()!).Should().NotBeEmpty(operation)
                .And.OnlyContain(c => MessageCatalog.Entries.ContainsKey(c), operation);
        }
        var eventNotFound = document.GetProperty("paths").GetProperty("/api/events/{eventId}").GetProperty("get")
            .GetProperty("responses").GetProperty("404").GetProperty("x-problem-codes");
        eventNotFound.EnumerateArray().Select(c => c.GetString()).Should().Contain(["not_found", "event_not_found"]);
    }
}
