using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Matchmaker.Core.Profiles;

namespace Matchmaker.Api.Tests;

/// <summary>Small, realistic inputs for API tests: an event definition and participant spreadsheets.</summary>
public static class ExpoFixtures
{
    static ExpoFixtures() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Cp949 => Encoding.GetEncoding(949);

    /// <summary>A valid business registration number made from <paramref name="seed"/>.</summary>
    public static string BusinessNumber(int seed)
    {
        var first9 = (100_000_000 + seed * 7_919 % 899_999_999).ToString("D9");
        return first9 + Core.Profiles.BusinessNumber.CheckDigit(first9);
    }

    public static async Task CreateEventAsync(HttpClient client, string eventId = "busan-test")
    {
        var response = await client.PostAsJsonAsync("/api/events", new
        {
            eventId,
            name = "부산 구매상담회 (test)",
            venue = "BEXCO",
            slotMinutes = 30,
            changeoverMinutes = 5,
            days = new[] { new { date = "2026-05-20", windows = new[] { new { start = "10:00", end = "12:00" }, new { start = "13:00", end = "17:00" } }, breaks = Array.Empty<object>() } },
            halls = new[] { "A", "B" },
        });
        response.EnsureSuccessStatusCode();
    }

    public const string BuyersCsv = """
        구매기업ID,기업명,기업유형,업종,산업분류코드,지역,상담가능건수,테이블수,상담홀
        B-POSCO,포스코,대기업,철강,24111,경북,10,2,A
        B-KHNP,한국수력원자력,공기업,원자력발전,35111,경북,8,1,B
        """;

    public const string DemandsCsv = """
        demand_id,buyer_id,title,description,ksic_codes,required_certifications
        D-1,B-POSCO,압연롤 표면처리,압연 설비용 롤의 경질 크롬 도금 및 열처리,25921,ISO 9001
        D-2,B-KHNP,원전 밸브 부품,원자력 발전소용 밸브 주조 부품 공급,24311;29132,KEPIC
        """;

    public static string SmesCsv(int count, int firstSeed = 1)
    {
        var lines = new StringBuilder("사업자등록번호,기업명,지역,종업원수,산업분류코드,보유인증,수출실적,기업소개,키워드,상담희망건수\n");
        for (var i = 0; i < count; i++)
            lines.Append($"{BusinessNumber(firstSeed + i)},㈜부산정밀{firstSeed + i},부산,{12 + i % 40},25921,ISO 9001,Y,\"사출금형 및 프레스 금형 설계·제작, 표면처리\",금형;표면처리,4\n");
        return lines.ToString();
    }

    public static MultipartFormDataContent Upload(byte[] content, string fileName, string? kind)
    {
        var form = new MultipartFormDataContent();
        if (kind is not null) form.Add(new StringContent(kind), "kind");
        form.Add(new ByteArrayContent(content), "file", fileName);
        return form;
    }

    /// <summary>Uploads a file and waits for its import job to finish; returns the job's JSON.</summary>
    public static async Task<JsonElement> ImportAsync(HttpClient client, string eventId, string kind, byte[] content, string fileName = "file.csv")
    {
        var response = await client.PostAsync($"/api/events/{eventId}/imports", Upload(content, fileName, kind));
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var started = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await WaitForJobAsync(client, started.GetProperty("jobId").GetString()!);
    }

    /// <summary>Builds a timetable draft of the event, waits for the job and publishes the draft.</summary>
    public static async Task BuildAndPublishTimetableAsync(HttpClient client, string eventId)
    {
        var build = await client.PostAsync($"/api/events/{eventId}/timetable", null);
        build.StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);
        var jobId = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
        (await WaitForJobAsync(client, jobId)).GetProperty("state").GetString().Should().Be("succeeded");
        (await client.PostAsync($"/api/events/{eventId}/timetable/publish", null)).StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    public static async Task<JsonElement> WaitForJobAsync(HttpClient client, string jobId, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            var state = job.GetProperty("state").GetString();
            if (state is "succeeded" or "failed") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {jobId} still {state}");
            await Task.Delay(50);
        }
    }
}
