using System.Globalization;
using System.Net.Sockets;
using Dapper;
using MailKit;
using MailKit.Net.Smtp;
using Matchmaker.Core.Access;
using Matchmaker.Core.Storage;
using MimeKit;
using Polly;
using Polly.Retry;

namespace Matchmaker.Core.Notifications;

/// <summary>What one delivery run did.</summary>
public sealed record DeliveryRun(int Sent, int Failed, int Skipped, int Pending);

/// <summary>
/// Delivers the outbox: pending notifications, several of one participant that landed within a minute batched into one
/// message. A batch is held until its oldest notification is <see cref="NotificationOptions.BatchSeconds"/> old, so the
/// changes of that minute join it instead of following in messages of their own. Transient failures (4xx replies,
/// dropped connections) are retried with exponential backoff; a permanent refusal (5xx, a bad address) or the last attempt marks the notification failed with the reason. Delivery is
/// at-least-once: a message is marked sent right after the server took it, so a worker killed in between sends it once
/// more when it resumes, with the same Message-ID (derived from the notification) so the copy is recognisable.
/// </summary>
public sealed class NotificationDelivery(Database database, StoreOptions store, NotificationOptions options, MailLinks mailLinks, TimeProvider clock)
{
    /// <summary>Notifications that arrive within this span of a participant's oldest pending one go in the same message,
    /// which waits until the span has passed.</summary>
    public TimeSpan BatchWindow => TimeSpan.FromSeconds(options.BatchSeconds);

    /// <summary>The folder .eml files go to when no SMTP server is configured.</summary>
    public string OutboxFolder => Path.Combine(store.DataFolder, "outbox");

    public IMessageTransport CreateTransport() =>
        options.Smtp.Host is { Length: > 0 } ? new SmtpTransport(options.Smtp) : new EmlFolderTransport(OutboxFolder);

    /// <summary>Delivers everything pending (of one event, or all); returns the counts.</summary>
    public async Task<DeliveryRun> DeliverPendingAsync(long? eventDbId = null, CancellationToken cancellationToken = default)
    {
        var transport = CreateTransport();
        try
        {
            return await DeliverPendingAsync(transport, eventDbId, cancellationToken);
        }
        finally
        {
            if (transport is IAsyncDisposable disposable) await disposable.DisposeAsync();
        }
    }

    public async Task<DeliveryRun> DeliverPendingAsync(IMessageTransport transport, long? eventDbId, CancellationToken cancellationToken)
    {
        // Two runs of one process reading the same pending rows would both send them: the job engine runs the delivery
        // job one at a time, and this keeps any other caller (a tool, a test) in line with it.
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            return await DeliverOnceAsync(transport, eventDbId, cancellationToken);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    readonly SemaphoreSlim _oneRun = new(1, 1);

    async Task<DeliveryRun> DeliverOnceAsync(IMessageTransport transport, long? eventDbId, CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0, skipped = 0;
        var from = MailboxAddress.Parse(options.Smtp.From);
        var retry = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
            })
            .AddTimeout(TimeSpan.FromSeconds(60))
            .Build();

        await using var connection = await database.OpenAsync(cancellationToken);
        var pending = (await connection.QueryAsync<PendingRow>("""
            SELECT n.id AS Id, n.event_id AS EventDbId, n.recipient_kind AS RecipientKind, n.recipient_id AS RecipientId, n.kind AS Kind,
                   n.meeting_ids AS MeetingIds, n.created_at AS CreatedAt
            FROM notifications n
            WHERE n.state = 'pending' AND (@eventDbId IS NULL OR n.event_id = @eventDbId)
            ORDER BY n.id
            """, new { eventDbId })).ToList();
        var batches = new List<List<PendingRow>>();
        foreach (var group in pending.GroupBy(p => (p.EventDbId, p.RecipientKind, p.RecipientId)))
        {
            List<PendingRow>? current = null;
            foreach (var row in group)
            {
                if (current is null || row.CreatedAt - current[0].CreatedAt > BatchWindow) batches.Add(current = []);
                current.Add(row);
            }
        }
        var now = clock.GetUtcNow();
        foreach (var batch in batches.Where(b => now - b[0].CreatedAt >= BatchWindow).OrderBy(b => b[0].Id))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var input = await InputAsync(connection, batch);
            if (input.Dropped.Count > 0)
            {
                await MarkAsync(connection, input.Dropped.ToArray(), "skipped", 0, "outcome already recorded");
                skipped += input.Dropped.Count;
                batch.RemoveAll(b => input.Dropped.Contains(b.Id));
            }
            var ids = batch.Select(b => b.Id).ToArray();
            if (ids.Length == 0) continue;
            if (input.Reason is { } reason)
            {
                await MarkAsync(connection, ids, "skipped", 0, reason);
                skipped += ids.Length;
                continue;
            }
            var message = NotificationContent.Build(input.Message!, from, clock.GetUtcNow());
            var attempts = 0;
            try
            {
                await retry.ExecuteAsync(async ct =>
                {
                    attempts++;
                    await transport.SendAsync(message, ct);
                }, cancellationToken);
                await MarkAsync(connection, ids, "sent", attempts, null);
                sent += ids.Length;
            }
            catch (Exception e) when (e is not OperationCanceledException && (IsTransient(e) || IsPermanent(e)))
            {
                await MarkAsync(connection, ids, "failed", attempts, Describe(e));
                failed += ids.Length;
            }
        }
        var left = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE state = 'pending' AND (@eventDbId IS NULL OR event_id = @eventDbId)",
            new { eventDbId });
        return new DeliveryRun(sent, failed, skipped, left);
    }

    /// <summary>A reply or fault that may pass: 4xx replies, dropped or refused connections, timeouts.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        SmtpCommandException c => (int)c.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>A refusal that will not pass by trying again: 5xx replies (bad address, rejected content).</summary>
    public static bool IsPermanent(Exception e) => e is SmtpCommandException c && (int)c.StatusCode >= 500;

    static string Describe(Exception e) => e is SmtpCommandException c
        ? $"{(int)c.StatusCode} {c.Message}" + (c.Mailbox is { } m ? $" ({m.Address})" : "")
        : $"{e.GetType().Name}: {e.Message}";

    Task MarkAsync(System.Data.Common.DbConnection connection, long[] ids, string state, int attempts, string? reason) =>
        connection.ExecuteAsync($"""
            UPDATE notifications SET state = @state, attempts = attempts + @attempts, last_error = @reason,
                   sent_at = CASE WHEN @state = 'sent' THEN @now ELSE sent_at END
            WHERE {connection.In("id", "@ids")}
            """, new { state, attempts, reason, now = clock.GetUtcNow(), ids });

    /// <summary>The message for a batch, or the reason it is not sent; <c>Dropped</c>: outcome links whose meeting got its
    /// outcome (or was cancelled) while the link waited, which are skipped whatever happens to the rest.</summary>
    async Task<(MessageInput? Message, string? Reason, IReadOnlyCollection<long> Dropped)> InputAsync(System.Data.Common.DbConnection connection, List<PendingRow> batch)
    {
        var first = batch[0];
        var @event = await connection.QuerySingleAsync<(string EventId, string Name, string Venue, string TimeZone)>(
            "SELECT event_id, name, venue, time_zone FROM events WHERE id = @EventDbId", new { first.EventDbId });
        var sme = first.RecipientKind == "sme";
        // The contact, language and opt-out of the person who registered for this event (the event's profile): the same
        // company may have registered someone else, or opted out, for another event.
        if (await ContactAsync(connection, first.EventDbId, first.RecipientKind, first.RecipientId) is not { } recipient)
            return (null, "no longer takes part in the event", []);
        if (recipient.OptedOut) return (null, "opted out", []);
        if (recipient.Email is not { Length: > 0 } email || !MailboxAddress.TryParse(email, out _)) return (null, "no e-mail address", []);
        var agenda = (await connection.QueryAsync<AgendaRow>($"""
            SELECT m.id AS MeetingId, sl.code AS Slot, sl.local_start AS LocalStart, sl.local_end AS LocalEnd, m.table_no AS TableNo,
                   eb.hall AS Hall, {(sme ? "COALESCE(eb.name, b.buyer_id)" : "COALESCE(es.name, s.business_number)")} AS Counterpart,
                   m.status AS Status, m.sequence AS Sequence
            FROM meetings m
            JOIN slots sl ON sl.id = m.slot_id
            JOIN smes s ON s.id = m.sme_id
            JOIN buyers b ON b.id = m.buyer_id
            LEFT JOIN event_buyers eb ON eb.event_id = m.event_id AND eb.buyer_id = m.buyer_id
            LEFT JOIN event_smes es ON es.event_id = m.event_id AND es.sme_id = m.sme_id
            WHERE m.event_id = @EventDbId AND m.{(sme ? "sme_id" : "buyer_id")} = @RecipientId
            ORDER BY sl.local_start, m.id
            """, new { first.EventDbId, first.RecipientId })).Select(r => r.ToMeeting()).ToList();
        var status = agenda.ToDictionary(m => m.MeetingId, m => m.Status);
        var all = batch.Select(b => (b.Id, Item: new NotificationItem(b.Kind,
            Lists.Split(b.MeetingIds).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToList()))).ToList();
        // An outcome recorded (or the meeting cancelled) while the link waited makes the link pointless.
        var dropped = all.Where(n => n.Item.Kind == NotificationKinds.OutcomeRequested && !n.Item.MeetingIds.Any(id => status.GetValueOrDefault(id) == "scheduled"))
            .Select(n => n.Id).ToHashSet();
        var items = all.Where(n => !dropped.Contains(n.Id)).Select(n => n.Item).ToList();
        if (items.Count == 0) return (null, null, dropped);
        var changed = items.Where(i => NotificationKinds.ChangesCalendar(i.Kind)).SelectMany(i => i.MeetingIds).ToHashSet();
        // Named after the first notification the message carries, so a message sent again after a crash keeps its Message-ID.
        var carried = all.First(n => !dropped.Contains(n.Id)).Id;
        var messageId = $"n{carried.ToString(CultureInfo.InvariantCulture)}.{@event.EventId}@matchmaker";
        // The message's own sign-in link: /login exchanges it for this participant's session and lands on its page (not
        // the printable agenda under /api: the sign-in cookie is SameSite=Strict, so the first page after a link followed
        // from a mail program loads without it; the page's own calls carry it).
        var (secret, expiresAt) = await mailLinks.MintAsync(connection, first.EventDbId, first.RecipientKind, first.RecipientId, messageId);
        var link = options.PublicBaseUrl.TrimEnd('/') + "/login?mail=" + secret;
        return (new MessageInput(@event.EventId, @event.Name, @event.Venue, @event.TimeZone, first.RecipientKind, first.RecipientId, recipient.Name,
            recipient.ContactName, email, recipient.Language, items, agenda, changed, messageId, link, options.PublicBaseUrl.TrimEnd('/'))
            { LinkExpiresAt = expiresAt }, null, dropped);
    }

    /// <summary>The recipient's name and contact as messages use them, from its profile in the event (null when it no
    /// longer takes part). The one place notifications read a participant's contact data (address, language, opt-out).</summary>
    static Task<Contact?> ContactAsync(System.Data.Common.DbConnection connection, long eventDbId, string recipientKind, long recipientId) =>
        connection.QuerySingleOrDefaultAsync<Contact>(recipientKind == "sme"
            ? """
              SELECT name AS Name, contact_name AS ContactName, contact_email AS Email, language AS Language, opted_out AS OptedOut
              FROM event_smes WHERE event_id = @eventDbId AND sme_id = @recipientId
              """
            : """
              SELECT name AS Name, contact_name AS ContactName, contact_email AS Email, language AS Language, opted_out AS OptedOut
              FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @recipientId
              """,
            new { eventDbId, recipientId });

    sealed class Contact
    {
        public string Name { get; init; } = "";
        public string? ContactName { get; init; }
        public string? Email { get; init; }
        public string Language { get; init; } = "ko";
        public bool OptedOut { get; init; }
    }

    sealed class PendingRow
    {
        public long Id { get; init; }
        public long EventDbId { get; init; }
        public string RecipientKind { get; init; } = "";
        public long RecipientId { get; init; }
        public string Kind { get; init; } = "";
        public string MeetingIds { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    sealed class AgendaRow
    {
        public long MeetingId { get; init; }
        public string Slot { get; init; } = "";
        public string LocalStart { get; init; } = "";
        public string LocalEnd { get; init; } = "";
        public long TableNo { get; init; }
        public string? Hall { get; init; }
        public string Counterpart { get; init; } = "";
        public string Status { get; init; } = "";
        public long Sequence { get; init; }

        public AgendaMeeting ToMeeting() => new(MeetingId, Slot, DateTime.Parse(LocalStart, CultureInfo.InvariantCulture),
            DateTime.Parse(LocalEnd, CultureInfo.InvariantCulture), (int)TableNo, Hall, Counterpart, Status, (int)Sequence);
    }
}
