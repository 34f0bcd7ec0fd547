using Matchmaker.Core.Messages;
using System.ComponentModel.DataAnnotations;
using Matchmaker.Core;
using Matchmaker.Api.Idempotency;
using Dapper;
using Matchmaker.Api.Access;
using Matchmaker.Api.Events;
using Matchmaker.Api.Jobs;
using Matchmaker.Core.Events;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Timetables;
using Matchmaker.Worker.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Matchmaker.Api.Timetable;

/// <summary>
/// The organiser's timetable: build a draft (job), review the grid with its bound and gap, lock or move meetings,
/// publish, and repair on the day. Edits carry the version's ETag in If-Match so two organisers never overwrite each other.
/// </summary>
public static class TimetableApi
{
    public static IEndpointRouteBuilder MapTimetable(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/events/{eventId}/timetable").WithTags("Timetable")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(AccessSetup.Organisers);
        group.MapPost("/", BuildTimetable).WithName(nameof(BuildTimetable)).WithMetadata(new IdempotentAttribute())
            .WithSummary("Build a draft timetable from scores, accepted requests, availability and locks; returns the job");
        group.MapGet("/", GetTimetable).WithName(nameof(GetTimetable))
            .Answers(StatusCodes.Status404NotFound, "timetable.none", "timetable.version_not_found")
            .WithSummary("The timetable grid (latest version, or ?version=N) with its objective, upper bound and gap; ETag for edits");
        group.MapGet("/versions", ListVersions).WithName(nameof(ListVersions)).WithSummary("Every version, newest first");
        group.MapPost("/publish", PublishTimetable).WithName(nameof(PublishTimetable))
            .Answers(StatusCodes.Status400BadRequest, "timetable.bad_if_match", "timetable.none", "timetable.version_not_found")
            .Answers(StatusCodes.Status409Conflict, "timetable.not_a_draft")
            .Answers(StatusCodes.Status409Conflict, SlotRefusals.LiveMeetings)
            .Answers(StatusCodes.Status412PreconditionFailed, "timetable.if_match_other_version", "timetable.stale")
            .WithSummary("Publish a draft (latest by default): participants' itineraries follow it").ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPut("/meetings/{meetingId:long}/lock", LockMeeting).WithName(nameof(LockMeeting))
            .Answers(StatusCodes.Status400BadRequest, "timetable.bad_if_match", "timetable.none", "timetable.meeting_not_in_latest")
            .Answers(StatusCodes.Status400BadRequest, SlotRefusals.Invalid)
            .Answers(StatusCodes.Status409Conflict, SlotRefusals.Conflict)
            .Answers(StatusCodes.Status409Conflict, SlotRefusals.LiveMeetings)
            .Answers(StatusCodes.Status412PreconditionFailed, "timetable.stale")
            .WithSummary("Lock or unlock a meeting of the latest version, optionally moving it to another slot/table (validated)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        group.MapPost("/repairs", RepairTimetable).WithName(nameof(RepairTimetable))
            .Answers(StatusCodes.Status400BadRequest, "repair.required", "repair.unknown_kind", "repair.name_who_cancels", "repair.name_who_did_not_come", "repair.walk_in_has_meetings", "repair.inconsistent", "repair.table_used_before_now", "repair.table_range", "repair.pair_score_required", "repair.sme_exists", "repair.unsupported", "slot_unknown", "participant_not_in_event")
            .Answers(StatusCodes.Status409Conflict, "timetable.nothing_to_repair", "repair.published_changed")
            .Answers(StatusCodes.Status409Conflict, SlotRefusals.LiveMeetings).WithMetadata(new IdempotentAttribute())
            .WithSummary("Repair the published timetable after changes on the day; returns the new draft and the diff")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    static async Task<Results<Accepted<JobStarted>, ProblemHttpResult>> BuildTimetable(string eventId, HttpContext http,
        BackgroundWork background, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        var jobId = await background.BuildTimetableDraftAsync(eventDbId, cancellationToken);
        return JobStarted.Accepted(jobId);
    }

    static async Task<Results<Ok<TimetableGrid>, ProblemHttpResult>> GetTimetable(string eventId, int? version, HttpContext http,
        Database database, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        await using var connection = await database.OpenAsync(cancellationToken);
        var found = await TimetableStore.FindVersionAsync(connection, null, eventDbId, version);
        if (found is null)
            return Problems.NotFound(version is null ? new Message("timetable.none") : new Message("timetable.version_not_found", version),
                version is null ? "eventId" : "version");
        var meetings = await TimetableStore.MeetingsAsync(connection, null, found.Id);
        var slots = (await connection.QueryAsync<string>("SELECT code FROM slots WHERE event_id = @eventDbId ORDER BY local_start", new { eventDbId })).ToList();
        var buyers = (await connection.QueryAsync<GridBuyer>("""
            SELECT buyer_id AS BuyerId, name AS Name, hall AS Hall, tables AS Tables
            FROM event_buyers WHERE event_id = @eventDbId ORDER BY name, buyer_id
            """, new { eventDbId })).ToList();
        http.Response.Headers.ETag = ETag(found);
        var basedOnVersion = found.BasedOn is { } basedOn
            ? await connection.ExecuteScalarAsync<int?>("SELECT version FROM timetables WHERE id = @basedOn", new { basedOn })
            : null;
        return TypedResults.Ok(new TimetableGrid(eventId, found.Version, found.Status, basedOnVersion,
            found.Objective, found.UpperBound, found.Gap, found.SolverStatus, found.Meetings, found.SmesBelowMin, found.Revision,
            found.CreatedAt, found.PublishedAt, slots, buyers, meetings,
            found.DiffJson is null ? null : System.Text.Json.JsonSerializer.Deserialize<RepairDiff>(found.DiffJson, Core.Jobs.JobStore.Json)!.In(Labels.LanguageOf(http))));
    }

    static async Task<Results<Ok<IReadOnlyList<TimetableVersion>>, ProblemHttpResult>> ListVersions(string eventId, HttpContext http, Database database,
        CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        await using var connection = await database.OpenAsync(cancellationToken);
        return TypedResults.Ok(await TimetableStore.VersionsAsync(connection, eventDbId));
    }

    static async Task<Results<Ok<TimetableVersion>, ProblemHttpResult>> PublishTimetable(string eventId, PublishRequest? request,
        [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, TimetableService timetables, BackgroundWork background,
        CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!TryParseETag(ifMatch, out var expected)) return Problems.BadRequest(new Message("timetable.bad_if_match"), "If-Match");
        if (expected is { } e && request?.Version is { } v && e.Version != v)
            return Problems.PreconditionFailed(new Message("timetable.if_match_other_version", e.Version, v), "If-Match");
        var published = await Edit(http, () => timetables.PublishAsync(eventDbId, request?.Version ?? expected?.Version, expected?.Revision, cancellationToken));
        // The publish wrote the participants' notifications in its transaction; they go out now rather than at the next sweep.
        if (published.Result is Ok<TimetableVersion>) await background.DeliverNotificationsAsync(cancellationToken);
        return published;
    }

    static async Task<Results<Ok<TimetableVersion>, ProblemHttpResult>> LockMeeting(string eventId, long meetingId, LockRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, TimetableService timetables, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!TryParseETag(ifMatch, out var expected)) return Problems.BadRequest(new Message("timetable.bad_if_match"), "If-Match");
        return await Edit(http, () => timetables.EditMeetingAsync(eventDbId, meetingId, request.Locked, request.Slot, request.Table, expected?.Revision, cancellationToken));
    }

    static async Task<Results<Created<RepairOutcome>, ProblemHttpResult>> RepairTimetable(string eventId, RepairRequest request, HttpContext http,
        TimetableService timetables, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        try
        {
            var (version, diff) = await timetables.RepairAsync(eventDbId, request.Changes ?? [], request.MovePenalty, cancellationToken);
            http.Response.Headers.ETag = ETag(version);
            return TypedResults.Created($"/api/events/{eventId}/timetable?version={version.Version}", new RepairOutcome(version, diff.In(Labels.LanguageOf(http))));
        }
        catch (RefusedException e)
        {
            return Problems.Refused(e);
        }
    }

    static async Task<Results<Ok<TimetableVersion>, ProblemHttpResult>> Edit(HttpContext http, Func<Task<TimetableVersion>> edit)
    {
        try
        {
            var version = await edit();
            http.Response.Headers.ETag = ETag(version);
            return TypedResults.Ok(version);
        }
        catch (RefusedException e)
        {
            return Problems.Refused(e);
        }
    }

    /// <summary>The ETag of a version: its number and revision.</summary>
    public static string ETag(TimetableVersion version) => $"\"{version.Version}.{version.Revision}\"";

    static bool TryParseETag(string? header, out (int Version, int Revision)? etag)
    {
        etag = null;
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*") return true;
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        var parts = text.Trim('"').Split('.');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var v) || !int.TryParse(parts[1], out var r)) return false;
        etag = (v, r);
        return true;
    }
}

public sealed record GridBuyer(long BuyerId, string Name, string? Hall, long Tables);
/// <summary>A timetable version as the organiser's board shows it: buyers × slots, each meeting with its score and lock.</summary>
public sealed record TimetableGrid(string EventId, int Version, string Status, int? BasedOnVersion, double Objective, double? UpperBound,
    double? Gap, string SolverStatus, int MeetingCount, int SmesBelowMin, int Revision, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt,
    IReadOnlyList<string> Slots, IReadOnlyList<GridBuyer> Buyers, IReadOnlyList<TimetableMeeting> Meetings, RepairDiff? Diff);
public sealed record PublishRequest(int? Version);
/// <summary>Lock (or unlock) a meeting; give a slot and/or table to move it there first.</summary>
public sealed record LockRequest(bool Locked = true, string? Slot = null, int? Table = null);
public sealed record RepairRequest(
    [property: Required(ErrorMessage = "repair.changes_required"), MinLength(1, ErrorMessage = "repair.changes_required")] IReadOnlyList<DayChange>? Changes,
    [property: Range(0, double.MaxValue, ErrorMessage = "repair.move_penalty_negative")] double? MovePenalty = null);
public sealed record RepairOutcome(TimetableVersion Version, RepairDiff Diff);
