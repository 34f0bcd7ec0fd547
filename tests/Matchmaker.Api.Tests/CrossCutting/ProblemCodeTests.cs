using System.Net;
using System.Text.Json;
using Matchmaker.Core.Messages;
using System.Net.Http.Json;
using Matchmaker.Api.Tests.Requests;

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

    [Fact]
    public async Task A_refused_request_answers_its_code_in_both_languages_and_the_document_lists_it_for_the_operation()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        (await expo.Organiser.PutAsJsonAsync("/api/events/busan-test/request-window", new { open = false })).EnsureSuccessStatusCode();
        var url = $"/api/events/busan-test/smes/{expo.Smes[0]}/requests";
        foreach (var (language, detail) in new[] { ("ko", "주최자가 이 행사의 상담 신청을 아직 열지 않았습니다"), ("en", "the organiser has not opened introduction requests for this event") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { buyerId = expo.Khnp }) };
            request.Headers.AcceptLanguage.ParseAdd(language);
            using var response = await sme.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Conflict);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            problem.GetProperty("code").GetString().Should().Be("request.window_closed");
            problem.GetProperty("detail").GetString().Should().Be(detail);
        }

        // The host recorded the answer with its operation, and the document lists the code there (what every API test host checks).
        expo.Host.ProblemCodes.Answers.Keys.Should().Contain(("POST", "/api/events/{eventId}/smes/{smeId}/requests", 409, "request.window_closed"));
        using var anonymous = expo.Host.CreateClientWithToken(null);
        expo.Host.ProblemCodes.Undeclared(anonymous).Should().BeEmpty();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var post = document.GetProperty("paths").GetProperty("/api/events/{eventId}/smes/{smeId}/requests").GetProperty("post").GetProperty("responses");
        post.GetProperty("409").GetProperty("x-problem-codes").EnumerateArray().Select(c => c.GetString()).Should()
            .Contain(["conflict", "request.window_closed", "request.already_open", "request.too_many_open", "idempotency.in_progress"]);
        post.GetProperty("429").GetProperty("x-problem-codes").EnumerateArray().Select(c => c.GetString()).Should().Contain("rate_limited");
    }

    [Fact]
    public async Task An_answered_code_the_document_does_not_list_for_its_operation_is_named()
    {
        using var host = new MatchmakerHost();
        using var anonymous = host.CreateClientWithToken(null);
        var check = new AnsweredProblemCodes();
        check.Answers[("POST", "/api/events/{eventId}/smes/{smeId}/requests", 409, "request.window_closed")] = "/declared";
        check.Answers[("GET", "/api/events/{eventId}", 404, "request.window_closed")] = "/not-declared-here";
        check.Answers[("GET", "/not/an/operation", 404, "anything")] = "/outside-the-document";
        check.Undeclared(anonymous).Should().Equal("GET /api/events/{eventId} answered 404 with code request.window_closed (e.g. /not-declared-here)");
    }

    [Fact]
    public async Task Field_errors_of_the_validation_attributes_and_of_our_own_checks_read_in_Korean_with_their_codes()
    {
        await using var expo = await SmallExpo.StartAsync();
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        async Task<JsonElement> SendAsync(HttpMethod method, string url, object body)
        {
            using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
            request.Headers.AcceptLanguage.ParseAdd("ko-KR");
            using var response = await expo.Organiser.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        // A validation attribute on a request record (RepairRequest.Changes) names a catalogue code.
        var repair = await SendAsync(HttpMethod.Post, "/api/events/busan-test/timetable/repairs", new { changes = Array.Empty<object>() });
        repair.GetProperty("code").GetString().Should().Be("validation_failed");
        repair.GetProperty("errors").GetProperty("Changes")[0].GetString().Should().Be("변경을 하나 이상 적어 주세요");
        repair.GetProperty("errorCodes").GetProperty("changes")[0].GetString().Should().Be("repair.changes_required");

        // Our own field checks (a contact change) come from the catalogue too.
        var contact = await SendAsync(HttpMethod.Put, $"/api/events/busan-test/smes/{expo.Smes[0]}/contact", new { email = "not-an-address", language = "fr" });
        contact.GetProperty("errors").GetProperty("email")[0].GetString().Should().Be("'not-an-address'은(는) 이메일 주소가 아닙니다 (예: name@example.com)");
        contact.GetProperty("errors").GetProperty("language")[0].GetString().Should().Be("ko(한국어) 또는 en(영어)입니다");
        contact.GetProperty("errorCodes").GetProperty("email")[0].GetString().Should().Be("contact.bad_email");
        contact.GetProperty("detail").GetString().Should().NotBeNull().And.Match(d => MessageCatalog.HasHangul(d));
    }

    [Theory]
    [InlineData("{ broken", "application/json")]
    [InlineData("plain", "text/plain")]
    public async Task A_body_the_host_cannot_read_is_refused_in_Korean_too(string body, string mediaType)
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = new StringContent(body, System.Text.Encoding.UTF8, mediaType) };
        request.Headers.AcceptLanguage.ParseAdd("ko-KR");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().BeOneOf(400, 415);
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("code").GetString().Should().NotBe("error");
        MessageCatalog.HasHangul(problem.GetProperty("title").GetString()!).Should().BeTrue(text);
        if (problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            MessageCatalog.HasHangul(detail.GetString()!).Should().BeTrue(text);
    }
}
