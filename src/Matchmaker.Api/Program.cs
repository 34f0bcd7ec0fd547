using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Matchmaker.Api;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Exports;
using Matchmaker.Api.Health;
using Matchmaker.Api.Idempotency;
using Matchmaker.Api.Imports;
using Matchmaker.Api.Itineraries;
using Matchmaker.Api.Jobs;
using Matchmaker.Api.Meetings;
using Matchmaker.Api.Notifications;
using Matchmaker.Api.Pages;
using Matchmaker.Api.Profiles;
using Matchmaker.Api.Requests;
using Matchmaker.Api.Matching;
using Matchmaker.Api.Recommendations;
using Matchmaker.Api.Reports;
using Matchmaker.Api.Store;
using Matchmaker.Api.Timetable;
using Matchmaker.Hosting;
using Matchmaker.Worker.Jobs;

// A published copy (dotnet publish) holds its pages, settings and samples beside its dll, and is started from any folder:
// its own folder is then its content root. A build keeps the pages in the project folder, the content root it runs from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null,
});

builder.Services.AddMatchmakerCore();
builder.Services.AddMatchmakerJobs(builder.Configuration, JobsHost.Api); // runs them here unless Matchmaker:Worker:InProcess is false
builder.Services.AddMatchmakerAccess();
builder.Services.AddMatchmakerRateLimits();
builder.Services.AddMatchmakerReverseProxy(); // nginx in front: believe its X-Forwarded-* headers, loopback or configured only
builder.Services.AddSingleton<ParticipantViews>();
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
builder.Services.AddExceptionHandler<StoreBusy>(); // a write the store could not take in time: 503 store_busy, not 500
builder.Services.AddExceptionHandler<StoreUnavailable>(); // the database restarted or failed over: 503 store_unavailable, not 500
builder.Services.AddValidation();
builder.Services.AddOpenApi(o => o.AddRequestExamples().AddProblemResponses());
builder.Services.AddMatchmakerHealth(); // the store and the job engine
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();
await app.InitialiseStoreAsync();

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestSizeLimits>();
app.UsePages(); // static files and the CSRF check for cookie-signed requests
if (app.Environment.IsDevelopment())
    app.UseSwaggerUI(ui => ui.SwaggerEndpoint("/openapi/v1.json", "Matchmaker API")); // browsable at /swagger, before authorization
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<EventScope>(); // which events a token may reach, in one place; and the audit log of staff writes
app.UseRateLimiter();
app.UseMiddleware<IdempotencyMiddleware>();
app.MapOpenApi().AllowAnonymous();
app.MapMatchmakerHealth();
app.MapAccess();
app.MapAccounts();
app.MapEvents();
app.MapImports();
app.MapRequests();
app.MapMeetings();
app.MapTimetable();
app.MapItineraries();
app.MapProfiles();
app.MapTimetableExports();
app.MapReports();
app.MapJobs();
app.MapNotifications();
app.MapMatching();
app.MapRecommendations();
app.MapPages();

app.Run();

/// <summary>The API host (public so that tests can start it).</summary>
public partial class Program;
