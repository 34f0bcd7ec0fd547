using Matchmaker.Core.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Matchmaker.Api.Store;

/// <summary>
/// A request that lost its connection to PostgreSQL (<see cref="TransientFaults.IsLostConnection"/>: the server restarted
/// or failed over, an administrator ended the sessions) is answered 503 store_unavailable with Retry-After, not 500. The
/// pool's other connections, dead alike, are gone already (Npgsql drops the pool when a connection breaks that way, and
/// the change listener as soon as it loses its own session), so the following requests open fresh ones. Nothing is run
/// again here: a read could be, but its work is spread over the request (the token check is cached for the request by
/// the authentication handler), and nginx resends a GET answered 503 to the other API process
/// (deploy/nginx/matchmaker.conf); a write lost before its commit was run again by the store-write pipeline
/// (<see cref="LostBeforeCommitException"/>), so a write that arrives here either ran out of retries or lost its
/// connection while committing, and must not be run again blindly.
/// </summary>
public sealed partial class StoreUnavailable(ILogger<StoreUnavailable> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientFaults.IsLostConnection(exception)) return false;
        Lost(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "2";
        await Problems.StoreUnavailable().ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} lost its connection to the store; answered 503 store_unavailable")]
    static partial void Lost(ILogger logger, Exception exception, string method, string path);
}
