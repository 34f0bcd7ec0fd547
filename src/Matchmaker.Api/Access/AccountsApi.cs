using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Matchmaker.Api.Events;
using Matchmaker.Api.Idempotency;
using Matchmaker.Core.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Access;

/// <summary>
/// The administrator's work: organiser and analyst accounts, the events granted to them, their sign-in links, and the
/// audit log of what staff did. Each change is written with its audit entry in one transaction.
/// </summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Accounts").RequireAuthorization(AccessSetup.Administrators);
        group.MapGet("/accounts", ListAccounts).WithName(nameof(ListAccounts)).WithSummary("Organiser and analyst accounts with their events and tokens");
        group.MapPost("/accounts", CreateAccount).WithName(nameof(CreateAccount)).WithMetadata(new IdempotentAttribute(), new AuditedInTransactionAttribute())
            .WithSummary("Create an organiser (or analyst) account; grant it events and issue it a sign-in link next");
        group.MapDelete("/accounts/{accountId:long}", DisableAccount).WithName(nameof(DisableAccount)).WithMetadata(new AuditedInTransactionAttribute())
            .WithSummary("Disable an account: its tokens stop working at once; its history stays");
        group.MapPut("/accounts/{accountId:long}/events/{eventId}", GrantEvent).WithName(nameof(GrantEvent)).WithMetadata(new AuditedInTransactionAttribute())
            .WithSummary("Grant an event to an account: an organiser runs it, an analyst reads it");
        group.MapDelete("/accounts/{accountId:long}/events/{eventId}", RevokeEvent).WithName(nameof(RevokeEvent)).WithMetadata(new AuditedInTransactionAttribute())
            .WithSummary("Take an event back from an account, at once");
        group.MapPost("/accounts/{accountId:long}/tokens", IssueAccountToken).WithName(nameof(IssueAccountToken))
            .WithMetadata(new IdempotentAttribute(), new AuditedInTransactionAttribute())
            .WithSummary("Issue a sign-in token for the account; the token and its sign-in link are shown only in this response");
        group.MapGet("/audit", ReadAudit).WithName(nameof(ReadAudit)).WithSummary("What staff changed, newest first: who, when, what, which event");
        return routes;
    }

    static async Task<Ok<IReadOnlyList<AccountInfo>>> ListAccounts(Accounts accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListAsync(cancellationToken));

    static async Task<Results<Created<AccountInfo>, ProblemHttpResult>> CreateAccount(NewAccount request, HttpContext http, Accounts accounts,
        CancellationToken cancellationToken)
    {
        var role = request.Role ?? "organiser";
        if (!Core.SnakeCase.TryParse<Role>(role, out var parsed) || parsed is not (Role.Organiser or Role.Analyst))
            return Problems.BadRequest("role is organiser or analyst.", "role");
        if (request.Email is { Length: > 0 } email && !email.Contains('@')) return Problems.BadRequest("email is an e-mail address.", "email");
        var created = await accounts.CreateAsync(http.Caller(), parsed, request.Name.Trim(), string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
            cancellationToken);
        return TypedResults.Created($"/api/accounts/{created.AccountId}", created);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DisableAccount(long accountId, HttpContext http, Accounts accounts, CancellationToken cancellationToken) =>
        await accounts.DisableAsync(http.Caller(), accountId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"There is no active account {accountId}.", "accountId");

    static async Task<Results<NoContent, ProblemHttpResult>> GrantEvent(long accountId, string eventId, HttpContext http, Accounts accounts,
        CancellationToken cancellationToken) =>
        await accounts.GrantAsync(http.Caller(), accountId, EventScope.EventDbIdOf(http)!.Value, eventId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"There is no active account {accountId}.", "accountId");

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeEvent(long accountId, string eventId, HttpContext http, Accounts accounts,
        CancellationToken cancellationToken) =>
        await accounts.RevokeGrantAsync(http.Caller(), accountId, EventScope.EventDbIdOf(http)!.Value, eventId, cancellationToken)
            ? TypedResults.NoContent()
            : Problems.NotFound($"Account {accountId} has no grant of '{eventId}'.", "accountId");

    static async Task<Results<Created<AccountSignIn>, ProblemHttpResult>> IssueAccountToken(long accountId, AccountTokenRequest? request, HttpContext http,
        Accounts accounts, CancellationToken cancellationToken)
    {
        var issued = await accounts.IssueTokenAsync(http.Caller(), accountId, request?.Label ?? "", cancellationToken);
        if (issued is null) return Problems.NotFound($"There is no active account {accountId}.", "accountId");
        var link = $"{http.Request.Scheme}://{http.Request.Host}/login?token={Uri.EscapeDataString(issued.Token)}";
        return TypedResults.Created($"/api/accounts/{accountId}", new AccountSignIn(accountId, issued.TokenId, issued.Token, link));
    }

    static async Task<Results<Ok<Paged<AuditEntry>>, ProblemHttpResult>> ReadAudit(Matchmaker.Core.Access.AuditLog audit, CancellationToken cancellationToken,
        [Description("Only the entries of this event (its text id)")] string? eventId = null,
        [Description("1-based page number")] int page = 1,
        [Description("Entries per page, 1–200")] int pageSize = 50)
    {
        if (page < 1) return Problems.BadRequest("page must be 1 or more.", "page");
        if (pageSize is < 1 or > 200) return Problems.BadRequest("pageSize must be between 1 and 200.", "pageSize");
        var (entries, total) = await audit.ReadAsync(string.IsNullOrEmpty(eventId) ? null : eventId, page, pageSize, cancellationToken);
        return TypedResults.Ok(new Paged<AuditEntry>(entries, page, pageSize, total));
    }
}

/// <summary>A new account: who holds it and what it is for.</summary>
/// <param name="Role">organiser (default) or analyst.</param>
public sealed record NewAccount([property: Required(ErrorMessage = "Name the account's holder."), StringLength(100)] string Name, [property: StringLength(200)] string? Email = null, string? Role = null);

/// <summary>What to call the new token (e.g. the laptop it is for).</summary>
public sealed record AccountTokenRequest([property: StringLength(100)] string? Label = null);

/// <summary>An account's new token, and the sign-in link that sets it in the browser (shown once).</summary>
public sealed record AccountSignIn(long AccountId, long TokenId, string Token, string SignInLink);
