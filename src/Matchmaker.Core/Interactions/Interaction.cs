namespace Matchmaker.Core.Interactions;

/// <summary>
/// Signals an event leaves between an SME and a buyer, in the domain's ladder of rising strength
/// (viewed &lt; requested &lt; accepted &lt; held &lt; rated well &lt; follow-up &lt; contract); declines and no-shows are negative.
/// The recommender learns from these.
/// </summary>
public enum InteractionKind { Viewed, Requested, Accepted, Declined, Held, NoShow, RatedWell, FollowUp, Contract }

/// <summary>One signal between an SME and a buyer at one event. <paramref name="Value"/> carries a rating where one exists.</summary>
public sealed record Interaction(long EventId, long SmeId, long BuyerId, InteractionKind Kind, double? Value, DateTimeOffset OccurredAt);
