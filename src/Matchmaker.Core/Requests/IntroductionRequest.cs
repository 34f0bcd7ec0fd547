namespace Matchmaker.Core.Requests;

/// <summary>Where an introduction request stands. Only <see cref="Pending"/> can change.</summary>
public enum RequestState { Pending, Accepted, Declined, Withdrawn, Expired }

/// <summary>An SME asking to meet a buyer (or one of its demands), with a priority and a short pitch.</summary>
/// <param name="Priority">1 = most wanted … 3 = least.</param>
public sealed record IntroductionRequest(
    long Id,
    long EventId,
    long SmeId,
    long BuyerId,
    long? DemandId,
    int Priority,
    string Pitch,
    RequestState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DecidedAt,
    string? DecisionReason)
{
    public const int MaxPitchLength = 500;

    public IntroductionRequest Accept(DateTimeOffset at) => Decide(RequestState.Accepted, at, null);

    public IntroductionRequest Decline(DateTimeOffset at, string? reason) => Decide(RequestState.Declined, at, reason);

    public IntroductionRequest Withdraw(DateTimeOffset at) => Decide(RequestState.Withdrawn, at, null);

    /// <summary>The request window closed before the buyer answered.</summary>
    public IntroductionRequest Expire(DateTimeOffset at) => Decide(RequestState.Expired, at, null);

    IntroductionRequest Decide(RequestState to, DateTimeOffset at, string? reason)
    {
        if (State != RequestState.Pending)
            throw new IllegalTransitionException($"a {SnakeCase.Name(State)} request cannot become {SnakeCase.Name(to)}");
        return this with { State = to, DecidedAt = at, DecisionReason = reason };
    }
}

/// <summary>A state change that the domain does not allow (e.g. accepting a withdrawn request).</summary>
public sealed class IllegalTransitionException(string message) : InvalidOperationException(message);
