using System.Globalization;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Events;
using Matchmaker.Core.Reference;
using Matchmaker.Core.Scheduling;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Timetables;

/// <summary>One SME–buyer pair the scheduler may place, with the store's ids and the score it optimises.</summary>
public sealed record CandidatePair(long SmeId, long BuyerId, long? DemandId, double Score, bool Requested);

/// <summary>
/// An event's timetable problem as read from the store, with the maps between the scheduler's string ids
/// ("S{smeId}", "B{buyerId}", slot codes) and the store's ids.
/// </summary>
public sealed record TimetableInputs(
    long EventDbId,
    ScheduleProblem Problem,
    IReadOnlyDictionary<string, long> SlotIds,
    IReadOnlyDictionary<(long Sme, long Buyer), CandidatePair> Pairs)
{
    public static string SmeKey(long smeId) => $"S{smeId}";
    public static string BuyerKey(long buyerId) => $"B{buyerId}";
    public static long SmeIdOf(string key) => long.Parse(key.AsSpan(1), CultureInfo.InvariantCulture);
    public static long BuyerIdOf(string key) => long.Parse(key.AsSpan(1), CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads slots, buyers (tables, caps, availability, halls), SMEs (caps, the event's fairness floor, availability),
    /// the candidate pairs with their scores (accepted introduction requests marked requested) and the given locks.
    /// </summary>
    public static async Task<TimetableInputs> ReadAsync(DbConnection connection, DbTransaction? transaction, long eventDbId,
        Event @event, IReadOnlyList<Scheduling.Meeting> locks, double minimumScore)
    {
        var (frame, slotIds) = await ReadFrameAsync(connection, transaction, eventDbId, @event);
        var pairs = await PairScores.ReadAsync(connection, transaction, eventDbId, minimumScore);
        // A pinned meeting (an organiser's lock, a recorded meeting) is a candidate whatever its score.
        foreach (var l in locks)
        {
            var key = (SmeIdOf(l.Sme), BuyerIdOf(l.Buyer));
            if (!pairs.ContainsKey(key) && frame.Smes.Any(s => s.Id == l.Sme) && frame.Buyers.Any(b => b.Id == l.Buyer))
                pairs[key] = new CandidatePair(key.Item1, key.Item2, null, 0, false);
        }
        var problem = frame with
        {
            Pairs = pairs.Values.OrderBy(p => p.SmeId).ThenBy(p => p.BuyerId)
                .Select(p => new PairDef(SmeKey(p.SmeId), BuyerKey(p.BuyerId), p.Score, p.Requested)).ToList(),
            Locks = locks,
        };
        return new TimetableInputs(eventDbId, problem, slotIds, pairs);
    }

    /// <summary>
    /// The event as the scheduler sees it, without pairs: slots, buyers (tables, caps, availability, halls), SMEs (caps,
    /// the fairness floor, availability) and the travel minutes between halls. Enough for the availability rule.
    /// </summary>
    public static async Task<(ScheduleProblem Frame, IReadOnlyDictionary<string, long> SlotIds)> ReadFrameAsync(DbConnection connection,
        DbTransaction? transaction, long eventDbId, Event @event)
    {
        var slots = (await connection.QueryAsync<(long Id, string Code, string LocalStart, string LocalEnd)>(
            "SELECT id, code, local_start, local_end FROM slots WHERE event_id = @eventDbId ORDER BY local_start",
            new { eventDbId }, transaction)).ToList();
        var buyers = (await connection.QueryAsync<(long Id, long MeetingCap, long Tables, string? Hall, string UnavailableSlots)>("""
            SELECT buyer_id, meeting_cap, tables, hall, unavailable_slots FROM event_buyers WHERE event_id = @eventDbId ORDER BY buyer_id
            """, new { eventDbId }, transaction)).ToList();
        var smes = (await connection.QueryAsync<(long Id, long MeetingCap, string UnavailableSlots)>("""
            SELECT sme_id, meeting_cap, unavailable_slots FROM event_smes WHERE event_id = @eventDbId ORDER BY sme_id
            """, new { eventDbId }, transaction)).ToList();
        var halls = @event.Halls.ToHashSet();
        var frame = new ScheduleProblem(
            slots.Select(s => new SlotDef(s.Code, ParseLocal(s.LocalStart), ParseLocal(s.LocalEnd))).ToList(),
            buyers.Select(b => new BuyerDef(BuyerKey(b.Id), (int)b.Tables, (int)b.MeetingCap, Lists.Split(b.UnavailableSlots),
                Hall: b.Hall is not null && halls.Contains(b.Hall) ? b.Hall : null)).ToList(),
            smes.Select(s => new SmeDef(SmeKey(s.Id), (int)s.MeetingCap, Math.Min(@event.MinMeetingsPerSme, (int)s.MeetingCap),
                Lists.Split(s.UnavailableSlots))).ToList(),
            [],
            new ProblemOptions(TravelMinutes: Travel(@event)));
        return (frame, slots.ToDictionary(s => s.Code, s => s.Id));
    }

    /// <summary>
    /// The walk between every two halls of the event, as the scheduler needs it (a full matrix): what the organiser
    /// entered, else the walk the other way, else none. Null when no travel minutes are set.
    /// </summary>
    static Dictionary<string, IReadOnlyDictionary<string, double>>? Travel(Event @event)
    {
        if (@event.TravelMinutes.Count == 0) return null;
        int? Given(string from, string to) => @event.TravelMinutes.TryGetValue(from, out var row) && row.TryGetValue(to, out var m) ? m : null;
        var halls = @event.Halls.Union(@event.TravelMinutes.Keys).ToList();
        return halls.ToDictionary(from => from, from => (IReadOnlyDictionary<string, double>)halls.ToDictionary(
            to => to, to => (double)(Given(from, to) ?? Given(to, from) ?? 0)));
    }

    static DateTime ParseLocal(string text) => DateTime.ParseExact(text, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// The scores the timetable optimises, per SME–buyer pair of an event: the hybrid match scores of the scoring job (the
/// buyer's best demand), pairs below <see cref="TimetableOptions.MinimumScore"/> left out. Until the event has been
/// scored, pairs are scored by industry-code closeness alone (deepest common KSIC level of the SME's codes and the
/// buyer's or its demands' codes). Accepted introduction requests are always candidates.
/// </summary>
public static class PairScores
{
    /// <summary>Closeness by deepest common KSIC level: subclass, class, group, division, section.</summary>
    static readonly double[] ClosenessByLevel = [0, 0.15, 0.4, 0.6, 0.8, 1.0];

    /// <summary>Pairs below this code closeness are not candidates (they share no division).</summary>
    const double MinimumCloseness = 0.4;

    public static async Task<Dictionary<(long Sme, long Buyer), CandidatePair>> ReadAsync(DbConnection connection, DbTransaction? transaction,
        long eventDbId, double minimumScore)
    {
        var scored = await Matching.ScoreStore.PairScoresAsync(connection, transaction, eventDbId);
        var pairs = scored.Count > 0
            ? scored.Where(p => p.Score >= minimumScore)
                .ToDictionary(p => (p.SmeDbId, p.BuyerDbId), p => new CandidatePair(p.SmeDbId, p.BuyerDbId, p.DemandDbId, p.Score, false))
            : await ByIndustryCodesAsync(connection, transaction, eventDbId);
        var accepted = (await connection.QueryAsync<(long Sme, long Buyer, long? Demand)>("""
            SELECT sme_id, buyer_id, demand_id FROM introduction_requests WHERE event_id = @eventDbId AND state = 'accepted'
            """, new { eventDbId }, transaction)).ToList();
        foreach (var request in accepted)
        {
            var key = (request.Sme, request.Buyer);
            var score = scored.FirstOrDefault(p => p.SmeDbId == request.Sme && p.BuyerDbId == request.Buyer).Score;
            pairs[key] = pairs.TryGetValue(key, out var pair)
                ? pair with { Requested = true, DemandId = request.Demand ?? pair.DemandId }
                : new CandidatePair(request.Sme, request.Buyer, request.Demand, score, true);
        }
        return pairs;
    }

    static async Task<Dictionary<(long Sme, long Buyer), CandidatePair>> ByIndustryCodesAsync(DbConnection connection, DbTransaction? transaction, long eventDbId)
    {
        var smeCodes = (await connection.QueryAsync<(long Id, string Codes)>("""
            SELECT sme_id, ksic_codes FROM event_smes WHERE event_id = @eventDbId
            """, new { eventDbId }, transaction)).ToList();
        var buyerCodes = (await connection.QueryAsync<(long BuyerId, long? DemandId, string Codes)>("""
            SELECT buyer_id, NULL, ksic_codes FROM event_buyers WHERE event_id = @eventDbId
            UNION ALL
            SELECT d.buyer_id, d.id, d.ksic_codes FROM demands d WHERE d.event_id = @eventDbId
            """, new { eventDbId }, transaction)).ToList();
        var catalog = KsicCatalog.Default;
        var pairs = new Dictionary<(long, long), CandidatePair>();
        foreach (var sme in smeCodes)
        {
            var mine = Lists.Split(sme.Codes);
            foreach (var target in buyerCodes)
            {
                var closeness = Closeness(catalog, mine, Lists.Split(target.Codes));
                if (closeness < MinimumCloseness) continue;
                var key = (sme.Id, target.BuyerId);
                if (!pairs.TryGetValue(key, out var best) || closeness > best.Score)
                    pairs[key] = new CandidatePair(sme.Id, target.BuyerId, target.DemandId, closeness, false);
            }
        }
        return pairs;
    }

    static double Closeness(KsicCatalog catalog, IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var best = 0.0;
        foreach (var x in a)
        {
            var lineage = catalog.Lineage(x).Select(c => c.Code).ToHashSet();
            foreach (var y in b)
                foreach (var code in catalog.Lineage(y))
                    if (lineage.Contains(code.Code)) { best = Math.Max(best, ClosenessByLevel[code.Level]); break; }
        }
        return best;
    }
}
