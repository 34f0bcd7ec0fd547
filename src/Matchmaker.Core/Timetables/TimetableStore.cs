using Dapper;
using System.Data.Common;
using Matchmaker.Core.Scheduling;

namespace Matchmaker.Core.Timetables;

/// <summary>One version of an event's timetable: how good it is (objective, bound, gap) and where it stands.</summary>
/// <param name="Status">draft, published or superseded.</param>
/// <param name="Revision">Raised by every edit of this version: its ETag.</param>
public sealed record TimetableVersion(long Id, int Version, string Status, long? BasedOn, double Objective, double? UpperBound,
    double? Gap, string SolverStatus, int Meetings, int SmesBelowMin, int Revision, DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt, string? DiffJson);

/// <summary>A meeting of a timetable version, with names for display.</summary>
/// <param name="MeetingId">This version's meeting (for locks and moves).</param>
/// <param name="LiveMeetingId">The live meeting participants were told about (outcomes, calendars), once the version is published.</param>
/// <param name="Status">The live meeting's status (scheduled, held, no_show) once published; null for drafts.</param>
public sealed record TimetableMeeting(long MeetingId, long SmeId, string SmeName, long BuyerId, string BuyerName, string SlotCode,
    int Table, double Score, bool Requested, bool Locked, string? Hall, long? LiveMeetingId, string? Status);

/// <summary>Reads and writes timetable versions (tables timetables, timetable_meetings).</summary>
public static class TimetableStore
{
    public static async Task<TimetableVersion?> FindVersionAsync(DbConnection connection, DbTransaction? transaction, long eventDbId, int? version)
    {
        var rows = await connection.QueryAsync<VersionRow>($"""
            {SelectVersion}
            WHERE event_id = @eventDbId AND (@version IS NULL OR version = @version)
            ORDER BY version DESC LIMIT 1
            """, new { eventDbId, version }, transaction);
        return rows.SingleOrDefault()?.ToVersion();
    }

    public static async Task<TimetableVersion?> PublishedAsync(DbConnection connection, DbTransaction? transaction, long eventDbId) =>
        (await connection.QuerySingleOrDefaultAsync<VersionRow>($"{SelectVersion} WHERE event_id = @eventDbId AND status = 'published'",
            new { eventDbId }, transaction))?.ToVersion();

    public static async Task<IReadOnlyList<TimetableVersion>> VersionsAsync(DbConnection connection, long eventDbId) =>
        (await connection.QueryAsync<VersionRow>($"{SelectVersion} WHERE event_id = @eventDbId ORDER BY version DESC", new { eventDbId }))
            .Select(r => r.ToVersion()).ToList();

    public static async Task<IReadOnlyList<TimetableMeeting>> MeetingsAsync(DbConnection connection, DbTransaction? transaction, long timetableId) =>
        (await connection.QueryAsync<MeetingRow>("""
            SELECT tm.id AS MeetingId, tm.sme_id AS SmeId, COALESCE(es.name, s.business_number) AS SmeName, tm.buyer_id AS BuyerId, COALESCE(eb.name, b.buyer_id) AS BuyerName,
                   sl.code AS SlotCode, tm.table_no AS TableNo, tm.score AS Score, tm.requested AS Requested, tm.locked AS Locked,
                   eb.hall AS Hall, live.id AS LiveMeetingId, live.status AS Status
            FROM timetable_meetings tm
            JOIN timetables t ON t.id = tm.timetable_id
            JOIN smes s ON s.id = tm.sme_id
            JOIN buyers b ON b.id = tm.buyer_id
            JOIN slots sl ON sl.id = tm.slot_id
            LEFT JOIN event_buyers eb ON eb.event_id = t.event_id AND eb.buyer_id = tm.buyer_id
            LEFT JOIN event_smes es ON es.event_id = t.event_id AND es.sme_id = tm.sme_id
            LEFT JOIN meetings live ON t.status = 'published' AND live.event_id = t.event_id AND live.sme_id = tm.sme_id
                                   AND live.buyer_id = tm.buyer_id AND live.status <> 'cancelled'
            WHERE tm.timetable_id = @timetableId
            ORDER BY sl.local_start, BuyerName, tm.table_no, tm.id
            """, new { timetableId }, transaction)).Select(r => r.ToMeeting()).ToList();

    /// <summary>The version's meetings in the scheduler's terms (string keys, slot codes).</summary>
    public static async Task<IReadOnlyList<Scheduling.Meeting>> ScheduleOfAsync(DbConnection connection, DbTransaction? transaction, long timetableId, bool lockedOnly = false) =>
        (await connection.QueryAsync<(long Sme, long Buyer, string Slot, long Table)>("""
            SELECT tm.sme_id, tm.buyer_id, sl.code, tm.table_no
            FROM timetable_meetings tm JOIN slots sl ON sl.id = tm.slot_id
            WHERE tm.timetable_id = @timetableId AND (@lockedOnly = FALSE OR tm.locked = TRUE)
            ORDER BY sl.local_start, tm.buyer_id, tm.table_no
            """, new { timetableId, lockedOnly }, transaction))
        .Select(m => new Scheduling.Meeting(TimetableInputs.SmeKey(m.Sme), TimetableInputs.BuyerKey(m.Buyer), m.Slot, (int)m.Table)).ToList();

    /// <summary>Writes a new version with its meetings; returns its id and number.</summary>
    public static async Task<(long Id, int Version)> SaveAsync(DbConnection connection, DbTransaction transaction, TimetableInputs inputs,
        ScheduleResult result, long? basedOn, string? diffJson, IReadOnlySet<(string Sme, string Buyer)> locked, DateTimeOffset now)
    {
        var version = await connection.ExecuteScalarAsync<int>(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM timetables WHERE event_id = @EventDbId", new { inputs.EventDbId }, transaction);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO timetables (event_id, version, status, based_on, objective, upper_bound, gap, solver_status, meetings, smes_below_min, diff_json, created_at)
            VALUES (@EventDbId, @version, 'draft', @basedOn, @Objective, @upperBound, @gap, @Status, @Meetings, @SmesBelowMin, @diffJson, @now)
            RETURNING id
            """, new
        {
            inputs.EventDbId, version, basedOn, result.Objective,
            upperBound = result.UpperBound, gap = result.Gap,
            result.Status, result.Meetings, result.SmesBelowMin, diffJson, now,
        }, transaction);
        foreach (var m in result.Assignments)
        {
            var (sme, buyer) = (TimetableInputs.SmeIdOf(m.Sme), TimetableInputs.BuyerIdOf(m.Buyer));
            var pair = inputs.Pairs.GetValueOrDefault((sme, buyer));
            await connection.ExecuteAsync("""
                INSERT INTO timetable_meetings (timetable_id, sme_id, buyer_id, slot_id, table_no, score, requested, locked)
                VALUES (@id, @sme, @buyer, @slot, @Table, @score, @requested, @locked)
                """, new
            {
                id, sme, buyer, slot = inputs.SlotIds[m.Slot], m.Table, score = pair?.Score ?? 0, requested = pair?.Requested ?? false,
                locked = locked.Contains((m.Sme, m.Buyer)),
            }, transaction);
        }
        return (id, version);
    }

    const string SelectVersion = """
        SELECT id AS Id, version AS Version, status AS Status, based_on AS BasedOn, objective AS Objective, upper_bound AS UpperBound,
               gap AS Gap, solver_status AS SolverStatus, meetings AS Meetings, smes_below_min AS SmesBelowMin, revision AS Revision,
               created_at AS CreatedAt, published_at AS PublishedAt, diff_json AS DiffJson
        FROM timetables
        """;

    sealed class VersionRow
    {
        public long Id { get; init; }
        public long Version { get; init; }
        public string Status { get; init; } = "";
        public long? BasedOn { get; init; }
        public double Objective { get; init; }
        public double? UpperBound { get; init; }
        public double? Gap { get; init; }
        public string SolverStatus { get; init; } = "";
        public long Meetings { get; init; }
        public long SmesBelowMin { get; init; }
        public long Revision { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? PublishedAt { get; init; }
        public string? DiffJson { get; init; }

        public TimetableVersion ToVersion() => new(Id, (int)Version, Status, BasedOn, Objective, UpperBound, Gap,
            SolverStatus, (int)Meetings, (int)SmesBelowMin, (int)Revision, CreatedAt, PublishedAt, DiffJson);
    }

    sealed class MeetingRow
    {
        public long MeetingId { get; init; }
        public long SmeId { get; init; }
        public string SmeName { get; init; } = "";
        public long BuyerId { get; init; }
        public string BuyerName { get; init; } = "";
        public string SlotCode { get; init; } = "";
        public long TableNo { get; init; }
        public double Score { get; init; }
        public bool Requested { get; init; }
        public bool Locked { get; init; }
        public string? Hall { get; init; }
        public long? LiveMeetingId { get; init; }
        public string? Status { get; init; }

        public TimetableMeeting ToMeeting() => new(MeetingId, SmeId, SmeName, BuyerId, BuyerName, SlotCode, (int)TableNo, Score, Requested, Locked, Hall,
            LiveMeetingId, Status);
    }
}
