using System.Security.Cryptography;
using System.Text;
using Dapper;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Access;

/// <summary>What a token lets its holder be.</summary>
public enum Role { Organiser, Analyst, Buyer, Sme }

/// <summary>Who is calling: the role and, for buyers and SMEs, which participant of which event.</summary>
public sealed record Caller(long TokenId, Role Role, long? EventDbId, long? BuyerId, long? SmeId)
{
    public bool IsOrganiser => Role == Role.Organiser;

    /// <summary>Organisers act for anyone; an SME only for itself, in its event.</summary>
    public bool MayActAsSme(long eventDbId, long smeId) => IsOrganiser || (Role == Role.Sme && EventDbId == eventDbId && SmeId == smeId);

    /// <summary>Organisers act for anyone; a buyer only for itself, in its event.</summary>
    public bool MayActAsBuyer(long eventDbId, long buyerId) => IsOrganiser || (Role == Role.Buyer && EventDbId == eventDbId && BuyerId == buyerId);
}

/// <summary>A newly issued token: the secret is shown once and never stored.</summary>
public sealed record IssuedToken(long TokenId, string Token, Role Role, long? EventDbId, long? BuyerId, long? SmeId, string Label);

/// <summary>A token as listed to organisers (never the secret).</summary>
public sealed record TokenInfo(long TokenId, Role Role, string? EventId, long? BuyerId, long? SmeId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Issues, checks and revokes access tokens (table access_tokens). A checked token is remembered for a few seconds, so
/// busy participant endpoints do not read the table on every request; a revocation through this process takes effect at
/// once, one through another process within <see cref="RememberFor"/>.
/// </summary>
public sealed class AccessTokens(Database database, TimeProvider clock)
{
    /// <summary>How long a checked token is trusted without reading the store again.</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(5);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Until)> _checked = new(StringComparer.Ordinal);

    const string Prefix = "mm_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<IssuedToken> IssueAsync(Role role, long? eventDbId, long? buyerId, long? smeId, string label, string? secret = null,
        CancellationToken cancellationToken = default)
    {
        var token = secret ?? Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO access_tokens (token_hash, role, event_id, buyer_id, sme_id, label, created_at)
            VALUES (@hash, @role, @eventDbId, @buyerId, @smeId, @label, @now)
            RETURNING id
            """, new { hash = Hash(token), role = role.ToString().ToLowerInvariant(), eventDbId, buyerId, smeId, label, now = clock.GetUtcNow() });
        return new IssuedToken(id, token, role, eventDbId, buyerId, smeId, label);
    }

    /// <summary>The caller a token stands for, or null when it is unknown or revoked.</summary>
    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        if (_checked.TryGetValue(hash, out var known) && known.Until > now) return known.Caller;
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Role, long? EventId, long? BuyerId, long? SmeId)?>("""
            SELECT id, role, event_id, buyer_id, sme_id FROM access_tokens WHERE token_hash = @hash AND revoked_at IS NULL
            """, new { hash });
        var caller = row is { } r ? new Caller(r.Id, Enum.Parse<Role>(r.Role, ignoreCase: true), r.EventId, r.BuyerId, r.SmeId) : null;
        // Unknown tokens are not remembered: a token issued a moment later works at once.
        if (caller is not null) _checked[hash] = (caller, now + RememberFor);
        return caller;
    }

    public async Task<bool> RevokeAsync(long tokenId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var hash = await connection.ExecuteScalarAsync<string?>("""
            UPDATE access_tokens SET revoked_at = @now WHERE id = @tokenId AND revoked_at IS NULL RETURNING token_hash
            """, new { tokenId, now = clock.GetUtcNow() });
        if (hash is not null) _checked.TryRemove(hash, out _);
        return hash is not null;
    }

    public async Task<IReadOnlyList<TokenInfo>> ListAsync(long? eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Id, string Role, string? EventId, long? BuyerId, long? SmeId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)>("""
            SELECT t.id, t.role, e.event_id, t.buyer_id, t.sme_id, t.label, t.created_at, t.revoked_at
            FROM access_tokens t LEFT JOIN events e ON e.id = t.event_id
            WHERE @eventDbId IS NULL OR t.event_id = @eventDbId
            ORDER BY t.id
            """, new { eventDbId });
        return rows.Select(r => new TokenInfo(r.Id, Enum.Parse<Role>(r.Role, ignoreCase: true), r.EventId, r.BuyerId, r.SmeId, r.Label, r.CreatedAt, r.RevokedAt)).ToList();
    }

    /// <summary>
    /// Makes sure an organiser can get in: a configured organiser token is registered if new; with none configured and
    /// no organiser token in the store, one is generated and returned so the host can show it once.
    /// </summary>
    public async Task<IssuedToken?> EnsureOrganiserAsync(string? configuredToken, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (configuredToken is not null)
        {
            var known = await connection.ExecuteScalarAsync<long?>("SELECT id FROM access_tokens WHERE token_hash = @hash", new { hash = Hash(configuredToken) });
            return known is null ? await IssueAsync(Role.Organiser, null, null, null, "configured organiser token", configuredToken, cancellationToken) : null;
        }
        var any = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM access_tokens WHERE role = 'organiser' AND revoked_at IS NULL");
        return any > 0 ? null : await IssueAsync(Role.Organiser, null, null, null, "first organiser token", null, cancellationToken);
    }
}
