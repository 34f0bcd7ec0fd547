using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Exports;
using Matchmaker.Api.Health;
using Matchmaker.Api.Imports;
using Matchmaker.Api.Itineraries;
using Matchmaker.Api.Jobs;
using Matchmaker.Api.Reports;
using Matchmaker.Api.Store;
using Matchmaker.Api.Timetable;
using Matchmaker.Worker.Jobs;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddMatchmakerCore(builder.Configuration);
builder.Services.AddMatchmakerWorker(builder.Configuration,
    runJobs: builder.Configuration.GetValue("Matchmaker:Worker:InProcess", true));
builder.Services.AddMatchmakerAccess();
builder.Services.AddProblemDetails();
builder.Services.AddValidation();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();
await app.InitialiseStoreAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapAccess();
app.MapEvents();
app.MapImports();
app.MapTimetable();
app.MapItineraries();
app.MapTimetableExports();
app.MapReports();
app.MapJobs();

app.Run();

/// <summary>The API host (public so that tests can start it).</summary>
public partial class Program;
