using Microsoft.AspNetCore.Diagnostics;
using Polly.Timeout;

namespace Matchmaker.Api.Store;

/// <summary>
/// A short write that the store could not take within <c>Matchmaker:Store:WriteTimeoutSeconds</c> (its turn behind other
/// writers, its retries and its work: the store-write pipeline's bound) is answered 503 store_busy with Retry-After,
/// not 500: the write was given up and its transaction rolled back, so the same request may be sent again (with an
/// Idempotency-Key, the key is released for it).
/// </summary>
public sealed class StoreBusy : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not TimeoutRejectedException) return false;
        httpContext.Response.Headers.RetryAfter = "5";
        await Problems.StoreBusy().ExecuteAsync(httpContext);
        return true;
    }
}
