using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Samples;

/// <summary>The history of one past event.</summary>
public sealed record SampleHistory(IReadOnlyList<SampleRequest> Requests, IReadOnlyList<SampleMeeting> Meetings, IReadOnlyList<SampleView> Views);

/// <summary>
/// Simulates a past event from the hidden fit: views ∝ exp(fit), requests from the best-fitting views, acceptance by a
/// logistic in fit, meetings placed in free slots, no-shows by hidden reliability, ratings and follow-ups from fit.
/// </summary>
public static class HistorySimulator
{
    /// <summary>How sharply views concentrate on good fits: weight = exp(ViewSharpness · perceived fit).</summary>
    public const double ViewSharpness = 1.8;
    /// <summary>Perception noise per event on top of the fit (what SMEs and buyers think of each other this year).</summary>
    public const double PerceptionSd = 0.25;
    /// <summary>Steepness of acceptance: P(accept) = σ(AcceptSteepness · (fit − buyer's selectivity)).</summary>
    public const double AcceptSteepness = 4.0;
    /// <summary>Share of its meeting cap a buyer fills through accepted requests; the organiser fills the rest.</summary>
    public const double AcceptShareOfCap = 0.75;
    public const double RatingNoiseSd = 0.35;

    sealed class Pair
    {
        public required SampleSme Sme;
        public required SampleBuyer Buyer;
        public required double Fit;
        public required double Perceived;
        public required SampleDemand Demand;
    }

    sealed class Booking
    {
        public required Pair Pair;
        public required SampleSlot Slot;
        public required int Table;
        public required bool FromRequest;
    }

    public static SampleHistory Simulate(Random rng, int seed, SampleEventSpec spec, KsicCatalog ksic,
        IReadOnlyList<SampleBuyer> buyers, IReadOnlyList<SampleDemand> demands, IReadOnlyList<SampleSme> smes,
        IReadOnlyDictionary<string, HiddenBuyer> hiddenBuyers, IReadOnlyDictionary<string, HiddenSme> hiddenSmes)
    {
        var fit = new HiddenFit(ksic, seed);
        var demandsByBuyer = demands.GroupBy(d => d.BuyerId).ToDictionary(g => g.Key, g => g.ToList());
        var pairs = new Pair[smes.Count, buyers.Count];
        for (var s = 0; s < smes.Count; s++)
            for (var b = 0; b < buyers.Count; b++)
            {
                var (f, demand) = fit.Fit(smes[s], hiddenSmes[smes[s].BusinessNumber], buyers[b], hiddenBuyers[buyers[b].BuyerId],
                    demandsByBuyer[buyers[b].BuyerId]);
                pairs[s, b] = new Pair { Sme = smes[s], Buyer = buyers[b], Fit = f, Perceived = f + rng.Gaussian(0, PerceptionSd), Demand = demand };
            }

        var day1 = spec.Days[0].ToDateTime(TimeOnly.MinValue);
        var views = new List<SampleView>();
        var smeViewed = new Dictionary<(int S, int B), DateTime>();

        // Views: SMEs browse buyers, buyers browse SMEs, both in the three weeks before the fair.
        for (var s = 0; s < smes.Count; s++)
        {
            var weights = Enumerable.Range(0, buyers.Count).Select(b => Math.Exp(ViewSharpness * pairs[s, b].Perceived)).ToList();
            foreach (var b in rng.SampleWithoutReplacement(weights, 3 + rng.Next(0, 10)))
            {
                var at = WorkingTime(rng, day1.AddDays(-21), day1.AddDays(-6));
                smeViewed[(s, b)] = at;
                views.Add(new SampleView(smes[s].BusinessNumber, buyers[b].BuyerId, "sme", at));
                if (rng.NextDouble() < 0.25) views.Add(new SampleView(smes[s].BusinessNumber, buyers[b].BuyerId, "sme", WorkingTime(rng, at, day1.AddDays(-1))));
            }
        }
        for (var b = 0; b < buyers.Count; b++)
        {
            var weights = Enumerable.Range(0, smes.Count).Select(s => Math.Exp(ViewSharpness * pairs[s, b].Perceived)).ToList();
            foreach (var s in rng.SampleWithoutReplacement(weights, 6 + rng.Next(0, 15)))
                views.Add(new SampleView(smes[s].BusinessNumber, buyers[b].BuyerId, "buyer", WorkingTime(rng, day1.AddDays(-21), day1.AddDays(-1))));
        }

        // Requests: each SME asks its best-looking viewed buyers, at most max_open_requests_per_sme.
        var drafts = new List<(int S, int B, int Priority, DateTime Created)>();
        for (var s = 0; s < smes.Count; s++)
        {
            if (rng.NextDouble() < 0.08) continue; // browsed but asked no one
            var wanted = 1 + rng.PickWeighted([0.1, 0.2, 0.3, 0.2, 0.2]);
            var ranked = smeViewed.Keys.Where(k => k.S == s)
                .OrderByDescending(k => pairs[s, k.B].Perceived).ThenBy(k => buyers[k.B].BuyerId, StringComparer.Ordinal)
                .Take(Math.Min(wanted, SampleEventSpec.MaxOpenRequestsPerSme)).ToList();
            for (var r = 0; r < ranked.Count; r++)
            {
                var created = WorkingTime(rng, smeViewed[ranked[r]], Min(smeViewed[ranked[r]].AddDays(4), day1.AddDays(-5)));
                drafts.Add((s, ranked[r].B, r == 0 ? 1 : r <= 2 ? 2 : 3, created));
            }
        }
        drafts = drafts.OrderBy(d => d.Created).ThenBy(d => smes[d.S].BusinessNumber, StringComparer.Ordinal)
            .ThenBy(d => buyers[d.B].BuyerId, StringComparer.Ordinal).ToList();

        // Decisions, buyer by buyer, best perceived first, up to a share of the meeting cap.
        var states = new (string State, DateTime? Decided)[drafts.Count];
        var accepted = new List<int>();
        foreach (var group in Enumerable.Range(0, drafts.Count).GroupBy(i => drafts[i].B).OrderBy(g => buyers[g.Key].BuyerId, StringComparer.Ordinal))
        {
            var buyer = buyers[group.Key];
            var hb = hiddenBuyers[buyer.BuyerId];
            var limit = (int)Math.Floor(buyer.MeetingCap * AcceptShareOfCap);
            var taken = 0;
            foreach (var i in group.OrderByDescending(i => pairs[drafts[i].S, drafts[i].B].Perceived + rng.Gaussian(0, 0.15)).ThenBy(i => i))
            {
                var d = drafts[i];
                var decided = WorkingTime(rng, d.Created.AddHours(4), Min(d.Created.AddDays(5), day1.AddDays(-2)));
                if (rng.NextDouble() < 0.03) { states[i] = ("withdrawn", decided); continue; }
                var p = SampleRandom.Sigmoid(AcceptSteepness * (pairs[d.S, d.B].Fit - hb.Selectivity));
                if (taken < limit && rng.NextDouble() < p) { states[i] = ("accepted", decided); taken++; accepted.Add(i); }
                else if (rng.NextDouble() < 0.12) states[i] = ("expired", null);
                else states[i] = ("declined", decided);
            }
        }
        var requests = drafts.Select((d, i) => new SampleRequest($"R{spec.Year}-{i + 1:0000}", smes[d.S].BusinessNumber, buyers[d.B].BuyerId,
            pairs[d.S, d.B].Demand.DemandId, d.Priority, Pitch(rng, smes[d.S], pairs[d.S, d.B].Demand), states[i].State, d.Created,
            states[i].Decided)).ToList();

        // Meetings to place: accepted requests first, then the organiser's assignments.
        var toPlace = accepted.OrderBy(i => i).Select(i => (drafts[i].S, drafts[i].B, FromRequest: true)).ToList();
        var planned = toPlace.Select(x => (x.S, x.B)).ToHashSet();
        var smeLoad = new int[smes.Count];
        var buyerLoad = new int[buyers.Count];
        foreach (var (s, b, _) in toPlace) { smeLoad[s]++; buyerLoad[b]++; }
        void Assign(int s, int b)
        {
            toPlace.Add((s, b, false));
            planned.Add((s, b));
            smeLoad[s]++;
            buyerLoad[b]++;
        }
        // Every SME that came gets at least the minimum, with its best-fitting buyers that still have room.
        for (var s = 0; s < smes.Count; s++)
            foreach (var b in Enumerable.Range(0, buyers.Count).OrderByDescending(b => pairs[s, b].Perceived).ThenBy(b => b))
            {
                if (smeLoad[s] >= SampleEventSpec.MinMeetingsPerSme) break;
                if (!planned.Contains((s, b)) && buyerLoad[b] < buyers[b].MeetingCap) Assign(s, b);
            }
        // Buyers left with most of their capacity empty get a few organiser matches.
        for (var b = 0; b < buyers.Count; b++)
            foreach (var s in Enumerable.Range(0, smes.Count).OrderByDescending(s => pairs[s, b].Perceived).ThenBy(s => s))
            {
                if (buyerLoad[b] >= buyers[b].MeetingCap * 2 / 5) break;
                if (!planned.Contains((s, b)) && smeLoad[s] < smes[s].MeetingCap) Assign(s, b);
            }

        var bookings = Place(rng, spec, toPlace.Select(x => (pairs[x.S, x.B], x.FromRequest)).ToList());

        // Outcomes.
        var meetings = new List<SampleMeeting>();
        var ordered = bookings.OrderBy(m => m.Slot.Start).ThenBy(m => m.Pair.Buyer.BuyerId, StringComparer.Ordinal).ThenBy(m => m.Table).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var m = ordered[i];
            var reliability = hiddenSmes[m.Pair.Sme.BusinessNumber].Reliability;
            var status = "held";
            if (rng.NextDouble() < 0.025) status = "cancelled";
            else if (rng.NextDouble() < 0.025 + 0.25 * (1 - reliability) + (m.Pair.Fit < 0.3 ? 0.03 : 0)) status = "no_show";
            int? rating = null;
            var followUp = "none";
            long? contract = null;
            if (status == "held")
            {
                var q = m.Pair.Fit + rng.Gaussian(0, RatingNoiseSd);
                rating = q < 0.8 ? 1 : q < 1.25 ? 2 : q < 1.7 ? 3 : q < 2.2 ? 4 : 5;
                followUp = FollowUp(rng, rating.Value);
                if (followUp == "contract") contract = ContractAmount(rng, m.Pair.Demand.BudgetBand);
            }
            meetings.Add(new SampleMeeting($"M{spec.Year}-{i + 1:0000}", m.Pair.Sme.BusinessNumber, m.Pair.Buyer.BuyerId, m.Pair.Demand.DemandId,
                m.Slot.Start, m.Table, status, rating, followUp, contract));
        }

        views = views.OrderBy(v => v.ViewedAt).ThenBy(v => v.BusinessNumber, StringComparer.Ordinal)
            .ThenBy(v => v.BuyerId, StringComparer.Ordinal).ThenBy(v => v.Viewer, StringComparer.Ordinal).ToList();
        return new SampleHistory(requests, meetings, views);
    }

    /// <summary>
    /// Places meetings in a random feasible slot: the buyer's table and the SME free, both available, and the SME able to
    /// walk between halls in the gap to its neighbouring meetings. A meeting with no feasible slot is dropped.
    /// </summary>
    static List<Booking> Place(Random rng, SampleEventSpec spec, List<(Pair Pair, bool FromRequest)> meetings)
    {
        var slots = spec.Slots();
        var bookings = new List<Booking>();
        var tableBusy = new HashSet<(string Buyer, int Table, string Slot)>();
        var smeBookings = new Dictionary<string, List<Booking>>();
        foreach (var (pair, fromRequest) in meetings)
        {
            var mine = smeBookings.TryGetValue(pair.Sme.BusinessNumber, out var list) ? list : smeBookings[pair.Sme.BusinessNumber] = [];
            var options = new List<(SampleSlot Slot, int Table)>();
            foreach (var slot in slots)
            {
                if (pair.Buyer.UnavailableSlots.Contains(slot.Code) || pair.Sme.UnavailableSlots.Contains(slot.Code)) continue;
                if (!mine.All(o => Compatible(spec, o.Slot, o.Pair.Buyer.Hall, slot, pair.Buyer.Hall))) continue;
                var table = Enumerable.Range(1, pair.Buyer.Tables).FirstOrDefault(t => !tableBusy.Contains((pair.Buyer.BuyerId, t, slot.Code)));
                if (table > 0) options.Add((slot, table));
            }
            if (options.Count == 0) continue;
            var (chosen, chosenTable) = rng.Pick(options);
            var booking = new Booking { Pair = pair, Slot = chosen, Table = chosenTable, FromRequest = fromRequest };
            tableBusy.Add((pair.Buyer.BuyerId, chosenTable, chosen.Code));
            mine.Add(booking);
            bookings.Add(booking);
        }
        return bookings;
    }

    /// <summary>Two meetings of one SME fit if they are on different days, or the gap between them covers the walk.</summary>
    public static bool Compatible(SampleEventSpec spec, SampleSlot a, string hallA, SampleSlot b, string hallB)
    {
        if (a.Day != b.Day) return true;
        if (a.Code == b.Code) return false;
        var (first, firstHall, second, secondHall) = a.Start < b.Start ? (a, hallA, b, hallB) : (b, hallB, a, hallA);
        return (second.Start - first.End).TotalMinutes >= spec.Travel(firstHall, secondHall);
    }

    static string FollowUp(Random rng, int rating)
    {
        double[] odds = rating switch
        {
            // none, sample, site_visit, nda, contract
            5 => [0.1, 0.2, 0.25, 0.2, 0.25],
            4 => [0.4, 0.3, 0.17, 0.08, 0.05],
            3 => [0.88, 0.1, 0.02, 0, 0],
            _ => [1, 0, 0, 0, 0],
        };
        return new[] { "none", "sample", "site_visit", "nda", "contract" }[rng.PickWeighted(odds)];
    }

    /// <summary>A first contract is a fraction of the demand's budget band, rounded to a million won.</summary>
    static long ContractAmount(Random rng, string band)
    {
        var (lo, hi) = band switch
        {
            "1천만~5천만" => (10_000_000L, 50_000_000L),
            "5천만~1억" => (50_000_000L, 100_000_000L),
            "1억~5억" => (100_000_000L, 500_000_000L),
            "5억~10억" => (500_000_000L, 1_000_000_000L),
            "10억 이상" => (1_000_000_000L, 3_000_000_000L),
            _ => (10_000_000L, 100_000_000L),
        };
        var share = 0.2 + 0.8 * rng.NextDouble();
        var amount = (lo + (hi - lo) * rng.NextDouble()) * share;
        return Math.Max(5_000_000L, (long)Math.Round(amount / 1_000_000.0) * 1_000_000L);
    }

    static string Pitch(Random rng, SampleSme sme, SampleDemand demand)
    {
        var keyword = sme.Keywords.Count > 0 ? rng.Pick(sme.Keywords) : sme.Sector;
        return rng.Next(3) switch
        {
            0 => $"{keyword} 분야 납품 경험을 바탕으로 '{demand.Title}'에 대해 제안드리고자 합니다.",
            1 => $"'{demand.Title}' 관련 {keyword} 기술과 시제품을 소개하고 싶습니다.",
            _ => $"{sme.Sector} 전문기업으로 '{demand.Title}' 수요에 맞는 {keyword} 솔루션을 제안합니다.",
        };
    }

    /// <summary>
    /// A time to the minute in [from, to], on a weekday between 09:00 and 18:00 when the range holds such a time
    /// (otherwise just within the range).
    /// </summary>
    static DateTime WorkingTime(Random rng, DateTime from, DateTime to)
    {
        if (to <= from) to = from.AddHours(1);
        var candidates = new List<(DateTime Start, DateTime End)>();
        for (var day = from.Date; day <= to.Date; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            var start = Max(day.AddHours(9), from);
            var end = Min(day.AddHours(18), to);
            if (end > start) candidates.Add((start, end));
        }
        var (lo, hi) = candidates.Count == 0 ? (from, to) : rng.Pick(candidates);
        var t = lo.AddMinutes(Math.Floor(rng.NextDouble() * (hi - lo).TotalMinutes));
        t = new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0);
        return t < from ? from : t;
    }

    static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
