using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Dapper;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Access;

/// <summary>
/// What a token lets its holder be. The administrator (the token written on the first start) sees every event and
/// manages organiser accounts; an organiser runs the events granted to its account; an analyst reads the events granted
/// to it; a buyer or an SME acts for itself in its one event.
/// </summary>
public enum Role { Organiser, Analyst, Buyer, Sme, Administrator }

/// <summary>
/// Who is calling: the role, the account behind an organiser's or analyst's token, the events it may see (null: every
/// event, for the administrator) and, for buyers and SMEs, which participant of which event.
/// </summary>
public sealed record Caller(long TokenId, Role Role, long? EventDbId, long? BuyerId, long? SmeId)
{
    public long? AccountId { get; init; }

    /// <summary>The events granted to an organiser or analyst (its token's event for an analyst token issued for one).</summary>
    [JsonIgnore]
    public IReadOnlySet<long> GrantedEvents { get; init; } = new HashSet<long>();

    /// <summary>Runs events: the administrator (every event) or an organiser (its granted events).</summary>
    public bool IsOrganiser => Role is Role.Organiser or Role.Administrator;

    public bool IsAdministrator => Role == Role.Administrator;

    /// <summary>
    /// Whether the caller may know that the event exists at all: the administrator every event, organisers and analysts
    /// their granted events, a participant only its own. Everything of any other event is answered as not found.
    /// </summary>
    public bool MaySee(long eventDbId) => Role switch
    {
        Role.Administrator => true,
        Role.Organiser or Role.Analyst => GrantedEvents.Contains(eventDbId),
        _ => EventDbId == eventDbId,
    };

    /// <summary>Organisers act for anyone of their events; an SME only for itself, in its event.</summary>
    public bool MayActAsSme(long eventDbId, long smeId) =>
        (IsOrganiser && MaySee(eventDbId)) || (Role == Role.Sme && EventDbId == eventDbId && SmeId == smeId);

    /// <summary>Organisers act for anyone of their events; a buyer only for itself, in its event.</summary>
    public bool MayActAsBuyer(long eventDbId, long buyerId) =>
        (IsOrganiser && MaySee(eventDbId)) || (Role == Role.Buyer && EventDbId == eventDbId && BuyerId == buyerId);
}

/// <summary>A newly issued token: the secret is shown once and never stored.</summary>
public sealed record IssuedToken(long TokenId, string Token, Role Role, long? EventDbId, long? BuyerId, long? SmeId, string Label);

/// <summary>A token as listed to organisers (never the secret).</summary>
public sealed record TokenInfo(long TokenId, Role Role, string? EventId, long? BuyerId, long? SmeId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Issues, checks and revokes access tokens (table access_tokens). A checked token is remembered, so busy participant
/// endpoints do not read the table on every request, until access changes (<see cref="EventChanges.AccessVersion"/>): a
/// revocation, a grant or a disabled account takes effect at once in this process, and on PostgreSQL in every process
/// (they hear it announced). On SQLite another process's change (only tools write tokens beside the API there) is seen
/// within <see cref="RememberFor"/>.
/// </summary>
public sealed class AccessTokens(Database database, TimeProvider clock)
{
    /// <summary>How long a checked token is trusted without reading the store again, on SQLite (on PostgreSQL: until
    /// access changes in any process, with <see cref="RememberForListening"/> as a bound).</summary>
    public static readonly TimeSpan RememberFor = TimeSpan.FromSeconds(5);

    /// <summary>The bound on PostgreSQL, where changes are heard: only a process that died between its commit and its
    /// announcement could leave a remembered token stale, and then for this long at most.</summary>
    public static readonly TimeSpan RememberForListening = TimeSpan.FromMinutes(1);

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Caller Caller, long AccessVersion, DateTimeOffset Until)> _checked = new(StringComparer.Ordinal);

    const string Prefix = "mm_";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async Task<IssuedToken> IssueAsync(Role role, long? eventDbId, long? buyerId, long? smeId, string label, string? secret = null,
        CancellationToken cancellationToken = default, long? accountId = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await IssueAsync(connection, null, role, eventDbId, buyerId, smeId, label, secret, accountId);
    }

    /// <summary>Issues a token inside the caller's transaction (an account's token with the account's audit entry).</summary>
    public async Task<IssuedToken> IssueAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction,
        Role role, long? eventDbId, long? buyerId, long? smeId, string label, string? secret, long? accountId)
    {
        var token = secret ?? NewSecret();
        var id = await connection.ExecuteScalarAsync<long>("""
            INSERT INTO access_tokens (token_hash, role, account_id, event_id, buyer_id, sme_id, label, created_at)
            VALUES (@hash, @role, @accountId, @eventDbId, @buyerId, @smeId, @label, @now)
            RETURNING id
            """, new { hash = Hash(token), role = SnakeCase.Name(role), accountId, eventDbId, buyerId, smeId, label, now = clock.GetUtcNow() },
            transaction);
        return new IssuedToken(id, token, role, eventDbId, buyerId, smeId, label);
    }

    /// <summary>The caller a token stands for, or null when it is unknown, revoked or its account is disabled.</summary>
    public async Task<Caller?> AuthenticateAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        var changes = database.Changes;
        // Read before the store, so that a change heard while reading leaves the answer unremembered.
        var accessVersion = changes.AccessVersion;
        if (changes.Trusted && _checked.TryGetValue(hash, out var known) && known.AccessVersion == accessVersion && known.Until > now)
            return known.Caller;
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, string Role, long? AccountId, long? EventId, long? BuyerId, long? SmeId)?>("""
            SELECT t.id, t.role, t.account_id, t.event_id, t.buyer_id, t.sme_id
            FROM access_tokens t LEFT JOIN accounts a ON a.id = t.account_id
            WHERE t.token_hash = @hash AND t.revoked_at IS NULL AND a.disabled_at IS NULL
            """, new { hash });
        if (row is not { } r) return null; // unknown tokens are not remembered: a token issued a moment later works at once
        var role = SnakeCase.Parse<Role>(r.Role);
        var granted = new HashSet<long>();
        if (r.AccountId is { } accountId)
            granted.UnionWith(await connection.QueryAsync<long>("SELECT event_id FROM event_grants WHERE account_id = @accountId", new { accountId }));
        // An analyst token issued by an organiser for one event reads that event.
        if (role == Role.Analyst && r.EventId is { } own) granted.Add(own);
        var caller = new Caller(r.Id, role, r.EventId, r.BuyerId, r.SmeId) { AccountId = r.AccountId, GrantedEvents = granted };
        _checked[hash] = (caller, accessVersion, now + (changes.SeesOtherProcesses ? RememberForListening : RememberFor));
        return caller;
    }

    /// <summary>Forgets every remembered caller, in this process and (PostgreSQL) every other, so that a committed change
    /// of tokens, grants or accounts applies to the next request.</summary>
    public async Task ForgetAsync()
    {
        _checked.Clear();
        await database.Changes.TouchAccessAsync();
    }

    public async Task<bool> RevokeAsync(long tokenId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var row = await connection.QuerySingleOrDefaultAsync<(string Hash, long? EventId, long? BuyerId, long? SmeId)?>("""
            UPDATE access_tokens SET revoked_at = @now WHERE id = @tokenId AND revoked_at IS NULL RETURNING token_hash, event_id, buyer_id, sme_id
            """, new { tokenId, now }, transaction);
        // Revoking a participant's token also voids the sign-in links of the mails sent to it until now: otherwise an old
        // mail would sign the participant in again at once.
        if (row is { EventId: { } eventDbId } r && (r.BuyerId ?? r.SmeId) is { } participant)
            await MailLinks.RevokeAllAsync(connection, transaction, eventDbId, r.SmeId is null ? "buyer" : "sme", participant, now);
        await transaction.CommitAsync(cancellationToken);
        if (row is { } revoked)
        {
            _checked.TryRemove(revoked.Hash, out _);
            await database.Changes.TouchAccessAsync();
        }
        return row is not null;
    }

    /// <summary>The event a token belongs to (null for account and administrator tokens), or no row when there is no active token.</summary>
    public async Task<(long TokenId, long? EventDbId, long? AccountId)?> FindActiveAsync(long tokenId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<(long, long?, long?)?>(
            "SELECT id, event_id, account_id FROM access_tokens WHERE id = @tokenId AND revoked_at IS NULL", new { tokenId });
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
        return rows.Select(r => new TokenInfo(r.Id, SnakeCase.Parse<Role>(r.Role), r.EventId, r.BuyerId, r.SmeId, r.Label, r.CreatedAt, r.RevokedAt)).ToList();
    }

    /// <summary>
    /// Makes sure the administrator can get in: a configured administrator token is registered if new; with none
    /// configured and no administrator token in the store, one is generated and returned so the host can show it once.
    /// </summary>
    public async Task<IssuedToken?> EnsureAdministratorAsync(string? configuredToken, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (configuredToken is not null)
        {
            var known = await connection.ExecuteScalarAsync<long?>("SELECT id FROM access_tokens WHERE token_hash = @hash", new { hash = Hash(configuredToken) });
            return known is null ? await IssueAsync(Role.Administrator, null, null, null, "configured administrator token", configuredToken, cancellationToken) : null;
        }
        var any = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM access_tokens WHERE role = 'administrator' AND revoked_at IS NULL");
        return any > 0 ? null : await IssueAsync(Role.Administrator, null, null, null, "first administrator token", null, cancellationToken);
    }
}
