using System.Net.Http.Json;
using System.Text.Json;

namespace Matchmaker.Api.Tests.Itineraries;

public class ItinerariesOpenApiTests
{
    static readonly (string Path, string Name, string ContentType)[] Endpoints =
    [
        ("/api/events/{eventId}/smes/{smeId}/itinerary", "GetSmeItinerary", "application/json"),
        ("/api/events/{eventId}/smes/{smeId}/itinerary.html", "GetSmeItineraryHtml", "text/html"),
        ("/api/events/{eventId}/smes/{smeId}/itinerary.ics", "GetSmeItineraryCalendar", "text/calendar"),
        ("/api/events/{eventId}/buyers/{buyerId}/agenda", "GetBuyerAgenda", "application/json"),
        ("/api/events/{eventId}/buyers/{buyerId}/agenda.html", "GetBuyerAgendaHtml", "text/html"),
        ("/api/events/{eventId}/buyers/{buyerId}/agenda.ics", "GetBuyerAgendaCalendar", "text/calendar"),
        ("/api/events/{eventId}/timetable/export.csv", "ExportTimetableCsv", "text/csv"),
        ("/api/events/{eventId}/timetable/export.xlsx", "ExportTimetableXlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/api/events/{eventId}/report", "GetEventReport", "application/json"),
    ];

    [Fact]
    public async Task The_OpenAPI_document_names_summarises_describes_and_types_each_schedule_export_and_report_endpoint()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        foreach (var (path, name, contentType) in Endpoints)
        {
            document.GetProperty("paths").TryGetProperty(path, out var item).Should().BeTrue("{0} is documented", path);
            var get = item.GetProperty("get");
            get.GetProperty("operationId").GetString().Should().Be(name);
            get.GetProperty("summary").GetString().Should().NotBeNullOrWhiteSpace(name);
            get.GetProperty("description").GetString().Should().NotBeNullOrWhiteSpace(name);
            get.GetProperty("responses").GetProperty("200").TryGetProperty("content", out var content).Should().BeTrue("{0} says what it returns", name);
            content.EnumerateObject().Select(c => c.Name).Should().Contain(contentType, name);
        }
    }
}
