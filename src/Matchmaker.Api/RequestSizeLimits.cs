using Matchmaker.Core.Messages;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Matchmaker.Api;

/// <summary>
/// Bodies larger than the endpoint allows (1 MB by default; uploads say more in their metadata) are refused with a problem
/// before they are read, whatever server hosts the app (Kestrel enforces its own limit too, the test server does not).
/// </summary>
public sealed class RequestSizeLimits(RequestDelegate next)
{
    public const long DefaultMaxBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBytes;
        if (context.Request.ContentLength > limit)
        {
            await Problems.TooLarge(new Message("body_too_large", context.Request.ContentLength, limit), "body")
                .ExecuteAsync(context);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        await next(context);
    }
}
