using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Matchmaker.Api.Tests.Access;
using Matchmaker.Api.Tests.Requests;

namespace Matchmaker.Api.Tests.CrossCutting;

/// <summary>
/// Issue 10 item 6: every status an operation answers is declared in the OpenAPI document, problems as
/// application/problem+json, and the bearer scheme is there for Swagger's Authorize.
/// </summary>
public class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_status_the_access_and_bad_input_tests_observe_is_declared_by_its_operation()
    {
        var recording = new AnsweredStatuses();
        AnsweredStatuses.Current.Value = recording;

        // The access matrix and the bad-input tests, run as they are, on hosts that record what they answer...
        await new AccessMatrixTests().Wrong_participants_and_wrong_roles_are_refused_everywhere_and_nothing_is_written(Matchmaker.Core.Storage.StoreOptions.Sqlite);
        await new AccessMatrixTests().Tokens_of_one_event_reach_nothing_of_another_and_organisers_see_only_their_granted_events(Matchmaker.Core.Storage.StoreOptions.Sqlite);
        var access = new AccessApiTests();
        await access.Without_a_token_only_health_and_the_OpenAPI_document_answer();
        await access.An_SME_token_reads_the_event_but_cannot_do_an_organisers_work();
        await access.A_revoked_token_stops_working_at_once_and_tokens_are_never_listed_in_clear();
        await access.An_SME_token_reads_nothing_of_another_event_and_no_other_SMEs_business_number();
        await access.An_organiser_account_works_only_in_its_granted_events_until_the_administrator_disables_it();
        var crossCutting = new CrossCuttingTests();
        await crossCutting.A_retried_POST_with_the_same_Idempotency_Key_creates_one_request_and_gets_the_same_answer();
        await crossCutting.A_body_over_the_limit_is_refused_before_it_is_read();
        await crossCutting.A_participant_over_its_rate_limit_gets_429_while_the_organiser_goes_on();

        // ...and a sweep of every operation in the document: no token, a foreign role, unknown ids, broken bodies.
        var operations = await SweepAsync();

        var undeclared = recording.Answers
            .Where(a => operations.TryGetValue((a.Key.Method, a.Key.Route), out var declared) && !declared.Contains(a.Key.Status))
            .Select(a => $"{a.Key.Method} {a.Key.Route} answered {a.Key.Status} (e.g. {a.Value})")
            .Order().ToList();
        undeclared.Should().BeEmpty("every answered status must be in the OpenAPI document");
        recording.Answers.Keys.Where(a => a.Status >= 500).Should().BeEmpty("no request of these tests may answer a 5xx");

        // The recording really saw the refusals, so the comparison above is not vacuous.
        recording.Answers.Keys.Select(a => a.Status).Distinct().Should().Contain([400, 401, 403, 404, 413, 422, 429]);
        recording.Answers.Keys.Select(a => (a.Method, a.Route)).Distinct().Where(operations.ContainsKey).Should()
            .HaveCount(operations.Count, "the sweep reaches every operation of the document");
    }

    [Fact]
    public async Task Problems_are_declared_as_application_problem_json_and_the_bearer_scheme_is_offered()
    {
        using var host = new MatchmakerHost();
        using var anonymous = host.CreateClientWithToken(null);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        scheme.GetProperty("type").GetString().Should().Be("http");
        scheme.GetProperty("scheme").GetString().Should().Be("bearer");
        document.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _).Should().BeTrue();

        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            operations++;
            var responses = operation.Value.GetProperty("responses");
            foreach (var response in responses.EnumerateObject().Where(r => r.Name[0] is '4'))
                response.Value.GetProperty("content").EnumerateObject().Select(c => c.Name).Should()
                    .Equal(["application/problem+json"], $"{operation.Name} {path.Name} {response.Name}");
            if (responses.TryGetProperty("401", out _))
                operation.Value.GetProperty("security")[0].TryGetProperty("Bearer", out _).Should().BeTrue($"{operation.Name} {path.Name}");
        }
        operations.Should().BeGreaterThan(40);
    }

    /// <summary>Calls every operation of the document in the ways a fuzzer would; returns each one's declared statuses.</summary>
    static async Task<Dictionary<(string, string), HashSet<int>>> SweepAsync()
    {
        await using var expo = await SmallExpo.StartAsync(smes: 2);
        using var anonymous = expo.Host.CreateClientWithToken(null);
        using var sme = await expo.AsAsync("sme", expo.Smes[0]);
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = new Dictionary<(string, string), HashSet<int>>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            var method = operation.Name.ToUpperInvariant();
            operations[(method, AnsweredStatuses.Normalise(path.Name))] = operation.Value.GetProperty("responses").EnumerateObject()
                .Select(r => int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            var hasBody = operation.Value.TryGetProperty("requestBody", out var body);
            var json = hasBody && body.GetProperty("content").TryGetProperty("application/json", out _);
            var real = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{(\w+)\}", m => m.Groups[1].Value switch
            {
                "eventId" => "busan-test",
                "smeId" => expo.Smes[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "buyerId" => expo.Posco.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "1",
            });
            var unknown = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{(\w+)\}", m => m.Groups[1].Value == "eventId" ? "no-such-event" : "999999");
            foreach (var (client, url, content) in new (HttpClient, string, Func<HttpContent?>)[]
            {
                (anonymous, real, () => null),
                (sme, real, () => json ? new StringContent("{}", Encoding.UTF8, "application/json") : null),
                (expo.Organiser, unknown, () => json ? new StringContent("{}", Encoding.UTF8, "application/json") : null),
                (expo.Organiser, real, () => hasBody ? new StringContent("{ broken", Encoding.UTF8, "application/json") : null),
                (expo.Organiser, real, () => hasBody ? new StringContent("plain", Encoding.UTF8, "text/plain") : null),
            })
            {
                if (method is "POST" or "PUT" or "DELETE" && client == expo.Organiser && url == real && !hasBody) continue; // keep the expo intact
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content() };
                using var response = await client.SendAsync(request);
            }
        }
        return operations;
    }
}
