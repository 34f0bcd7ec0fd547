using Matchmaker.Core.Access;
using Matchmaker.Core.Events;

namespace Matchmaker.Api.Access;

/// <summary>
/// The one place that decides which events a caller may reach, for every endpoint whose route names an
/// <c>{eventId}</c>: the administrator every event, organisers and analysts their granted events, a buyer or an SME
/// only its token's event. Any other event is answered exactly like an event that does not exist (404), so a token
/// cannot even learn which other events there are. Runs after authorization: a role that may never call an endpoint
/// gets 403 whatever the event, which tells nothing about any event either.
/// </summary>
/// <remarks>
/// It also keeps the audit log of staff writes (administrator, organisers, analysts): every POST, PUT or DELETE they
/// make that succeeds is written before its answer starts, so an answered change is always in the log. Endpoints that
/// write their entry in their own transaction (accounts and grants) are marked <see cref="AuditedInTransactionAttribute"/>.
/// </remarks>
public sealed class EventScope(RequestDelegate next)
{
    /// <summary>The event's store id, for handlers that want it without looking it up again.</summary>
    public static long? EventDbIdOf(HttpContext context) => context.Items[typeof(EventScope)] as long?;

    /// <summary>Names the event a staff write concerns when its route does not (creating an event, revoking a token).</summary>
    public static void AuditEvent(HttpContext context, string? eventId) => context.Items[AuditEventKey] = eventId;

    const string AuditEventKey = "audit-event";

    public async Task InvokeAsync(HttpContext context, EventIds eventIds, AuditLog audit)
    {
        if (context.Items[typeof(Caller)] is not Caller caller || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            await next(context);
            return;
        }
        var eventId = context.Request.RouteValues.TryGetValue("eventId", out var value) ? value as string : null;
        if (eventId is not null)
        {
            if (await eventIds.FindAsync(eventId, context.RequestAborted) is not { } eventDbId || !caller.MaySee(eventDbId))
            {
                await Problems.EventNotFound(eventId).ExecuteAsync(context);
                return;
            }
            context.Items[typeof(EventScope)] = eventDbId;
        }
        if (caller.Role is not (Role.Buyer or Role.Sme) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && endpoint.Metadata.GetMetadata<AuditedInTransactionAttribute>() is null)
        {
            context.Response.OnStarting(async () =>
            {
                // A replayed idempotent answer changed nothing the second time.
                if (context.Response.StatusCode >= 400 || context.Response.Headers.ContainsKey("Idempotent-Replayed")) return;
                var concerns = context.Items.TryGetValue(AuditEventKey, out var named) ? named as string : eventId;
                var action = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? "";
                await audit.WriteAsync(caller, new AuditAction(action, $"{context.Request.Method} {context.Request.Path}", concerns, context.Response.StatusCode),
                    CancellationToken.None);
            });
        }
        await next(context);
    }
}

/// <summary>The endpoint writes its own audit entry, in the same transaction as its change.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AuditedInTransactionAttribute : Attribute;
