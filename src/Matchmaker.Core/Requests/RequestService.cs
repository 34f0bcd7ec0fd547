using Matchmaker.Core.Messages;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Storage;
using Polly.Registry;

namespace Matchmaker.Core.Requests;

/// <summary>An introduction request as its SME and its buyer see it.</summary>
public sealed record RequestView(long RequestId, long SmeId, string SmeName, long BuyerId, string BuyerName, long? DemandId, string? DemandTitle,
    int Priority, string Pitch, RequestState State, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecisionReason, long? MeetingId);


/// <summary>
/// Introduction requests: SMEs ask (within the event's cap on open requests, while the organiser keeps the window open),
/// buyers accept or decline, SMEs withdraw, closing the window expires what is still pending. Every step is recorded as an
/// interaction for the recommender. State changes go through <see cref="IntroductionRequest"/>'s transition methods.
/// </summary>
public sealed class RequestService(Database database, TimeProvider clock, ResiliencePipelineProvider<string> pipelines)
{
    public async Task SetWindowAsync(long eventDbId, bool open, CancellationToken cancellationToken = default)
    {
        await pipelines.WriteEventAsync(database, eventDbId, async (connection, transaction, ct) =>
        {
            await connection.ExecuteAsync("UPDATE events SET requests_open = @open, updated_at = @now WHERE id = @eventDbId",
                new { eventDbId, open, now = clock.GetUtcNow() }, transaction);
            if (!open)
                foreach (var pending in await LoadAsync(connection, transaction, "event_id = @eventDbId AND state = 'pending'", new { eventDbId }))
                {
                    await SaveStateAsync(connection, transaction, pending.Expire(clock.GetUtcNow()));
                    await NotifyAsync(connection, transaction, eventDbId, pending.Id, pending.SmeId, pending.BuyerId, RequestState.Expired);
                }
            return 0;
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
    }

    public async Task<long> CreateAsync(long eventDbId, long smeId, long? buyerId, long? demandId, int priority, string? pitch,
        CancellationToken cancellationToken = default)
    {
        if (priority is < 1 or > 3) throw new RefusedException("priority", new Message("request.priority_range"));
        pitch = (pitch ?? "").Trim();
        if (pitch.Length > IntroductionRequest.MaxPitchLength)
            throw new RefusedException("pitch", new Message("request.pitch_too_long", IntroductionRequest.MaxPitchLength));
        if (buyerId is null && demandId is null) throw new RefusedException("buyerId", new Message("request.name_buyer"));

        // The cap check and the insert must not interleave with another request of the same SME: the SME's row in the event
        // is locked first (PostgreSQL; SQLite's write transactions run one at a time), so the open requests read after it
        // include every request of this SME committed before. The window cannot close meanwhile (an event-wide write).
        var written = await pipelines.WriteEventRowsAsync(database, eventDbId, async (connection, transaction, ct) =>
        {
            var @event = await connection.QuerySingleAsync<(bool Open, long MaxOpen)>(
                "SELECT requests_open, max_open_requests_per_sme FROM events WHERE id = @eventDbId", new { eventDbId }, transaction);
            if (!@event.Open) throw new RefusedException("eventId", new Message("request.window_closed"), Refusal.Conflict);
            // An organiser acts for any SME of its event, never for a company that takes part only in another event.
            if (!await LockSmeAsync(connection, transaction, eventDbId, smeId))
                throw new RefusedException("smeId", new Message("sme_not_in_event"), Refusal.NotFound);
            if (demandId is not null)
            {
                var owner = await connection.ExecuteScalarAsync<long?>("SELECT buyer_id FROM demands WHERE id = @demandId AND event_id = @eventDbId",
                    new { demandId, eventDbId }, transaction) ?? throw new RefusedException("demandId", new Message("demand_not_in_event"));
                if (buyerId is not null && buyerId != owner) throw new RefusedException("demandId", new Message("request.demand_of_other_buyer"));
                buyerId = owner;
            }
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @buyerId",
                    new { eventDbId, buyerId }, transaction) == 0)
                throw new RefusedException("buyerId", new Message("buyer_not_in_event"));
            var open = await connection.QueryAsync<(long BuyerId, string State)>(
                "SELECT buyer_id, state FROM introduction_requests WHERE event_id = @eventDbId AND sme_id = @smeId AND state IN ('pending', 'accepted')",
                new { eventDbId, smeId }, transaction);
            if (open.Any(r => r.BuyerId == buyerId)) throw new RefusedException("buyerId", new Message("request.already_open"), Refusal.Conflict);
            if (open.Count(r => r.State == "pending") >= @event.MaxOpen)
                throw new RefusedException("smeId", new Message("request.too_many_open", @event.MaxOpen), Refusal.Conflict);
            var now = clock.GetUtcNow();
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO introduction_requests (event_id, sme_id, buyer_id, demand_id, priority, pitch, state, created_at)
                VALUES (@eventDbId, @smeId, @buyerId, @demandId, @priority, @pitch, 'pending', @now)
                RETURNING id
                """, new { eventDbId, smeId, buyerId, demandId, priority, pitch, now }, transaction);
            await InteractionAsync(connection, transaction, eventDbId, smeId, buyerId!.Value, "requested", now);
            await NotifyAsync(connection, transaction, eventDbId, id, smeId, buyerId.Value, RequestState.Pending);
            return id;
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
        return written;
    }

    /// <summary>
    /// Applies a buyer's or SME's decision; returns the request as it now stands. An acceptance that names a slot also books
    /// the meeting into the published timetable, in the same transaction (both happen, or neither).
    /// </summary>
    public async Task<(IntroductionRequest Request, long? MeetingId)> DecideAsync(long eventDbId, long requestId,
        Func<IntroductionRequest, DateTimeOffset, IntroductionRequest> decide, Func<IntroductionRequest, bool> owns, string? bookSlot = null,
        CancellationToken cancellationToken = default)
    {
        // The request's row is locked as it is read, so two decisions on it take turns and the second sees the first's state.
        var written = await pipelines.WriteEventRowsAsync(database, eventDbId, async (connection, transaction, ct) =>
        {
            var request = (await LoadAsync(connection, transaction, $"id = @requestId AND event_id = @eventDbId{connection.ForUpdate()}",
                new { requestId, eventDbId })).SingleOrDefault();
        if (request is null || !owns(request)) throw new RefusedException("requestId", new Message("request_not_found", requestId), Refusal.NotFound);
            IntroductionRequest decided;
            try
            {
                decided = decide(request, clock.GetUtcNow());
            }
            catch (IllegalTransitionException e)
            {
                throw new RefusedException("requestId", e.Text, Refusal.Conflict);
            }
            await SaveStateAsync(connection, transaction, decided);
            await NotifyAsync(connection, transaction, eventDbId, decided.Id, decided.SmeId, decided.BuyerId, decided.State);
            if (decided.State is RequestState.Accepted or RequestState.Declined)
                await InteractionAsync(connection, transaction, eventDbId, decided.SmeId, decided.BuyerId,
                    decided.State == RequestState.Accepted ? "accepted" : "declined", decided.DecidedAt!.Value);
            long? meetingId = null;
            if (bookSlot is not null && decided.State == RequestState.Accepted)
                meetingId = await Meetings.MeetingService.BookAsync(connection, transaction, eventDbId, decided.SmeId, decided.BuyerId, decided.DemandId,
                    bookSlot, decided.DecidedAt!.Value);
            return (decided, meetingId);
        }, cancellationToken);
        await database.Changes.TouchAsync(eventDbId);
        return written;
    }

    public Task<IReadOnlyList<RequestView>> ListAsync(long eventDbId, long? smeId, long? buyerId, RequestState? state,
        CancellationToken cancellationToken = default) =>
        // Only the filters given are written into the query, so each combination is one statement with a plan of its own
        // (PostgreSQL keeps it prepared), not one plan that must allow for every filter being absent.
        ViewsAsync(string.Concat(smeId is null ? "" : " AND r.sme_id = @smeId", buyerId is null ? "" : " AND r.buyer_id = @buyerId",
            state is null ? "" : " AND r.state = @state"), new { eventDbId, smeId, buyerId, state = state is { } s ? SnakeCase.Name(s) : null },
            cancellationToken);

    /// <summary>One request of the event as its SME and buyer see it (what a write answers with); null if there is none.</summary>
    public async Task<RequestView?> ViewAsync(long eventDbId, long requestId, CancellationToken cancellationToken = default) =>
        (await ViewsAsync(" AND r.id = @requestId", new { eventDbId, requestId }, cancellationToken)).SingleOrDefault();

    async Task<IReadOnlyList<RequestView>> ViewsAsync(string filters, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ViewRow>($"""
            SELECT r.id AS Id, r.event_id AS EventId, r.sme_id AS SmeId, COALESCE(es.name, s.business_number) AS SmeName, r.buyer_id AS BuyerId, COALESCE(eb.name, b.buyer_id) AS BuyerName, r.demand_id AS DemandId,
                   d.title AS DemandTitle, r.priority AS Priority, r.pitch AS Pitch, r.state AS State, r.created_at AS CreatedAt,
                   r.decided_at AS DecidedAt, r.decision_reason AS DecisionReason,
                   (SELECT m.id FROM meetings m WHERE m.event_id = r.event_id AND m.sme_id = r.sme_id AND m.buyer_id = r.buyer_id AND m.status <> 'cancelled') AS MeetingId
            FROM introduction_requests r
            JOIN smes s ON s.id = r.sme_id
            JOIN buyers b ON b.id = r.buyer_id
            LEFT JOIN event_smes es ON es.event_id = r.event_id AND es.sme_id = r.sme_id
            LEFT JOIN event_buyers eb ON eb.event_id = r.event_id AND eb.buyer_id = r.buyer_id
            LEFT JOIN demands d ON d.id = r.demand_id
            WHERE r.event_id = @eventDbId{filters}
            ORDER BY r.priority, r.created_at, r.id
            """, parameters);
        return rows.Select(r => r.ToView()).ToList();
    }

    /// <summary>Whether the SME takes part in the event; on PostgreSQL its row there is locked until the commit, which makes
    /// the writes that check something of one SME (its open requests, its meetings) take turns.</summary>
    internal static async Task<bool> LockSmeAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long smeId) =>
        await connection.ExecuteScalarAsync<long?>($"SELECT sme_id FROM event_smes WHERE event_id = @eventDbId AND sme_id = @smeId{connection.ForUpdate()}",
            new { eventDbId, smeId }, transaction) is not null;

    static async Task<IReadOnlyList<IntroductionRequest>> LoadAsync(DbConnection connection, DbTransaction transaction, string where, object parameters) =>
        (await connection.QueryAsync<RequestRow>($"""
            SELECT id AS Id, event_id AS EventId, sme_id AS SmeId, buyer_id AS BuyerId, demand_id AS DemandId, priority AS Priority, pitch AS Pitch,
                   state AS State, created_at AS CreatedAt, decided_at AS DecidedAt, decision_reason AS DecisionReason
            FROM introduction_requests WHERE {where}
            """, parameters, transaction)).Select(r => r.ToRequest()).ToList();

    /// <summary>Tells the other side of a request of its change, in the change's transaction: a new request goes to the
    /// buyer; accepted, declined and expired ones to the SME. A withdrawal tells nobody.</summary>
    Task NotifyAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long requestId, long smeId, long buyerId,
        RequestState state) => state switch
        {
            RequestState.Pending => Outbox.AddAsync(connection, transaction, eventDbId, "buyer", buyerId, NotificationKinds.RequestReceived,
                $"request-{requestId}", [], clock.GetUtcNow()),
            RequestState.Accepted => Outbox.AddAsync(connection, transaction, eventDbId, "sme", smeId, NotificationKinds.RequestAccepted,
                $"request-{requestId}", [], clock.GetUtcNow()),
            RequestState.Declined => Outbox.AddAsync(connection, transaction, eventDbId, "sme", smeId, NotificationKinds.RequestDeclined,
                $"request-{requestId}", [], clock.GetUtcNow()),
            RequestState.Expired => Outbox.AddAsync(connection, transaction, eventDbId, "sme", smeId, NotificationKinds.RequestExpired,
                $"request-{requestId}", [], clock.GetUtcNow()),
            _ => Task.FromResult(0),
        };

    static Task SaveStateAsync(DbConnection connection, DbTransaction transaction, IntroductionRequest request) => connection.ExecuteAsync("""
        UPDATE introduction_requests SET state = @state, decided_at = @DecidedAt, decision_reason = @DecisionReason WHERE id = @Id
        """, new { state = SnakeCase.Name(request.State), request.DecidedAt, request.DecisionReason, request.Id }, transaction);

    internal static Task InteractionAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long smeId, long buyerId,
        string kind, DateTimeOffset at, double? value = null) => connection.ExecuteAsync("""
        INSERT INTO interactions (event_id, sme_id, buyer_id, kind, value, occurred_at) VALUES (@eventDbId, @smeId, @buyerId, @kind, @value, @at)
        """, new { eventDbId, smeId, buyerId, kind, value, at }, transaction);

    /// <summary>An introduction_requests row: the one mapping of its columns (the inbox's <see cref="ViewRow"/> adds names).</summary>
    class RequestRow
    {
        public long Id { get; init; }
        public long EventId { get; init; }
        public long SmeId { get; init; }
        public long BuyerId { get; init; }
        public long? DemandId { get; init; }
        public long Priority { get; init; }
        public string Pitch { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? DecidedAt { get; init; }
        public string? DecisionReason { get; init; }

        public IntroductionRequest ToRequest() => new(Id, EventId, SmeId, BuyerId, DemandId, (int)Priority, Pitch,
            SnakeCase.Parse<RequestState>(State), CreatedAt, DecidedAt, DecisionReason);
    }

    sealed class ViewRow : RequestRow
    {
        public string SmeName { get; init; } = "";
        public string BuyerName { get; init; } = "";
        public string? DemandTitle { get; init; }
        public long? MeetingId { get; init; }

        public RequestView ToView()
        {
            var request = ToRequest();
            return new(request.Id, request.SmeId, SmeName, request.BuyerId, BuyerName, request.DemandId, DemandTitle, request.Priority,
                request.Pitch, request.State, request.CreatedAt, request.DecidedAt, request.DecisionReason, MeetingId);
        }
    }
}
