using Matchmaker.Core.Messages;
using System.Threading.RateLimiting;
using Matchmaker.Api.Access;
using Matchmaker.Core.Access;
using Matchmaker.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api;

/// <summary>How many requests a participant may send (section <c>Matchmaker:RateLimits</c>).</summary>
public sealed record RateLimitOptions
{
    /// <summary>Requests per participant token per minute on participant endpoints. Organisers and analysts are not limited.</summary>
    public int PerParticipantPerMinute { get; init; } = 600;
}

/// <summary>Per-token rate limiting of the participant endpoints: one SME's script cannot starve the others at the expo.</summary>
public static class RateLimits
{
    public const string Participants = "participants";

    public static IServiceCollection AddMatchmakerRateLimits(this IServiceCollection services)
    {
        services.AddBoundOptions<RateLimitOptions>("Matchmaker:RateLimits", o =>
        {
            if (o.PerParticipantPerMinute < 1) throw new ArgumentOutOfRangeException(nameof(o.PerParticipantPerMinute), "must be at least 1");
        });
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, bound) =>
        {
            var options = bound.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await Problems.TooManyRequests(new Message("rate_limited", options.PerParticipantPerMinute))
                    .ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(Participants, http =>
            {
                var caller = http.Items[typeof(Caller)] as Caller;
                return caller is null or { Role: Role.Administrator or Role.Organiser or Role.Analyst }
                    ? RateLimitPartition.GetNoLimiter("staff")
                    : RateLimitPartition.GetFixedWindowLimiter($"token-{caller.TokenId}", _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PerParticipantPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
        });
        return services;
    }
}
