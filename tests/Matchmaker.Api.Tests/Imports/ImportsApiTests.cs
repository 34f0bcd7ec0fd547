using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Imports;

public class ImportsApiTests
{
    static async Task<(MatchmakerHost Host, HttpClient Client)> EventWithBuyersAsync()
    {
        var host = new MatchmakerHost();
        var client = host.CreateClient();
        await CreateEventAsync(client);
        var job = await ImportAsync(client, "busan-test", "buyers", Encoding.UTF8.GetBytes(BuyersCsv), "buyers.csv");
        job.GetProperty("state").GetString().Should().Be("succeeded", job.ToString());
        return (host, client);
    }

    static async Task<int> SmeCountAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes?pageSize=1")).GetProperty("total").GetInt32();

    [Fact]
    public async Task An_organiser_imports_buyers_demands_and_a_CP949_SME_file_and_sees_them_served()
    {
        var (host, client) = await EventWithBuyersAsync();
        using var _ = host;

        (await ImportAsync(client, "busan-test", "demands", Encoding.UTF8.GetBytes(DemandsCsv))).GetProperty("state").GetString().Should().Be("succeeded");
        var smes = await ImportAsync(client, "busan-test", "smes", Cp949.GetBytes(SmesCsv(30)), "참가기업.csv");

        smes.GetProperty("state").GetString().Should().Be("succeeded", smes.ToString());
        smes.GetProperty("report").GetProperty("inserted").GetInt32().Should().Be(30);
        smes.GetProperty("report").GetProperty("format").GetString().Should().Contain("949");
        var buyers = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-test/buyers");
        buyers.EnumerateArray().Select(b => b.GetProperty("name").GetString()).Should().BeEquivalentTo(["포스코", "한국수력원자력"]);
        buyers.EnumerateArray().Single(b => b.GetProperty("buyerId").GetString() == "B-KHNP")
            .GetProperty("demands")[0].GetProperty("requiredCertifications")[0].GetString().Should().Be("KEPIC");
        var page = await client.GetFromJsonAsync<JsonElement>("/api/events/busan-test/smes?page=2&pageSize=20");
        page.GetProperty("items").GetArrayLength().Should().Be(10);
        page.GetProperty("total").GetInt32().Should().Be(30);
        page.GetProperty("items")[0].GetProperty("description").GetString().Should().Contain("사출금형");
    }

    [Fact]
    public async Task Re_importing_the_same_file_changes_nothing()
    {
        var (host, client) = await EventWithBuyersAsync();
        using var _ = host;
        var file = Encoding.UTF8.GetBytes(SmesCsv(5));
        await ImportAsync(client, "busan-test", "smes", file);

        var again = await ImportAsync(client, "busan-test", "smes", file);

        again.GetProperty("report").GetProperty("unchanged").GetInt32().Should().Be(5);
        again.GetProperty("report").GetProperty("inserted").GetInt32().Should().Be(0);
        again.GetProperty("report").GetProperty("updated").GetInt32().Should().Be(0);
        (await SmeCountAsync(client)).Should().Be(5);
    }

    [Fact]
    public async Task A_file_with_bad_rows_is_rejected_whole_with_every_row_named_and_nothing_written()
    {
        var (host, client) = await EventWithBuyersAsync();
        using var _ = host;
        var good = SmesCsv(3);
        var bad = good
            + $"{BusinessNumber(1)},중복기업,부산,5,25921,,N,,,\n"            // row 5: duplicate business number
            + "220-81-62518,검증실패,부산,5,25921,,N,,,3\n"                   // row 6: check digit
            + $"{BusinessNumber(99)},코드오류,부산,5,99999,,N,,,-3\n";        // row 7: unknown KSIC and a negative cap

        var job = await ImportAsync(client, "busan-test", "smes", Encoding.UTF8.GetBytes(bad));

        job.GetProperty("state").GetString().Should().Be("failed");
        var errors = job.GetProperty("report").GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString())).ToList();
        // Named as the uploaded file names them (its headers are Korean).
        errors.Should().Contain([(5, "사업자등록번호"), (6, "사업자등록번호"), (7, "산업분류코드"), (7, "상담희망건수")]);
        var checkDigit = job.GetProperty("report").GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("row").GetInt32() == 6);
        checkDigit.GetProperty("code").GetString().Should().Be("import.business_number_check_digit");
        checkDigit.GetProperty("messageKo").GetString().Should().Be("사업자등록번호 검증번호가 맞지 않습니다: 220-81-62518");
        checkDigit.GetProperty("message").GetString().Should().Be("business number '220-81-62518' fails its check digit");
        job.GetProperty("messageCode").GetString().Should().Be("job.import_failed");
        job.GetProperty("message").GetString().Should().Be("nothing imported: 4 problems in the file");

        using var korean = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{job.GetProperty("jobId").GetString()}");
        korean.Headers.AcceptLanguage.ParseAdd("ko-KR");
        var koreanJob = JsonDocument.Parse(await (await client.SendAsync(korean)).Content.ReadAsStringAsync()).RootElement;
        koreanJob.GetProperty("message").GetString().Should().Be("아무것도 가져오지 않았습니다: 파일에 문제 4건");
        (await SmeCountAsync(client)).Should().Be(0, "an import is all-or-nothing");
    }

    [Fact]
    public async Task Demands_of_a_buyer_not_in_the_event_are_refused()
    {
        var (host, client) = await EventWithBuyersAsync();
        using var _ = host;

        var job = await ImportAsync(client, "busan-test", "demands", Encoding.UTF8.GetBytes(DemandsCsv.Replace("B-KHNP", "B-NOBODY")));

        job.GetProperty("state").GetString().Should().Be("failed");
        job.GetProperty("report").GetProperty("errors")[0].GetProperty("column").GetString().Should().Be("buyer_id");
        (await client.GetFromJsonAsync<JsonElement>("/api/events/busan-test/buyers")).EnumerateArray()
            .SelectMany(b => b.GetProperty("demands").EnumerateArray()).Should().BeEmpty();
    }

    [Theory]
    [InlineData(null, "kind")]
    [InlineData("contracts", "kind")]
    public async Task An_upload_without_a_known_kind_is_a_bad_request_naming_the_field(string? kind, string field)
    {
        var (host, client) = await EventWithBuyersAsync();
        using var _ = host;

        var response = await client.PostAsync("/api/events/busan-test/imports", Upload(Encoding.UTF8.GetBytes(SmesCsv(1)), "smes.csv", kind));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString().Should().Be(field);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_refused_before_anything_is_stored()
    {
        var (host, client) = await EventWithBuyersAsync();
        using var _ = host;

        var response = await client.PostAsync("/api/events/busan-test/imports", Upload(new byte[11 * 1024 * 1024], "huge.csv", "smes"));

        response.StatusCode.Should().BeOneOf(HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest);
        (await SmeCountAsync(client)).Should().Be(0);
    }

    [Fact]
    public async Task Importing_into_an_unknown_event_is_not_found()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var response = await client.PostAsync("/api/events/nope/imports", Upload(Encoding.UTF8.GetBytes(SmesCsv(1)), "smes.csv", "smes"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_event_definition_with_bad_fields_is_refused_naming_them()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();

        var response = await client.PostAsJsonAsync("/api/events", new
        {
            eventId = "x y",
            name = "",
            slotMinutes = 0,
            days = new[] { new { date = "2026-05-20", windows = new[] { new { start = "12:00", end = "10:00" } } } },
        });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().Contain(["eventId", "name", "slotMinutes", "days[0].windows[0]"]);
        (await client.GetFromJsonAsync<JsonElement>("/api/events")).GetArrayLength().Should().Be(0);
    }
}
