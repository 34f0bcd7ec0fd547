using Matchmaker.Core.Messages;
using System.Text.Json;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Events;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Scheduling;
using Matchmaker.Core.Storage;
using Polly.Registry;

namespace Matchmaker.Core.Timetables;

/// <summary>Solver settings for timetables built in the product (section <c>Matchmaker:Scheduling</c>).</summary>
public sealed record TimetableOptions
{
    /// <summary>Seconds the optimiser may spend on a draft. An expo-size event is certified optimal in well under a second.</summary>
    public double TimeLimitSeconds { get; init; } = 20;

    /// <summary>Seed of the optimiser's randomised repair rounds; the same inputs and seed give the same timetable.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Pairs scoring below this are not scheduled (unless a request between them was accepted). Too low fills tables with
    /// meetings nobody wanted; too high leaves SMEs below their fairness floor.
    /// </summary>
    public double MinimumScore { get; init; } = 0.15;

    /// <summary>Objective cost of moving a published meeting the change did not force (see <see cref="RepairOptions"/>).</summary>
    public double MovePenalty { get; init; } = 1.0;
}

/// <summary>A change on the day, in the store's ids, as an organiser reports it.</summary>
/// <param name="Kind">cancel, no_show, now, remove_table, add_sme or accept_request.</param>
public sealed record DayChange(string Kind, long? SmeId = null, long? BuyerId = null, string? Slot = null,
    IReadOnlyList<string>? Slots = null, int? Table = null);


/// <summary>The diff of a repair, with names, ready to show the organiser and to tell the participants.</summary>
public sealed record RepairDiff(IReadOnlyList<DiffMeeting> Kept, IReadOnlyList<DiffMove> Moved, IReadOnlyList<DiffCancel> Cancelled,
    IReadOnlyList<DiffMeeting> Added, IReadOnlyList<Party> NotifySmes, IReadOnlyList<Party> NotifyBuyers);
public sealed record DiffMeeting(long SmeId, long BuyerId, string Slot, int Table);
/// <param name="Reason">The reason's code (<c>sme_cancelled</c> …); <see cref="ReasonText"/> says it in the reader's language.</param>
public sealed record DiffMove(DiffMeeting From, DiffMeeting To, string Reason)
{
    /// <summary>The reason from the catalogue (<c>reason.{Reason}</c>) in the reader's language, filled when answered.</summary>
    public string? ReasonText { get; init; }
}
public sealed record DiffCancel(DiffMeeting Meeting, string Reason)
{
    /// <summary>The reason from the catalogue (<c>reason.{Reason}</c>) in the reader's language, filled when answered.</summary>
    public string? ReasonText { get; init; }
}
public sealed record Party(long Id, string Name);

public static class RepairDiffs
{
    /// <summary>The diff with each move's and cancellation's reason said in <paramref name="language"/>.</summary>
    public static RepairDiff In(this RepairDiff diff, MessageLanguage language) => diff with
    {
        Moved = diff.Moved.Select(m => m with { ReasonText = ReasonText(m.Reason, language) }).ToList(),
        Cancelled = diff.Cancelled.Select(c => c with { ReasonText = ReasonText(c.Reason, language) }).ToList(),
    };

    static string? ReasonText(string? reason, MessageLanguage language) =>
        reason is { Length: > 0 } && MessageCatalog.Entries.ContainsKey($"reason.{reason}") ? MessageCatalog.Text($"reason.{reason}", language) : reason;
}

/// <summary>
/// Timetables in the product: build a draft from the store with the optimiser, review and lock, publish, repair on the
/// day. Every version is kept; edits and publishing are checked against the version's revision (optimistic concurrency).
/// </summary>
public sealed class TimetableService(Database database, EventStore events, JobStore jobs, TimetableOptions options,
    ResiliencePipelineProvider<string> pipelines, TimeProvider clock)
{
    public const string BuildJobKind = "timetable";

    public Task<string> CreateBuildJobAsync(long eventDbId, CancellationToken cancellationToken = default) =>
        jobs.CreateAsync(BuildJobKind, eventDbId, null, cancellationToken);

    /// <summary>Builds a draft from the store as the job's event stands now; locked meetings of the latest version stay put.</summary>
    public async Task BuildDraftJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.State is JobState.Succeeded or JobState.Failed || job.EventId is null) return;
        await jobs.StartAsync(jobId, cancellationToken);
        var found = await events.FindAsync(job.EventId, cancellationToken) ?? throw new InvalidOperationException($"event {job.EventId} is gone");
        await jobs.ReportProgressAsync(jobId, 0.1, JobMessages.Encode(new Message("job.timetable_reading")), cancellationToken);
        // Read, solve outside any write lock (the solve takes seconds), then write only if the locks it kept are still
        // those of the latest version; an organiser's edit in between means solving again from what the store holds now.
        for (var attempt = 1; ; attempt++)
        {
            TimetableVersion? latest;
            IReadOnlyList<Scheduling.Meeting> locks;
            TimetableInputs inputs;
            await using (var connection = await database.OpenAsync(cancellationToken))
            await using (var read = await connection.BeginReadAsync())
            {
                latest = await TimetableStore.FindVersionAsync(connection, read, found.Id, null);
                locks = latest is null ? [] : await TimetableStore.ScheduleOfAsync(connection, read, latest.Id, lockedOnly: true);
                // Recorded meetings (held, no-show) are history the draft is built around: pinned where they happened, and an
                // organiser's lock that would clash with them gives way.
                var settled = await SettledAsync(connection, read, found.Id);
                var pinned = settled.Concat(locks.Where(l => !settled.Any(h => h.Slot == l.Slot && (h.Sme == l.Sme || (h.Buyer == l.Buyer && h.Table == l.Table)))
                    && !settled.Any(h => h.Sme == l.Sme && h.Buyer == l.Buyer))).ToList();
                inputs = await TimetableInputs.ReadAsync(connection, read, found.Id, found.Event, pinned, options.MinimumScore);
            }
            var result = ScheduleSolver.Solve(inputs.Problem,
                new SchedulingOptions(TimeSpan.FromSeconds(options.TimeLimitSeconds), options.Seed), clock);
            var written = await pipelines.GetPipeline(TransientFaults.StoreJobWrite).ExecuteAsync(async ct =>
            {
                await using var connection = await database.OpenAsync(ct);
                await using var transaction = await connection.BeginWriteAsync(ct);
                var now = await TimetableStore.FindVersionAsync(connection, transaction, found.Id, null);
                if (now?.Id != latest?.Id || now?.Revision != latest?.Revision) return false;
                var (_, version) = await TimetableStore.SaveAsync(connection, transaction, inputs, result, latest?.Id, null,
                    locks.Select(l => (l.Sme, l.Buyer)).ToHashSet(), clock.GetUtcNow());
                await jobs.FinishAsync(connection, transaction, jobId, true,
                    JobMessages.Encode(result.Gap is { } g
                        ? new Message("job.timetable_done", version, result.Meetings, g.ToString("P3", System.Globalization.CultureInfo.InvariantCulture))
                        : new Message("job.timetable_done_no_gap", version, result.Meetings)),
                    new { version, result.Meetings, result.Objective, result.UpperBound, result.Gap, result.SmesBelowMin, result.Status });
                await transaction.CommitAsync(ct);
                return true;
            }, cancellationToken);
            if (written) return;
            if (attempt == 3) throw new InvalidOperationException("the timetable was edited during each of 3 solves; build the draft again when the edits are done");
            await jobs.ReportProgressAsync(jobId, 0.1, JobMessages.Encode(new Message("job.timetable_reread")), cancellationToken);
        }
    }

    /// <summary>Publishes a draft: the previous published version is superseded and the live meetings follow this one.</summary>
    public async Task<TimetableVersion> PublishAsync(long eventDbId, int? version, int? expectedRevision, CancellationToken cancellationToken = default)
    {
        var published = await pipelines.WriteEventAsync(database, eventDbId, async (connection, transaction, _) =>
        {
            var draft = await TimetableStore.FindVersionAsync(connection, transaction, eventDbId, version)
                ?? throw new RefusedException("version", version is null ? new Message("timetable.none") : new Message("timetable.version_not_found", version));
            if (draft.Status != "draft") throw new RefusedException("version", new Message("timetable.not_a_draft", draft.Version, new Message($"timetable_status.{draft.Status}")), Refusal.Conflict);
            CheckRevision(draft, expectedRevision);
            var now = clock.GetUtcNow();
            var firstPublish = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM timetables WHERE event_id = @eventDbId AND published_at IS NOT NULL", new { eventDbId }, transaction) == 0;
            var before = await Outbox.LiveStatesAsync(connection, transaction, eventDbId);
            await connection.ExecuteAsync("UPDATE timetables SET status = 'superseded' WHERE event_id = @eventDbId AND status = 'published'",
                new { eventDbId }, transaction);
            await connection.ExecuteAsync("UPDATE timetables SET status = 'published', published_at = @now, revision = revision + 1 WHERE id = @Id",
                new { draft.Id, now }, transaction);
            await LiveMeetings.SyncAsync(connection, transaction, eventDbId, draft.Id, now);
            // The participants are told in the same transaction: the publish and its notifications happen together or not at all.
            await Outbox.TimetableChangedAsync(connection, transaction, eventDbId, draft.Version, firstPublish, before, now);
            return draft with { Status = "published", PublishedAt = now, Revision = draft.Revision + 1 };
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
        return published;
    }

    /// <summary>
    /// Locks or unlocks a meeting of the latest version, optionally moving it to another slot and table first. The move
    /// is validated (slot exists, table exists, both sides available, no one double-booked); a published version's
    /// live meeting follows.
    /// </summary>
    public async Task<TimetableVersion> EditMeetingAsync(long eventDbId, long meetingId, bool locked, string? slot, int? table, int? expectedRevision,
        CancellationToken cancellationToken = default)
    {
        var edited = await pipelines.WriteEventAsync(database, eventDbId, async (connection, transaction, _) =>
        {
            var latest = await TimetableStore.FindVersionAsync(connection, transaction, eventDbId, null)
                ?? throw new RefusedException("meetingId", new Message("timetable.none"));
            var meeting = (await TimetableStore.MeetingsAsync(connection, transaction, latest.Id)).FirstOrDefault(m => m.MeetingId == meetingId)
                ?? throw new RefusedException("meetingId", new Message("timetable.meeting_not_in_latest", meetingId, latest.Version));
            CheckRevision(latest, expectedRevision);
            var newSlot = slot ?? meeting.SlotCode;
            var newTable = table ?? meeting.Table;
            if (newSlot != meeting.SlotCode || newTable != meeting.Table)
                await ValidateMoveAsync(connection, transaction, eventDbId, latest.Id, meeting, newSlot, newTable);
            await connection.ExecuteAsync("""
                UPDATE timetable_meetings SET locked = @locked, table_no = @newTable,
                       slot_id = (SELECT id FROM slots WHERE event_id = @eventDbId AND code = @newSlot)
                WHERE id = @meetingId
                """, new { locked, newTable, eventDbId, newSlot, meetingId }, transaction);
            await connection.ExecuteAsync("UPDATE timetables SET revision = revision + 1 WHERE id = @Id", new { latest.Id }, transaction);
            if (latest.Status == "published")
            {
                var before = await Outbox.LiveStatesAsync(connection, transaction, eventDbId);
                await LiveMeetings.SyncAsync(connection, transaction, eventDbId, latest.Id, clock.GetUtcNow());
                await Outbox.TimetableChangedAsync(connection, transaction, eventDbId, latest.Version, false, before, clock.GetUtcNow(),
                    $"v{latest.Version}.r{latest.Revision + 1}");
            }
            return latest with { Revision = latest.Revision + 1 };
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
        return edited;
    }

    /// <summary>
    /// Repairs the published timetable after changes on the day. The result is a new draft based on the published version,
    /// carrying the diff (kept, moved, cancelled, added, who must be told); publishing it updates the live meetings.
    /// </summary>
    public async Task<(TimetableVersion Version, RepairDiff Diff)> RepairAsync(long eventDbId, IReadOnlyList<DayChange> changes, double? movePenalty,
        CancellationToken cancellationToken = default)
    {
        var @event = (await EventAsync(eventDbId, cancellationToken)).Event;
        TimetableVersion published;
        IReadOnlyList<Scheduling.Meeting> schedule, locks;
        TimetableInputs inputs;
        IReadOnlyList<Scheduling.Meeting> settled;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var read = await connection.BeginReadAsync())
        {
            published = await TimetableStore.PublishedAsync(connection, read, eventDbId)
                ?? throw new RefusedException("changes", new Message("timetable.nothing_to_repair"), Refusal.Conflict);
            schedule = await TimetableStore.ScheduleOfAsync(connection, read, published.Id);
            locks = await TimetableStore.ScheduleOfAsync(connection, read, published.Id, lockedOnly: true);
            inputs = await TimetableInputs.ReadAsync(connection, read, eventDbId, @event, locks, options.MinimumScore);
            settled = await SettledAsync(connection, read, eventDbId);
        }
        // The repair runs outside any write lock; what it repaired must still be the published revision when it is saved.
        var (problem, scheduleChanges) = Translate(inputs, schedule, changes);
        // Once an outcome is recorded the day has reached that meeting: everything up to the latest recorded meeting is
        // history the repair keeps exactly as published (an implicit "now" just after it).
        if (settled.Count > 0)
        {
            var order = inputs.Problem.Slots.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
            var last = settled.Max(m => order[m.Slot]);
            scheduleChanges = [.. scheduleChanges, new NowChange(inputs.Problem.Slots[Math.Min(last + 1, inputs.Problem.Slots.Count - 1)].Id)];
        }
        RepairResult repaired;
        try
        {
            repaired = ScheduleRepair.Repair(problem, schedule, scheduleChanges, new RepairOptions(movePenalty ?? options.MovePenalty), clock);
        }
        catch (ScheduleFormatException e)
        {
            throw new RefusedException("changes", e.Text ?? new Message("repair.inconsistent", e.Field));
        }
        var (diff, savedVersion) = await pipelines.WriteEventAsync(database, eventDbId, async (connection, transaction, _) =>
        {
            var now = await TimetableStore.PublishedAsync(connection, transaction, eventDbId);
            if (now?.Id != published.Id || now.Revision != published.Revision)
                throw new RefusedException("changes", new Message("repair.published_changed", published.Version, published.Revision), Refusal.Conflict);
            var diff = await NameAsync(connection, transaction, inputs, repaired.Diff);
            var saved = await TimetableStore.SaveAsync(connection, transaction, inputs with { Problem = repaired.ChangedProblem }, repaired.Schedule,
                published.Id, JsonSerializer.Serialize(diff, JobStore.Json), locks.Select(l => (l.Sme, l.Buyer)).ToHashSet(), clock.GetUtcNow());
            return (diff, saved.Version);
        }, cancellationToken);
        var version = await FindAsync(eventDbId, savedVersion, cancellationToken);
        return (version!, diff);
    }

    public async Task<TimetableVersion?> FindAsync(long eventDbId, int? version, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await TimetableStore.FindVersionAsync(connection, null, eventDbId, version);
    }

    async Task<(long Id, Event Event)> EventAsync(long eventDbId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var eventId = await connection.ExecuteScalarAsync<string>("SELECT event_id FROM events WHERE id = @eventDbId", new { eventDbId });
        return (await events.FindAsync(eventId!, cancellationToken))!.Value;
    }

    /// <summary>The event's recorded meetings (held or no-show), in the scheduler's ids.</summary>
    static async Task<List<Scheduling.Meeting>> SettledAsync(DbConnection connection, DbTransaction transaction, long eventDbId) =>
        (await connection.QueryAsync<(long Sme, long Buyer, string Slot, long Table)>("""
            SELECT m.sme_id, m.buyer_id, s.code, m.table_no FROM meetings m JOIN slots s ON s.id = m.slot_id
            WHERE m.event_id = @eventDbId AND m.status IN ('held', 'no_show')
              AND m.sme_id IN (SELECT sme_id FROM event_smes WHERE event_id = @eventDbId)
              AND m.buyer_id IN (SELECT buyer_id FROM event_buyers WHERE event_id = @eventDbId)
            ORDER BY s.local_start, m.buyer_id, m.table_no
            """, new { eventDbId }, transaction))
        .Select(m => new Scheduling.Meeting(TimetableInputs.SmeKey(m.Sme), TimetableInputs.BuyerKey(m.Buyer), m.Slot, (int)m.Table)).ToList();

    static void CheckRevision(TimetableVersion version, int? expectedRevision)
    {
        if (expectedRevision is { } r && r != version.Revision)
            throw new RefusedException("If-Match", new Message("timetable.stale", version.Version, version.Revision, r), Refusal.Stale);
    }

    /// <summary>A move on the board obeys the availability rule the optimiser places meetings by, against the version's other meetings.</summary>
    static async Task ValidateMoveAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long timetableId,
        TimetableMeeting meeting, string slot, int table)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM slots WHERE event_id = @eventDbId AND code = @slot", new { eventDbId, slot }, transaction) == 0)
            throw new RefusedException("slot", new Message("slot_unknown", slot));
        var availability = await EventAvailability.VersionAsync(connection, transaction, eventDbId, timetableId, meeting.MeetingId);
        var clash = availability.Check(TimetableInputs.SmeKey(meeting.SmeId), TimetableInputs.BuyerKey(meeting.BuyerId), slot, table);
        if (clash != SlotClash.None) throw EventAvailability.Refuse(clash, meeting.SmeName, meeting.BuyerName, slot, table);
    }

    static (ScheduleProblem Problem, IReadOnlyList<ScheduleChange> Changes) Translate(TimetableInputs inputs, IReadOnlyList<Scheduling.Meeting> schedule,
        IReadOnlyList<DayChange> changes)
    {
        var problem = inputs.Problem;
        var translated = new List<ScheduleChange>();
        string? Sme(DayChange c, int i, bool required = false) => c.SmeId is { } id ? Known(TimetableInputs.SmeKey(id), problem.Smes.Select(s => s.Id), $"changes[{i}].smeId")
            : required ? throw new RefusedException($"changes[{i}].smeId", new Message("repair.required")) : null;
        string? Buyer(DayChange c, int i, bool required = false) => c.BuyerId is { } id ? Known(TimetableInputs.BuyerKey(id), problem.Buyers.Select(b => b.Id), $"changes[{i}].buyerId")
            : required ? throw new RefusedException($"changes[{i}].buyerId", new Message("repair.required")) : null;
        string SlotOf(string? slot, string field) => slot is not null && inputs.SlotIds.ContainsKey(slot) ? slot
            : throw new RefusedException(field, slot is null ? new Message("repair.required") : new Message("slot_unknown", slot));
        for (var i = 0; i < changes.Count; i++)
        {
            var c = changes[i];
            switch (c.Kind)
            {
                case "cancel":
                    var sme = Sme(c, i);
                    var buyer = Buyer(c, i);
                    if (sme is null && buyer is null) throw new RefusedException($"changes[{i}]", new Message("repair.name_who_cancels"));
                    translated.Add(new CancelChange(sme, buyer, c.Slots?.Select((s, j) => SlotOf(s, $"changes[{i}].slots[{j}]")).ToList()));
                    break;
                case "no_show":
                    var noShowSme = Sme(c, i);
                    var noShowBuyer = Buyer(c, i);
                    if (noShowSme is null && noShowBuyer is null) throw new RefusedException($"changes[{i}]", new Message("repair.name_who_did_not_come"));
                    translated.Add(new NoShowChange(noShowSme, noShowBuyer, SlotOf(c.Slot, $"changes[{i}].slot")));
                    break;
                case "now":
                    translated.Add(new NowChange(SlotOf(c.Slot, $"changes[{i}].slot")));
                    break;
                case "remove_table":
                    translated.Add(new RemoveTableChange(Buyer(c, i, required: true)!, c.Table));
                    break;
                case "accept_request":
                    var requestSme = Sme(c, i, required: true)!;
                    var requestBuyer = Buyer(c, i, required: true)!;
                    var pair = inputs.Pairs.GetValueOrDefault((c.SmeId!.Value, c.BuyerId!.Value));
                    translated.Add(new AcceptRequestChange(requestSme, requestBuyer, pair?.Score));
                    break;
                case "add_sme":
                    // A walk-in SME is first added to the event (import); here it leaves the base problem and comes back as
                    // the change, so the repair treats it as new and fills it from capacity freed or still free.
                    var walkIn = Sme(c, i, required: true)!;
                    if (schedule.Any(m => m.Sme == walkIn)) throw new RefusedException($"changes[{i}].smeId", new Message("repair.walk_in_has_meetings"));
                    var def = problem.Smes.Single(s => s.Id == walkIn);
                    translated.Add(new AddSmeChange(def, problem.Pairs.Where(p => p.Sme == walkIn).ToList()));
                    problem = problem with
                    {
                        Smes = problem.Smes.Where(s => s.Id != walkIn).ToList(),
                        Pairs = problem.Pairs.Where(p => p.Sme != walkIn).ToList(),
                    };
                    break;
                default:
                    throw new RefusedException($"changes[{i}].kind", new Message("repair.unknown_kind", c.Kind));
            }
        }
        // An organiser's lock pins a meeting; once one of its two sides is gone (cancelled or absent), the pin has nothing to
        // hold and would only make the changed problem contradict itself, so it is released and the meeting handled as any other.
        var gone = translated.SelectMany(c => c switch
        {
            CancelChange x => new[] { x.Sme, x.Buyer },
            NoShowChange x => new[] { x.Sme, x.Buyer },
            _ => [],
        }).OfType<string>().ToHashSet();
        if (problem.Locks is { Count: > 0 } locks && gone.Count > 0)
            problem = problem with { Locks = locks.Where(l => !gone.Contains(l.Sme) && !gone.Contains(l.Buyer)).ToList() };
        return (problem, translated);

        static string Known(string key, IEnumerable<string> ids, string field) =>
            ids.Contains(key) ? key : throw new RefusedException(field, new Message("participant_not_in_event"));
    }

    static async Task<RepairDiff> NameAsync(DbConnection connection, DbTransaction transaction, TimetableInputs inputs, ScheduleDiff diff)
    {
        var smeNames = (await connection.QueryAsync<(long Id, string Name)>("SELECT sme_id, name FROM event_smes WHERE event_id = @EventDbId",
            new { inputs.EventDbId }, transaction)).ToDictionary(x => x.Id, x => x.Name);
        var buyerNames = (await connection.QueryAsync<(long Id, string Name)>("SELECT buyer_id, name FROM event_buyers WHERE event_id = @EventDbId",
            new { inputs.EventDbId }, transaction)).ToDictionary(x => x.Id, x => x.Name);
        static DiffMeeting D(Scheduling.Meeting m) => new(TimetableInputs.SmeIdOf(m.Sme), TimetableInputs.BuyerIdOf(m.Buyer), m.Slot, m.Table);
        return new RepairDiff(
            diff.Kept.Select(D).ToList(),
            diff.Moved.Select(m => new DiffMove(D(m.From), D(m.To), m.Reason)).ToList(),
            diff.Cancelled.Select(c => new DiffCancel(D(c.Meeting), c.Reason)).ToList(),
            diff.Added.Select(D).ToList(),
            diff.NotifySmes.Select(TimetableInputs.SmeIdOf).Select(id => new Party(id, smeNames.GetValueOrDefault(id, "?"))).ToList(),
            diff.NotifyBuyers.Select(TimetableInputs.BuyerIdOf).Select(id => new Party(id, buyerNames.GetValueOrDefault(id, "?"))).ToList());
    }
}
