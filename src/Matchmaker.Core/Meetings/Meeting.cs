using Matchmaker.Core.Requests;

namespace Matchmaker.Core.Meetings;

/// <summary>Where a meeting stands. Scheduled meetings end as held, no-show or cancelled; those are final.</summary>
public enum MeetingStatus { Scheduled, Held, NoShow, Cancelled }

/// <summary>What both sides agreed to do after a meeting, in rising strength.</summary>
public enum FollowUpKind { None, Sample, SiteVisit, Nda, Contract }

/// <summary>What came of a held meeting, recorded by the buyer.</summary>
/// <param name="Rating">1 (poor fit) … 5 (excellent).</param>
/// <param name="ContractKrw">Contract amount in won, only with <see cref="FollowUpKind.Contract"/>.</param>
public sealed record Outcome(int Rating, FollowUpKind FollowUp, long? ContractKrw)
{
    /// <summary>What is wrong with the outcome, each with the field at fault.</summary>
    public IEnumerable<(string Field, Messages.Message Text)> Problems()
    {
        if (Rating is < 1 or > 5) yield return ("rating", new("meeting.rating_range"));
        if (ContractKrw is < 0) yield return ("contractKrw", new("meeting.contract_negative"));
        if (ContractKrw is > 0 && FollowUp != FollowUpKind.Contract) yield return ("contractKrw", new("meeting.contract_needs_follow_up"));
    }
}

/// <summary>One SME meeting one buyer at one table in one slot.</summary>
/// <param name="Table">1-based table number of the buyer.</param>
public sealed record Meeting(
    long Id,
    long EventId,
    long SmeId,
    long BuyerId,
    long? DemandId,
    string SlotCode,
    int Table,
    MeetingStatus Status,
    Outcome? Outcome)
{
    public Meeting MarkHeld(Outcome outcome)
    {
        var problems = outcome.Problems().ToList();
        if (problems.Count > 0) throw new RefusedException(problems[0].Field, problems[0].Text);
        return Move(MeetingStatus.Held) with { Outcome = outcome };
    }

    public Meeting MarkNoShow() => Move(MeetingStatus.NoShow);

    public Meeting Cancel() => Move(MeetingStatus.Cancelled);

    Meeting Move(MeetingStatus to)
    {
        if (Status != MeetingStatus.Scheduled)
            throw new IllegalTransitionException(new Messages.Message("meeting.cannot_become", StatusName(Status), StatusName(to)));
        return this with { Status = to };
    }

    static Messages.Message StatusName(MeetingStatus status) => new($"meeting_status.{SnakeCase.Name(status)}");
}
