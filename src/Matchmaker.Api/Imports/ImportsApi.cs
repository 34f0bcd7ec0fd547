using Matchmaker.Core.Messages;
using Matchmaker.Api.Idempotency;
using System.ComponentModel;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Jobs;
using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Worker.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api.Imports;

/// <summary>Uploading participant spreadsheets; the import itself runs as a background job.</summary>
public static class ImportsApi
{
    /// <summary>Largest upload accepted (the importer's own limit is 10 MB; the form adds a little).</summary>
    public const long MaxUploadBytes = 10 * 1024 * 1024;

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/events/{eventId}/imports", StartImport)
            .WithTags("Imports").WithName(nameof(StartImport))
            .Answers(StatusCodes.Status400BadRequest, "import.kind_required", "import.file_required")
            .Answers(StatusCodes.Status413PayloadTooLarge, "import.file_too_large").WithMetadata(new IdempotentAttribute())
            .WithSummary("Upload buyers, demands or SMEs (CSV in UTF-8 or CP949, or XLSX); returns the import job")
            .WithDescription("All-or-nothing: one bad row rejects the whole file; GET the job for the row-by-row report.")
            .DisableAntiforgery()
            .RequireAuthorization(AccessSetup.Organisers)
            .WithMetadata(new RequestSizeLimitMetadata(MaxUploadBytes + 64 * 1024));
        return routes;
    }

    static async Task<Results<Accepted<JobStarted>, ProblemHttpResult>> StartImport(
        string eventId,
        [FromForm, Description("buyers, demands or smes (form field, or ?kind= in the query)")] string? kind,
        [FromQuery(Name = "kind"), Description("buyers, demands or smes")] string? kindInQuery,
        IFormFile? file,
        EventStore events, BackgroundWork background, CancellationToken cancellationToken)
    {
        if (!ParticipantKinds.TryParse(kind ?? kindInQuery, out var participantKind))
            return Problems.BadRequest(new Message("import.kind_required"), "kind");
        if (file is null || file.Length == 0)
            return Problems.BadRequest(new Message("import.file_required"), "file");
        if (file.Length > MaxUploadBytes)
            return Problems.TooLarge(new Message("import.file_too_large", file.Length, MaxUploadBytes), "file");
        var found = await events.FindAsync(eventId, cancellationToken);
        if (found is not { Id: var eventDbId }) return Problems.EventNotFound(eventId);

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var jobId = await background.ImportAsync(eventDbId, participantKind, file.FileName, buffer.ToArray(), cancellationToken);
        return JobStarted.Accepted(jobId);
    }

    sealed class RequestSizeLimitMetadata(long maxRequestBodySize) : Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = maxRequestBodySize;
    }
}
