using Matchmaker.Core.Messages;
using Matchmaker.Api.Idempotency;
using Matchmaker.Api.Events;
using Matchmaker.Core;
using Matchmaker.Core.Access;
using Matchmaker.Core.Events;
using Matchmaker.Core.Storage;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Matchmaker.Api.Access;

/// <summary>
/// Organisers issue a token per buyer, SME or analyst of their events (shown once, stored hashed) and revoke them; the
/// administrator's accounts and grants are in <see cref="AccountsApi"/>.
/// </summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Access").RequireAuthorization(AccessSetup.Organisers);
        group.MapPost("/events/{eventId}/tokens", IssueToken).WithName(nameof(IssueToken))
            .Answers(StatusCodes.Status400BadRequest, "token.role_values", "token.buyer_id", "token.sme_id").WithMetadata(new IdempotentAttribute())
            .WithSummary("Issue an access token for a buyer or SME of the event (or an analyst); the token is shown only in this response");
        group.MapGet("/events/{eventId}/tokens", ListTokens).WithName(nameof(ListTokens)).WithSummary("Tokens of the event (never their secrets)");
        group.MapDelete("/tokens/{tokenId:long}", RevokeToken).WithName(nameof(RevokeToken))
            .Answers(StatusCodes.Status404NotFound, "token.not_found")
            .WithSummary("Revoke a token at once (an organiser: tokens of its events; the administrator: any token)");
        routes.MapGet("/api/me", Me).WithTags("Access").WithName(nameof(Me)).WithSummary("Who the presented token stands for")
            .RequireAuthorization(AccessSetup.Participants);
        return routes;
    }

    static async Task<Results<Created<IssuedToken>, ProblemHttpResult>> IssueToken(string eventId, IssueTokenRequest request, HttpContext http,
        AccessTokens tokens, Database database, CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        if (!SnakeCase.TryParse<Role>(request.Role, out var role) || role is Role.Organiser or Role.Administrator)
            return Problems.BadRequest(new Message("token.role_values"), "role");
        await using var connection = await database.OpenAsync(cancellationToken);
        if (role == Role.Buyer && (request.BuyerId is not { } b ||
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @b", new { eventDbId, b }) == 0))
            return Problems.BadRequest(new Message("token.buyer_id"), "buyerId");
        if (role == Role.Sme && (request.SmeId is not { } s ||
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes WHERE event_id = @eventDbId AND sme_id = @s", new { eventDbId, s }) == 0))
            return Problems.BadRequest(new Message("token.sme_id"), "smeId");
        var issued = await tokens.IssueAsync(role, eventDbId, role == Role.Buyer ? request.BuyerId : null, role == Role.Sme ? request.SmeId : null,
            request.Label ?? "", cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/events/{eventId}/tokens", issued);
    }

    static async Task<Results<Ok<IReadOnlyList<TokenInfo>>, ProblemHttpResult>> ListTokens(string eventId, HttpContext http, AccessTokens tokens,
        CancellationToken cancellationToken)
    {
        if (EventScope.EventDbIdOf(http) is not { } eventDbId) return Problems.EventNotFound(eventId);
        return TypedResults.Ok(await tokens.ListAsync(eventDbId, cancellationToken));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(long tokenId, HttpContext http, AccessTokens tokens, Database database,
        CancellationToken cancellationToken)
    {
        var caller = http.Caller();
        var notFound = Problems.NotFound(new Message("token.not_found", tokenId), "tokenId");
        // A token of another event, an organiser's own or another account's token: not found, as if there were none.
        if (await tokens.FindActiveAsync(tokenId, cancellationToken) is not { } token) return notFound;
        if (!caller.IsAdministrator && (token.EventDbId is not { } eventDbId || !caller.MaySee(eventDbId))) return notFound;
        if (token.EventDbId is { } e)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            EventScope.AuditEvent(http, await connection.ExecuteScalarAsync<string>("SELECT event_id FROM events WHERE id = @e", new { e }));
        }
        return await tokens.RevokeAsync(tokenId, cancellationToken) ? TypedResults.NoContent() : notFound;
    }

    static Ok<Caller> Me(HttpContext context) => TypedResults.Ok(context.Caller());
}

/// <summary>Which participant (or analyst) a new token is for.</summary>
/// <param name="Role">buyer, sme or analyst.</param>
public sealed record IssueTokenRequest(string Role, long? BuyerId = null, long? SmeId = null, string? Label = null);
