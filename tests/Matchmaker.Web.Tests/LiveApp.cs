using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Matchmaker.Web.Tests;

/// <summary>
/// The real app on a real Kestrel port (127.0.0.1, a free port) over a fresh SQLite folder with the sample expo, and one
/// headless Debian chromium (/usr/bin/chromium; Playwright cannot download its own browser here) shared by the tests.
/// </summary>
public class LiveApp : IAsyncLifetime
{
    readonly IReadOnlyDictionary<string, string> _settings;

    public LiveApp() : this(new Dictionary<string, string>()) { }

    /// <param name="settings">Extra configuration of the app (e.g. an SMTP server).</param>
    protected LiveApp(IReadOnlyDictionary<string, string> settings) => _settings = settings;

    public const string OrganiserToken = "mm_web-test-organiser";
    public const string EventId = "busan-2026";
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("MATCHMAKER_CHROMIUM") ?? "/usr/bin/chromium";

    readonly string _dataFolder = Path.Combine(Path.GetTempPath(), "matchmaker-web-tests", Guid.NewGuid().ToString("N"));
    Factory? _factory;
    IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    /// <summary>An HTTP client on the same server presenting the organiser token, for setting the scene quickly.</summary>
    public HttpClient Organiser { get; private set; } = null!;
    public string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");
    /// <summary>The app's SQLite store, for reading what the pages cannot show (e.g. a participant's address).</summary>
    public string DatabasePath => Path.Combine(_dataFolder, "matchmaker.db");

    public async Task InitializeAsync()
    {
        var port = FreePort();
        _factory = new Factory(_dataFolder, _settings);
        _factory.UseKestrel(port);
        _factory.StartServer();
        BaseUrl = $"http://127.0.0.1:{port}";
        Organiser = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        Organiser.DefaultRequestHeaders.Authorization = new("Bearer", OrganiserToken);
        Directory.CreateDirectory(ScreenshotFolder);
        await ScoreAsync();

        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No browser at {ChromiumPath}: install Debian's chromium (apt-get install chromium), as ./test.sh does.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Organiser?.Dispose();
        if (_factory is not null) await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataFolder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A laptop-size browser window.</summary>
    public async Task<IBrowserContext> LaptopAsync() =>
        Watch(await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 }, Locale = "ko-KR" }));

    /// <summary>A phone-size, touch browser window.</summary>
    public async Task<IBrowserContext> PhoneAsync() => Watch(await Browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 2, Locale = "ko-KR",
    }));

    /// <summary>Script errors and console errors (e.g. a content-security-policy refusal) of each page, checked by <see cref="PageChecks"/>.
    /// HTTP error statuses are left out: the pages show those answers on purpose.</summary>
    static IBrowserContext Watch(IBrowserContext context)
    {
        context.Page += (_, page) =>
        {
            var errors = PageChecks.Errors.GetOrCreateValue(page);
            page.Console += (_, message) =>
            {
                if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) lock (errors) errors.Add(message.Text);
            };
            page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        };
        return context;
    }

    /// <summary>Saves the page (its top 2,400 CSS pixels at most: the SME page lists every buyer) under bin/…/screenshots.</summary>
    public async Task ScreenshotAsync(IPage page, string name)
    {
        var size = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        await page.ScreenshotAsync(new()
        {
            Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true,
            Clip = new() { X = 0, Y = 0, Width = size[0], Height = Math.Min(size[1], 2400) },
        });
    }

    /// <summary>Issues a login link for a participant through the API (the participants page does the same by a click).</summary>
    public async Task<string> LinkAsync(string role, long id)
    {
        var response = await Organiser.PostAsJsonAsync($"/api/events/{EventId}/tokens", role switch
        {
            "buyer" => new { role, buyerId = (long?)id, smeId = (long?)null },
            "sme" => new { role, buyerId = (long?)null, smeId = (long?)id },
            _ => new { role, buyerId = (long?)null, smeId = (long?)null },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        return $"{BaseUrl}/login?token={Uri.EscapeDataString(token)}";
    }

    /// <summary>
    /// A sign-in link of an analyst account granted every event (an analyst token issued for one event reads only that
    /// one; replaying past events needs them granted by the administrator).
    /// </summary>
    public async Task<string> AnalystOfEveryEventLinkAsync()
    {
        var created = await Organiser.PostAsJsonAsync("/api/accounts", new { name = "분석 담당", role = "analyst" });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var accountId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetInt64();
        foreach (var e in (await Organiser.GetFromJsonAsync<JsonElement>("/api/events")).EnumerateArray())
            (await Organiser.PutAsync($"/api/accounts/{accountId}/events/{e.GetProperty("eventId").GetString()}", null)).EnsureSuccessStatusCode();
        var issued = await Organiser.PostAsJsonAsync($"/api/accounts/{accountId}/tokens", new { label = "web test" });
        return (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signInLink").GetString()!;
    }

    public async Task<IReadOnlyList<(long Id, string Name)>> BuyersAsync() =>
        (await Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{EventId}/buyers")).EnumerateArray()
            .Select(b => (b.GetProperty("id").GetInt64(), b.GetProperty("name").GetString()!)).ToList();

    public async Task<IReadOnlyList<(long Id, string Name)>> SmesAsync() =>
        (await Organiser.GetFromJsonAsync<JsonElement>($"/api/events/{EventId}/smes?pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(b => (b.GetProperty("id").GetInt64(), b.GetProperty("name").GetString()!)).ToList();

    public async Task OpenRequestWindowAsync()
    {
        var response = await Organiser.PutAsJsonAsync($"/api/events/{EventId}/request-window", new { open = true });
        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    /// <summary>Scores the sample expo (the recommendations and "why" explanations need it) and waits for the job.</summary>
    async Task ScoreAsync()
    {
        var response = await Organiser.PostAsync($"/api/events/{EventId}/rescoring", null);
        response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString();
        for (var i = 0; i < 600; i++)
        {
            var job = await Organiser.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}");
            var state = job.GetProperty("state").GetString();
            if (state == "succeeded") return;
            state.Should().NotBe("failed", job.ToString());
            await Task.Delay(200);
        }
        throw new TimeoutException("scoring the sample expo took over two minutes");
    }

    /// <summary>Builds a draft and publishes it through the API (the board does the same by two clicks).</summary>
    public async Task PublishTimetableAsync()
    {
        await BuildDraftAsync();
        await PublishDraftAsync();
    }

    /// <summary>Builds a draft timetable and waits for the job.</summary>
    public async Task BuildDraftAsync()
    {
        var build = await Organiser.PostAsync($"/api/events/{EventId}/timetable", null);
        build.StatusCode.Should().Be(HttpStatusCode.Accepted, await build.Content.ReadAsStringAsync());
        var jobId = (await build.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString();
        for (var i = 0; ; i++)
        {
            var state = (await Organiser.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}")).GetProperty("state").GetString();
            if (state == "succeeded") break;
            state.Should().NotBe("failed");
            if (i > 600) throw new TimeoutException("the timetable build took over two minutes");
            await Task.Delay(200);
        }
    }

    /// <summary>Publishes the latest draft.</summary>
    public async Task PublishDraftAsync()
    {
        var grid = await Organiser.GetAsync($"/api/events/{EventId}/timetable");
        var publish = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{EventId}/timetable/publish");
        publish.Headers.IfMatch.Add(grid.Headers.ETag!);
        var published = await Organiser.SendAsync(publish);
        published.StatusCode.Should().Be(HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    sealed class Factory(string dataFolder, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Matchmaker:Store:DataFolder", dataFolder);
            builder.UseSetting("Matchmaker:Samples:LoadOnEmptyStore", "true");
            builder.UseSetting("Matchmaker:Worker:InProcess", "true");
            builder.UseSetting("Matchmaker:Access:OrganiserToken", OrganiserToken);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<LiveApp>
{
    public const string Name = "browser";
}
