using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Matchmaker.Core.Notifications;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Access;

/// <summary>Why a mail's sign-in link was not honoured.</summary>
public enum MailLinkRefusal { Unknown, Expired, Revoked, NotInEvent }

/// <summary>What following a mail's sign-in link gave: the fresh token of its participant, or why it was refused.</summary>
public sealed record MailSignIn(IssuedToken? Token, MailLinkRefusal? Refusal);

/// <summary>
/// The sign-in links notification mails carry (table mail_links). Each message gets a link of its own, minted when the
/// message is built and naming one participant of one event; only its hash is stored. <c>/login?mail=…</c> exchanges a
/// valid link for a fresh access token of that participant (labelled as from the mail, listed and revocable like any
/// other), so a mail opened on any device signs its reader in as the recipient and nobody else. A link is refused once
/// it is older than <see cref="NotificationOptions.SignInLinkDays"/>, when the participant left the event, and after the
/// organiser revoked one of the participant's tokens (every link sent until then is voided with it). A link is not
/// single-use: mail scanners that open links before the reader does would otherwise use it up.
/// </summary>
public sealed class MailLinks(Database database, AccessTokens tokens, NotificationOptions options, TimeProvider clock)
{
    const string Prefix = "ml_";

    /// <summary>How long a link signs in after the message was built.</summary>
    public TimeSpan ValidFor => TimeSpan.FromDays(options.SignInLinkDays);

    /// <summary>Mints the link for one message inside the delivery's connection; returns the secret and when it expires.</summary>
    public async Task<(string Secret, DateTimeOffset ExpiresAt)> MintAsync(DbConnection connection, long eventDbId, string recipientKind, long recipientId,
        string messageId)
    {
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow();
        var expiresAt = now + ValidFor;
        await connection.ExecuteAsync("""
            INSERT INTO mail_links (link_hash, event_id, recipient_kind, recipient_id, message_id, created_at, expires_at)
            VALUES (@hash, @eventDbId, @recipientKind, @recipientId, @messageId, @now, @expiresAt)
            """, new { hash = AccessTokens.Hash(secret), eventDbId, recipientKind, recipientId, messageId, now, expiresAt });
        return (secret, expiresAt);
    }

    /// <summary>The participant's fresh token for a valid link, or why the link is refused.</summary>
    public async Task<MailSignIn> SignInAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal)) return new(null, MailLinkRefusal.Unknown);
        await using var connection = await database.OpenAsync(cancellationToken);
        var link = await connection.QuerySingleOrDefaultAsync<LinkRow>("""
            SELECT id AS Id, event_id AS EventDbId, recipient_kind AS RecipientKind, recipient_id AS RecipientId, message_id AS MessageId,
                   expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM mail_links WHERE link_hash = @hash
            """, new { hash = AccessTokens.Hash(secret) });
        if (link is null) return new(null, MailLinkRefusal.Unknown);
        if (link.RevokedAt is not null) return new(null, MailLinkRefusal.Revoked);
        if (clock.GetUtcNow() >= link.ExpiresAt) return new(null, MailLinkRefusal.Expired);
        var sme = link.RecipientKind == "sme";
        var member = await connection.ExecuteScalarAsync<long>(sme
            ? "SELECT COUNT(*) FROM event_smes WHERE event_id = @EventDbId AND sme_id = @RecipientId"
            : "SELECT COUNT(*) FROM event_buyers WHERE event_id = @EventDbId AND buyer_id = @RecipientId", new { link.EventDbId, link.RecipientId });
        if (member == 0) return new(null, MailLinkRefusal.NotInEvent);
        var issued = await tokens.IssueAsync(connection, null, sme ? Role.Sme : Role.Buyer, link.EventDbId, sme ? null : link.RecipientId,
            sme ? link.RecipientId : null, $"sign-in link from the mail {link.MessageId}", null, null);
        return new(issued, null);
    }

    /// <summary>Voids every link sent to a participant until now (called when one of its tokens is revoked).</summary>
    public static Task<int> RevokeAllAsync(DbConnection connection, DbTransaction transaction, long eventDbId, string recipientKind, long recipientId,
        DateTimeOffset now) =>
        connection.ExecuteAsync("""
            UPDATE mail_links SET revoked_at = @now
            WHERE event_id = @eventDbId AND recipient_kind = @recipientKind AND recipient_id = @recipientId AND revoked_at IS NULL
            """, new { eventDbId, recipientKind, recipientId, now }, transaction);

    sealed class LinkRow
    {
        public long Id { get; init; }
        public long EventDbId { get; init; }
        public string RecipientKind { get; init; } = "";
        public long RecipientId { get; init; }
        public string MessageId { get; init; } = "";
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }
}
