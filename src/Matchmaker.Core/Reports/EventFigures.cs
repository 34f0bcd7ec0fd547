namespace Matchmaker.Core.Reports;

/// <summary>An SME taking part in the event, as the report groups it.</summary>
public sealed record ReportSme(long Id, string? Sector);

/// <summary>A buyer taking part in the event, as the report groups it.</summary>
public sealed record ReportBuyer(long Id, string BuyerId, string Name, string? Sector);

/// <summary>An introduction request; <paramref name="State"/> is pending, accepted, declined, withdrawn or expired.</summary>
public sealed record ReportRequest(long SmeId, long BuyerId, string State);

/// <summary>A live meeting; <paramref name="Status"/> is scheduled, held, no_show or cancelled.</summary>
public sealed record ReportMeeting(long SmeId, long BuyerId, string Status, int? Rating, string? FollowUp, long? ContractKrw);

/// <summary>How many of something: a request state, a rating, a follow-up kind.</summary>
public sealed record CountOf(string Key, int Count);

/// <summary>Introduction requests by state.</summary>
/// <param name="Decided">Requests the buyer accepted or declined.</param>
/// <param name="AcceptanceRate">accepted / (accepted + declined): the buyers' answer to the requests they decided; null
/// when none was decided. Withdrawn, expired and pending requests were never answered, so they do not count.</param>
public sealed record RequestFigures(int Total, IReadOnlyList<CountOf> ByState, int Decided, double? AcceptanceRate);

/// <summary>Meetings by status.</summary>
/// <param name="Planned">Every meeting that was not cancelled (scheduled, held or no-show): what the timetable promised.</param>
/// <param name="ShowRate">held / (held + no-show); null before any outcome is recorded.</param>
public sealed record MeetingFigures(int Planned, int Scheduled, int Held, int NoShow, int Cancelled, double? ShowRate);

/// <summary>Ratings of held meetings: how many of each 1…5 and their mean (null without ratings).</summary>
public sealed record RatingFigures(int Count, IReadOnlyList<CountOf> Distribution, double? Mean);

/// <summary>Contracts agreed in held meetings (follow-up contract): how many and the sum of their amounts in won.</summary>
public sealed record ContractFigures(int Count, long SumKrw);

/// <summary>The figures of one group (an SME sector, a buyer sector, or one buyer).</summary>
/// <param name="Key">The sector, or the buyer's id; null for participants without a sector.</param>
/// <param name="Label">The buyer's name for per-buyer rows; the sector again otherwise.</param>
/// <param name="Participants">SMEs (SME sectors) or buyers (buyer sectors, 1 per buyer) of the event in the group.</param>
/// <param name="FollowUps">Held meetings with a follow-up other than none (sample, site visit, NDA or contract).</param>
public sealed record GroupFigures(string? Key, string? Label, int Participants, int Requests, int Accepted, int Meetings, int Held,
    int NoShows, double? MeanRating, int FollowUps, int Contracts, long ContractKrw);

/// <summary>How many SMEs got 0, 1, 2 … meetings.</summary>
public sealed record HistogramBucket(int Meetings, int Smes);

/// <summary>How evenly meetings were spread over the SMEs of the event (every SME counts, also those with none).</summary>
/// <param name="MeetingsPerSme">SMEs by number of planned (not cancelled) meetings, from 0 to the most any SME has, gaps included.</param>
/// <param name="HeldPerSme">SMEs by number of held meetings.</param>
/// <param name="BelowMinimum">SMEs with fewer planned meetings than the event's minimum per SME.</param>
public sealed record FairnessFigures(int Smes, int MinMeetingsPerSme, IReadOnlyList<HistogramBucket> MeetingsPerSme,
    IReadOnlyList<HistogramBucket> HeldPerSme, int BelowMinimum);

/// <summary>Everything the event report shows.</summary>
public sealed record EventFigures(RequestFigures Requests, MeetingFigures Meetings, RatingFigures Ratings, IReadOnlyList<CountOf> FollowUps,
    ContractFigures Contracts, IReadOnlyList<GroupFigures> BySmeSector, IReadOnlyList<GroupFigures> ByBuyerSector,
    IReadOnlyList<GroupFigures> ByBuyer, FairnessFigures Fairness);

/// <summary>Computes the event report from the event's participants, requests and meetings (pure; the caller reads the store).</summary>
public static class EventReport
{
    public static readonly IReadOnlyList<string> RequestStates = ["pending", "accepted", "declined", "withdrawn", "expired"];
    public static readonly IReadOnlyList<string> FollowUpKinds = ["none", "sample", "site_visit", "nda", "contract"];

    public static EventFigures Compute(IReadOnlyList<ReportSme> smes, IReadOnlyList<ReportBuyer> buyers, IReadOnlyList<ReportRequest> requests,
        IReadOnlyList<ReportMeeting> meetings, int minMeetingsPerSme)
    {
        ArgumentNullException.ThrowIfNull(smes);
        ArgumentNullException.ThrowIfNull(buyers);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(meetings);

        var accepted = requests.Count(r => r.State == "accepted");
        var declined = requests.Count(r => r.State == "declined");
        var requestFigures = new RequestFigures(requests.Count,
            RequestStates.Select(s => new CountOf(s, requests.Count(r => r.State == s))).ToList(),
            accepted + declined, Rate(accepted, accepted + declined));

        var held = meetings.Where(m => m.Status == "held").ToList();
        var noShow = meetings.Count(m => m.Status == "no_show");
        var meetingFigures = new MeetingFigures(meetings.Count(Planned), meetings.Count(m => m.Status == "scheduled"), held.Count, noShow,
            meetings.Count(m => m.Status == "cancelled"), Rate(held.Count, held.Count + noShow));

        var ratings = held.Where(m => m.Rating is not null).Select(m => m.Rating!.Value).ToList();
        var ratingFigures = new RatingFigures(ratings.Count,
            Enumerable.Range(1, 5).Select(r => new CountOf(r.ToString(System.Globalization.CultureInfo.InvariantCulture), ratings.Count(x => x == r))).ToList(),
            ratings.Count == 0 ? null : ratings.Average());

        var followUps = FollowUpKinds.Select(k => new CountOf(k, held.Count(m => m.FollowUp == k))).ToList();
        var contracts = held.Where(m => m.FollowUp == "contract").ToList();

        var smeSector = smes.ToDictionary(s => s.Id, s => s.Sector);
        var buyerById = buyers.ToDictionary(b => b.Id);
        string? SmeSector(long id) => smeSector.GetValueOrDefault(id);
        string? BuyerSector(long id) => buyerById.TryGetValue(id, out var b) ? b.Sector : null;

        var bySmeSector = Groups(smes.GroupBy(s => s.Sector).ToDictionary(g => Key(g.Key), g => (Label: g.Key, Participants: g.Count())),
            requests, meetings, r => SmeSector(r.SmeId), m => SmeSector(m.SmeId));
        var byBuyerSector = Groups(buyers.GroupBy(b => b.Sector).ToDictionary(g => Key(g.Key), g => (Label: g.Key, Participants: g.Count())),
            requests, meetings, r => BuyerSector(r.BuyerId), m => BuyerSector(m.BuyerId));
        var buyerCode = buyers.ToDictionary(b => b.Id, b => b.BuyerId);
        var byBuyer = Groups(buyers.ToDictionary(b => Key(b.BuyerId), b => (Label: (string?)b.Name, Participants: 1)),
            requests, meetings, r => buyerCode.GetValueOrDefault(r.BuyerId), m => buyerCode.GetValueOrDefault(m.BuyerId));

        var planned = meetings.Where(Planned).GroupBy(m => m.SmeId).ToDictionary(g => g.Key, g => g.Count());
        var heldPerSme = held.GroupBy(m => m.SmeId).ToDictionary(g => g.Key, g => g.Count());
        var fairness = new FairnessFigures(smes.Count, minMeetingsPerSme,
            Histogram(smes.Select(s => planned.GetValueOrDefault(s.Id)).ToList()),
            Histogram(smes.Select(s => heldPerSme.GetValueOrDefault(s.Id)).ToList()),
            smes.Count(s => planned.GetValueOrDefault(s.Id) < minMeetingsPerSme));

        return new EventFigures(requestFigures, meetingFigures, ratingFigures, followUps,
            new ContractFigures(contracts.Count, contracts.Sum(m => m.ContractKrw ?? 0)), bySmeSector, byBuyerSector, byBuyer, fairness);
    }

    static bool Planned(ReportMeeting m) => m.Status != "cancelled";

    static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    // Dictionary keys cannot be null: a participant without a sector is grouped under "".
    static string Key(string? sector) => sector ?? "";

    static List<GroupFigures> Groups(Dictionary<string, (string? Label, int Participants)> groups, IReadOnlyList<ReportRequest> requests,
        IReadOnlyList<ReportMeeting> meetings, Func<ReportRequest, string?> requestKey, Func<ReportMeeting, string?> meetingKey)
    {
        var requestsBy = requests.ToLookup(r => Key(requestKey(r)));
        var meetingsBy = meetings.ToLookup(m => Key(meetingKey(m)));
        var keys = groups.Keys.Concat(requestsBy.Select(g => g.Key)).Concat(meetingsBy.Select(g => g.Key)).Distinct();
        return keys.Select(key =>
        {
            var (label, participants) = groups.GetValueOrDefault(key, (key.Length == 0 ? null : key, 0));
            var groupMeetings = meetingsBy[key].ToList();
            var held = groupMeetings.Where(m => m.Status == "held").ToList();
            var ratings = held.Where(m => m.Rating is not null).Select(m => (double)m.Rating!.Value).ToList();
            var contracts = held.Where(m => m.FollowUp == "contract").ToList();
            return new GroupFigures(key.Length == 0 ? null : key, label, participants, requestsBy[key].Count(),
                requestsBy[key].Count(r => r.State == "accepted"), groupMeetings.Count(Planned), held.Count,
                groupMeetings.Count(m => m.Status == "no_show"), ratings.Count == 0 ? null : ratings.Average(),
                held.Count(m => m.FollowUp is not null and not "none"), contracts.Count, contracts.Sum(m => m.ContractKrw ?? 0));
        })
        .OrderByDescending(g => g.Meetings).ThenBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal)
        .ToList();
    }

    static List<HistogramBucket> Histogram(IReadOnlyList<int> counts)
    {
        var max = counts.Count == 0 ? 0 : counts.Max();
        return Enumerable.Range(0, max + 1).Select(n => new HistogramBucket(n, counts.Count(c => c == n))).ToList();
    }
}
