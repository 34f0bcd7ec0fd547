namespace Matchmaker.Core.Recommendations;

/// <summary>What happened between an SME and a buyer, in rising strength; the last two are negative signals.</summary>
public enum InteractionKind
{
    ProfileViewed,
    IntroductionRequested,
    RequestAccepted,
    MeetingHeld,
    MeetingRatedWell,
    FollowUpAgreed,
    ContractSigned,
    RequestDeclined,
    NoShow,
}

/// <summary>One interaction event (SME = user side, buyer = item side).</summary>
public readonly record struct Interaction(string SmeId, string BuyerId, InteractionKind Kind, DateTimeOffset At);
