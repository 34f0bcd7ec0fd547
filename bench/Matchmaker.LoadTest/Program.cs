using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

// Mixed run against a running API on loopback: SMEs request introductions, buyers accept or decline, buyers record
// outcomes of published meetings, all at once for a fixed time. Afterwards every write the API confirmed is checked in
// the API's own answers (nothing lost), and anything but a success or a business refusal (409) counts as an error.
var url = new Option<string>("--url") { DefaultValueFactory = _ => "http://127.0.0.1:5080" };
var token = new Option<string>("--organiser-token") { Required = true };
var eventId = new Option<string>("--event") { DefaultValueFactory = _ => "busan-2026" };
var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 120 };
var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 32 };
var participants = new Option<int>("--smes") { DefaultValueFactory = _ => 120 };
var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
var root = new RootCommand("Matchmaker mixed-write load run") { url, token, eventId, seconds, concurrency, participants, seed };
root.SetAction(async (parse, ct) => await Run(parse.GetValue(url)!, parse.GetValue(token)!, parse.GetValue(eventId)!, parse.GetValue(seconds),
    parse.GetValue(concurrency), parse.GetValue(participants), parse.GetValue(seed), ct));
return await root.Parse(args).InvokeAsync();

static async Task<int> Run(string baseUrl, string organiserToken, string eventId, int seconds, int concurrency, int smeCount, int seed, CancellationToken ct)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 };
    HttpClient Client(string token) => new(handler, disposeHandler: false) { BaseAddress = new Uri(baseUrl), DefaultRequestHeaders = { Authorization = new("Bearer", token) } };
    var organiser = Client(organiserToken);

    var smes = (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/smes?pageSize=200", ct)).GetProperty("items")
        .EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).Take(smeCount).ToArray();
    var buyers = (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/buyers", ct)).EnumerateArray()
        .Select(b => b.GetProperty("id").GetInt64()).ToArray();
    async Task<HttpClient> TokenFor(string role, long id)
    {
        var response = await organiser.PostAsJsonAsync($"/api/events/{eventId}/tokens",
            new { role, smeId = role == "sme" ? id : (long?)null, buyerId = role == "buyer" ? id : (long?)null, label = "load test" }, ct);
        response.EnsureSuccessStatusCode();
        return Client((await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!);
    }
    var smeClients = new Dictionary<long, HttpClient>();
    foreach (var s in smes) smeClients[s] = await TokenFor("sme", s);
    var buyerClients = new Dictionary<long, HttpClient>();
    foreach (var b in buyers) buyerClients[b] = await TokenFor("buyer", b);
    (await organiser.PutAsJsonAsync($"/api/events/{eventId}/request-window", new { open = true }, ct)).EnsureSuccessStatusCode();
    var meetings = new ConcurrentQueue<(long Meeting, long Buyer)>();
    var grid = await organiser.GetAsync($"/api/events/{eventId}/timetable", ct);
    if (grid.IsSuccessStatusCode)
        foreach (var m in (await grid.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("meetings").EnumerateArray())
            if (m.GetProperty("liveMeetingId").ValueKind == JsonValueKind.Number && m.GetProperty("status").GetString() == "scheduled")
                meetings.Enqueue((m.GetProperty("liveMeetingId").GetInt64(), m.GetProperty("buyerId").GetInt64()));

    var confirmedRequests = new ConcurrentDictionary<long, long>();   // request id → sme
    var confirmedDecisions = new ConcurrentDictionary<long, string>(); // request id → state
    var confirmedOutcomes = new ConcurrentDictionary<long, string>();  // meeting id → status
    var counts = new ConcurrentDictionary<string, int>();
    var errors = new ConcurrentBag<string>();
    var latencies = new ConcurrentBag<double>();
    var stop = Stopwatch.StartNew();

    async Task<HttpResponseMessage> Timed(Func<Task<HttpResponseMessage>> call)
    {
        var t = Stopwatch.GetTimestamp();
        var response = await call();
        latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        return response;
    }
    void Count(string what, HttpResponseMessage response, string body)
    {
        var code = (int)response.StatusCode;
        counts.AddOrUpdate($"{what} {code}", 1, (_, n) => n + 1);
        if (code >= 500 || code is 400 or 401 or 403 or 404 or 429) errors.Add($"{what} {code}: {body[..Math.Min(body.Length, 200)]}");
    }

    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        var random = new Random(seed * 1000 + w);
        while (stop.Elapsed.TotalSeconds < seconds && !ct.IsCancellationRequested)
        {
            var roll = random.NextDouble();
            if (roll < 0.5)
            {
                var sme = smes[random.Next(smes.Length)];
                var buyer = buyers[random.Next(buyers.Length)];
                var response = await Timed(() => smeClients[sme].PostAsJsonAsync($"/api/events/{eventId}/smes/{sme}/requests",
                    new { buyerId = buyer, priority = 1 + random.Next(3), pitch = "부하 시험 요청" }, ct));
                var body = await response.Content.ReadAsStringAsync(ct);
                Count("request", response, body);
                if (response.StatusCode == HttpStatusCode.Created) confirmedRequests[JsonDocument.Parse(body).RootElement.GetProperty("requestId").GetInt64()] = sme;
            }
            else if (roll < 0.85)
            {
                var buyer = buyers[random.Next(buyers.Length)];
                var inbox = await Timed(() => buyerClients[buyer].GetAsync($"/api/events/{eventId}/buyers/{buyer}/requests?state=pending", ct));
                var body = await inbox.Content.ReadAsStringAsync(ct);
                Count("inbox", inbox, body);
                if (!inbox.IsSuccessStatusCode) continue;
                var pending = JsonDocument.Parse(body).RootElement.EnumerateArray().Select(r => r.GetProperty("requestId").GetInt64()).ToList();
                if (pending.Count == 0) continue;
                var requestId = pending[random.Next(pending.Count)];
                var accept = random.NextDouble() < 0.6;
                var decision = await Timed(() => buyerClients[buyer].PostAsJsonAsync(
                    $"/api/events/{eventId}/buyers/{buyer}/requests/{requestId}/{(accept ? "accept" : "decline")}", new { reason = accept ? null : "일정 부족" }, ct));
                var decisionBody = await decision.Content.ReadAsStringAsync(ct);
                Count(accept ? "accept" : "decline", decision, decisionBody);
                if (decision.IsSuccessStatusCode) confirmedDecisions[requestId] = accept ? "accepted" : "declined";
            }
            else if (meetings.TryDequeue(out var meeting))
            {
                var held = random.NextDouble() < 0.9;
                var response = await Timed(() => buyerClients[meeting.Buyer].PostAsJsonAsync($"/api/events/{eventId}/meetings/{meeting.Meeting}/outcome",
                    held ? new { status = "held", rating = (int?)(1 + random.Next(5)) } : new { status = "no_show", rating = (int?)null }, ct));
                var body = await response.Content.ReadAsStringAsync(ct);
                Count("outcome", response, body);
                if (response.IsSuccessStatusCode) confirmedOutcomes[meeting.Meeting] = held ? "held" : "no_show";
            }
        }
    }).ToList();
    await Task.WhenAll(workers);
    var elapsed = stop.Elapsed.TotalSeconds;

    // Nothing lost: every confirmed write is in the store, as the API reports it.
    var lost = 0;
    var stored = new Dictionary<long, string>();
    foreach (var sme in smes)
        foreach (var r in (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/smes/{sme}/requests", ct)).EnumerateArray())
            stored[r.GetProperty("requestId").GetInt64()] = r.GetProperty("state").GetString()!;
    lost += confirmedRequests.Keys.Count(id => !stored.ContainsKey(id));
    lost += confirmedDecisions.Count(d => stored.GetValueOrDefault(d.Key) != d.Value);
    if (grid.IsSuccessStatusCode)
    {
        var statuses = (await organiser.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/timetable", ct)).GetProperty("meetings").EnumerateArray()
            .Where(m => m.GetProperty("liveMeetingId").ValueKind == JsonValueKind.Number)
            .ToDictionary(m => m.GetProperty("liveMeetingId").GetInt64(), m => m.GetProperty("status").GetString());
        lost += confirmedOutcomes.Count(o => statuses.GetValueOrDefault(o.Key) != o.Value);
    }
    var sorted = latencies.Order().ToArray();
    double P(double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
    foreach (var (key, value) in counts.OrderBy(c => c.Key)) Console.WriteLine($"{key,-20} {value,8}");
    foreach (var e in errors.Take(10)) Console.WriteLine($"error: {e}");
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        seconds = Math.Round(elapsed, 1), concurrency, operations = sorted.Length, ops_per_second = Math.Round(sorted.Length / elapsed, 1),
        p50_ms = Math.Round(P(0.50), 2), p99_ms = Math.Round(P(0.99), 2), errors = errors.Count,
        confirmed_requests = confirmedRequests.Count, confirmed_decisions = confirmedDecisions.Count, confirmed_outcomes = confirmedOutcomes.Count,
        lost_writes = lost,
    }));
    return errors.IsEmpty && lost == 0 ? 0 : 1;
}
