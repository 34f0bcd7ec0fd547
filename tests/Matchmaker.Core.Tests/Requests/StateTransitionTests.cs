using Matchmaker.Core.Meetings;
using Matchmaker.Core.Requests;

namespace Matchmaker.Core.Tests.Requests;

public class StateTransitionTests
{
    static readonly DateTimeOffset At = new(2026, 5, 20, 10, 0, 0, TimeSpan.FromHours(9));

    static IntroductionRequest Pending() => new(1, 1, 1, 1, null, 1, "사출금형 전문", RequestState.Pending, At, null, null);

    static Meeting Scheduled() => new(1, 1, 1, 1, null, "D1-01", 1, MeetingStatus.Scheduled, null);

    [Fact]
    public void A_pending_request_can_be_accepted_declined_withdrawn_or_expired()
    {
        Pending().Accept(At).State.Should().Be(RequestState.Accepted);
        Pending().Decline(At, "수요 마감").Should().Match<IntroductionRequest>(r => r.State == RequestState.Declined && r.DecisionReason == "수요 마감");
        Pending().Withdraw(At).State.Should().Be(RequestState.Withdrawn);
        Pending().Expire(At).State.Should().Be(RequestState.Expired);
    }

    [Fact]
    public void A_decided_request_cannot_change_again()
    {
        var withdrawn = Pending().Withdraw(At);

        withdrawn.Invoking(r => r.Accept(At)).Should().Throw<IllegalTransitionException>().WithMessage("*withdrawn*accepted*");
        Pending().Accept(At).Invoking(r => r.Decline(At, null)).Should().Throw<IllegalTransitionException>();
    }

    [Fact]
    public void A_meeting_ends_once_and_a_held_meeting_needs_a_valid_outcome()
    {
        var held = Scheduled().MarkHeld(new Outcome(5, FollowUpKind.Contract, 120_000_000));
        held.Status.Should().Be(MeetingStatus.Held);
        held.Invoking(m => m.MarkNoShow()).Should().Throw<IllegalTransitionException>();
        Scheduled().MarkNoShow().Invoking(m => m.Cancel()).Should().Throw<IllegalTransitionException>();
        // Refused naming the field, with the catalogue's message (issue 16).
        Scheduled().Invoking(m => m.MarkHeld(new Outcome(6, FollowUpKind.None, null))).Should().Throw<Matchmaker.Core.RefusedException>()
            .Where(e => e.Field == "rating" && e.Text!.Code == "meeting.rating_range").WithMessage("*rating*");
        Scheduled().Invoking(m => m.MarkHeld(new Outcome(4, FollowUpKind.Sample, 5))).Should().Throw<Matchmaker.Core.RefusedException>()
            .Where(e => e.Field == "contractKrw" && e.Text!.Code == "meeting.contract_needs_follow_up").WithMessage("*contract*");
    }
}
