using Dapper;
using Matchmaker.Core.Storage;
using System.Data.Common;
using Polly.Registry;

namespace Matchmaker.Core.Access;

/// <summary>An organiser's or analyst's account: the events granted to it and its tokens (never their secrets).</summary>
public sealed record AccountInfo(long AccountId, Role Role, string Name, string? Email, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt,
    IReadOnlyList<string> Events, IReadOnlyList<AccountToken> Tokens);

/// <summary>One token of an account.</summary>
public sealed record AccountToken(long TokenId, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>One line of the audit log: who (token, account, role) did what (action, target) to which event, when.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, long TokenId, long? AccountId, string? AccountName, Role Role, string Action,
    string Target, string? EventId, int Status);

/// <summary>What an audit entry records; the caller and the time are added by <see cref="AuditLog"/>.</summary>
public sealed record AuditAction(string Action, string Target, string? EventId, int Status);

/// <summary>
/// Organiser and analyst accounts (table accounts) and the events granted to them (event_grants). Every change here is
/// written with its audit entry in one transaction, and the remembered callers are forgotten so that it applies to the
/// next request.
/// </summary>
public sealed class Accounts(Database database, AccessTokens tokens, AuditLog audit, TimeProvider clock, ResiliencePipelineRegistry<string> pipelines)
{
    public async Task<AccountInfo> CreateAsync(Caller by, Role role, string name, string? email, CancellationToken cancellationToken = default)
    {
        if (role is not (Role.Organiser or Role.Analyst)) throw new RefusedException("role", "role is organiser or analyst.");
        var id = await InTransactionAsync(async (connection, transaction) =>
        {
            var id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO accounts (role, name, email, created_at) VALUES (@role, @name, @email, @now) RETURNING id
                """, new { role = SnakeCase.Name(role), name, email, now = clock.GetUtcNow() }, transaction);
            await audit.WriteAsync(connection, transaction, by, new AuditAction("CreateAccount", $"account {id} ({name})", null, 201));
            return id;
        }, cancellationToken);
        return (await FindAsync(id, cancellationToken))!;
    }

    public async Task<IReadOnlyList<AccountInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null);
    }

    public async Task<AccountInfo?> FindAsync(long accountId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await ReadAsync(connection, accountId)).SingleOrDefault();
    }

    /// <summary>Grants an event to an account (again: no change); false when there is no such account.</summary>
    public async Task<bool> GrantAsync(Caller by, long accountId, long eventDbId, string eventId, CancellationToken cancellationToken = default)
    {
        var granted = await InTransactionAsync(async (connection, transaction) =>
        {
            if (await NameAsync(connection, transaction, accountId) is not { } name) return false;
            await connection.ExecuteAsync("""
                INSERT INTO event_grants (account_id, event_id, granted_at) VALUES (@accountId, @eventDbId, @now) ON CONFLICT DO NOTHING
                """, new { accountId, eventDbId, now = clock.GetUtcNow() }, transaction);
            await audit.WriteAsync(connection, transaction, by, new AuditAction("GrantEvent", $"account {accountId} ({name})", eventId, 204));
            return true;
        }, cancellationToken);
        await tokens.ForgetAsync();
        return granted;
    }

    /// <summary>Takes an event back from an account; false when the account did not have it.</summary>
    public async Task<bool> RevokeGrantAsync(Caller by, long accountId, long eventDbId, string eventId, CancellationToken cancellationToken = default)
    {
        var revoked = await InTransactionAsync(async (connection, transaction) =>
        {
            var removed = await connection.ExecuteAsync("DELETE FROM event_grants WHERE account_id = @accountId AND event_id = @eventDbId",
                new { accountId, eventDbId }, transaction);
            if (removed == 0) return false;
            var name = await NameAsync(connection, transaction, accountId);
            await audit.WriteAsync(connection, transaction, by, new AuditAction("RevokeEvent", $"account {accountId} ({name})", eventId, 204));
            return true;
        }, cancellationToken);
        await tokens.ForgetAsync();
        return revoked;
    }

    /// <summary>A new sign-in token for the account (the secret is in the answer only); null when there is no active account.</summary>
    public Task<IssuedToken?> IssueTokenAsync(Caller by, long accountId, string label, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            var account = await connection.QuerySingleOrDefaultAsync<(string Role, string Name)?>(
                "SELECT role, name FROM accounts WHERE id = @accountId AND disabled_at IS NULL", new { accountId }, transaction);
            if (account is not { Role: var role, Name: var name }) return null;
            var issued = await tokens.IssueAsync(connection, transaction, SnakeCase.Parse<Role>(role), null, null, null, label, null, accountId);
            await audit.WriteAsync(connection, transaction, by, new AuditAction("IssueAccountToken", $"account {accountId} ({name}), token {issued.TokenId}", null, 201));
            return issued;
        }, cancellationToken);

    /// <summary>Disables an account: its tokens stop working at once and it keeps its history; false when already disabled or unknown.</summary>
    public async Task<bool> DisableAsync(Caller by, long accountId, CancellationToken cancellationToken = default)
    {
        var disabled = await InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var name = await NameAsync(connection, transaction, accountId);
            var changed = await connection.ExecuteAsync("UPDATE accounts SET disabled_at = @now WHERE id = @accountId AND disabled_at IS NULL",
                new { accountId, now }, transaction);
            if (changed == 0) return false;
            await connection.ExecuteAsync("UPDATE access_tokens SET revoked_at = @now WHERE account_id = @accountId AND revoked_at IS NULL",
                new { accountId, now }, transaction);
            await audit.WriteAsync(connection, transaction, by, new AuditAction("DisableAccount", $"account {accountId} ({name})", null, 204));
            return true;
        }, cancellationToken);
        await tokens.ForgetAsync();
        return disabled;
    }

    /// <summary>One all-or-nothing change with its audit entry, retried while another writer holds the store.</summary>
    Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> change, CancellationToken cancellationToken) =>
        pipelines.GetPipeline(TransientFaults.StoreWrite).ExecuteAsync(async ct =>
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginWriteAsync(ct);
            var result = await change(connection, transaction);
            await transaction.CommitAsync(ct); // nothing written when the change found nothing to do
            return result;
        }, cancellationToken).AsTask();

    /// <summary>The name of an active account (for the audit log's target), or null when there is none.</summary>
    static Task<string?> NameAsync(DbConnection connection, System.Data.Common.DbTransaction transaction, long accountId) =>
        connection.ExecuteScalarAsync<string?>("SELECT name FROM accounts WHERE id = @accountId AND disabled_at IS NULL", new { accountId }, transaction);

    static async Task<IReadOnlyList<AccountInfo>> ReadAsync(DbConnection connection, long? accountId)
    {
        var accounts = await connection.QueryAsync<(long Id, string Role, string Name, string? Email, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt)>("""
            SELECT id, role, name, email, created_at, disabled_at FROM accounts WHERE @accountId IS NULL OR id = @accountId ORDER BY name, id
            """, new { accountId });
        var grants = (await connection.QueryAsync<(long AccountId, string EventId)>("""
            SELECT g.account_id, e.event_id FROM event_grants g JOIN events e ON e.id = g.event_id
            WHERE @accountId IS NULL OR g.account_id = @accountId ORDER BY e.event_id
            """, new { accountId })).ToLookup(g => g.AccountId, g => g.EventId);
        var accountTokens = (await connection.QueryAsync<(long AccountId, long Id, string Label, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)>("""
            SELECT account_id, id, label, created_at, revoked_at FROM access_tokens
            WHERE account_id IS NOT NULL AND (@accountId IS NULL OR account_id = @accountId) ORDER BY id
            """, new { accountId })).ToLookup(t => t.AccountId, t => new AccountToken(t.Id, t.Label, t.CreatedAt, t.RevokedAt));
        return accounts.Select(a => new AccountInfo(a.Id, SnakeCase.Parse<Role>(a.Role), a.Name, a.Email, a.CreatedAt, a.DisabledAt,
            grants[a.Id].ToList(), accountTokens[a.Id].ToList())).ToList();
    }
}

/// <summary>The audit log (table audit_log): every write by an organiser or the administrator, readable by the administrator.</summary>
public sealed class AuditLog(Database database, TimeProvider clock, ResiliencePipelineRegistry<string> pipelines)
{
    /// <summary>
    /// Writes an entry on its own (after the change it records committed), retried while another writer (a rescoring
    /// job) holds the store: an answered change must not fail for want of its log line.
    /// </summary>
    public async Task WriteAsync(Caller by, AuditAction action, CancellationToken cancellationToken = default) =>
        await pipelines.GetPipeline(TransientFaults.StoreWrite).ExecuteAsync(async ct =>
        {
            await using var connection = await database.OpenAsync(ct);
            await WriteAsync(connection, null, by, action);
        }, cancellationToken);

    public Task WriteAsync(DbConnection connection, DbTransaction? transaction, Caller by, AuditAction action) =>
        connection.ExecuteAsync("""
            INSERT INTO audit_log (at, token_id, account_id, role, action, target, event_id, status)
            VALUES (@at, @TokenId, @AccountId, @role, @Action, @Target, @EventId, @Status)
            """, new { at = clock.GetUtcNow(), by.TokenId, by.AccountId, role = SnakeCase.Name(by.Role), action.Action, action.Target,
            action.EventId, action.Status }, transaction);

    /// <summary>One page of the log, newest first, optionally of one event; with the total count.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Entries, int Total)> ReadAsync(string? eventId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE @eventId IS NULL OR event_id = @eventId", new { eventId });
        var rows = await connection.QueryAsync<(long Id, DateTimeOffset At, long TokenId, long? AccountId, string? AccountName, string Role, string Action,
            string Target, string? EventId, long Status)>("""
            SELECT l.id, l.at, l.token_id, l.account_id, a.name, l.role, l.action, l.target, l.event_id, l.status
            FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id
            WHERE @eventId IS NULL OR l.event_id = @eventId
            ORDER BY l.id DESC
            LIMIT @pageSize OFFSET @offset
            """, new { eventId, pageSize, offset = (page - 1) * pageSize });
        return (rows.Select(r => new AuditEntry(r.Id, r.At, r.TokenId, r.AccountId, r.AccountName, SnakeCase.Parse<Role>(r.Role), r.Action,
            r.Target, r.EventId, (int)r.Status)).ToList(), total);
    }
}
