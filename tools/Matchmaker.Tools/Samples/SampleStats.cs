using System.Globalization;
using Matchmaker.Core.Reference;

namespace Matchmaker.Tools.Samples;

/// <summary>A printed summary of the past events against the hidden fit: the numbers quoted in data/samples/README.md.</summary>
public static class SampleStats
{
    public static IEnumerable<string> Describe(SampleSet set, KsicCatalog ksic, int seed)
    {
        var fit = new HiddenFit(ksic, seed);
        var hiddenSme = set.Smes.ToDictionary(s => s.Profile.BusinessNumber, s => s.Hidden);
        var hiddenBuyer = set.Buyers.ToDictionary(b => b.Spec.BuyerId, b => b.Hidden);
        foreach (var ev in set.Events.Where(e => e.Spec.IsPast))
        {
            var smes = ev.Smes.ToDictionary(s => s.BusinessNumber);
            var buyers = ev.Buyers.ToDictionary(b => b.BuyerId);
            var demands = ev.Demands.GroupBy(d => d.BuyerId).ToDictionary(g => g.Key, g => (IReadOnlyList<SampleDemand>)g.ToList());
            double Fit(string bn, string buyer) =>
                fit.Fit(smes[bn], hiddenSme[bn], buyers[buyer], hiddenBuyer[buyer], demands[buyer]).Fit;

            var all = ev.Smes.SelectMany(_ => ev.Buyers, (s, b) => Fit(s.BusinessNumber, b.BuyerId)).Order().ToArray();
            double Quantile(double q) => all[(int)(q * (all.Length - 1))];
            var held = ev.Meetings.Where(m => m.Status == "held").ToList();
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{ev.Spec.EventId}: fit over all pairs p10 {Quantile(0.1):F2} median {Quantile(0.5):F2} p90 {Quantile(0.9):F2} p99 {Quantile(0.99):F2}; " +
                $"mean fit viewed {ev.Views.Average(v => Fit(v.BusinessNumber, v.BuyerId)):F2}, requested {ev.Requests.Average(r => Fit(r.BusinessNumber, r.BuyerId)):F2}, " +
                $"accepted {ev.Requests.Where(r => r.State == "accepted").Average(r => Fit(r.BusinessNumber, r.BuyerId)):F2}, " +
                $"declined {ev.Requests.Where(r => r.State == "declined").Average(r => Fit(r.BusinessNumber, r.BuyerId)):F2}");
            var states = string.Join(" ", ev.Requests.GroupBy(r => r.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            var statuses = string.Join(" ", ev.Meetings.GroupBy(m => m.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            var ratings = string.Join(" ", held.GroupBy(m => m.Rating).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"));
            var follow = string.Join(" ", held.GroupBy(m => m.FollowUp).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
            var byRating = string.Join(" ", held.GroupBy(m => m.Rating).OrderBy(g => g.Key)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}:{g.Average(m => Fit(m.BusinessNumber, m.BuyerId)):F2}")));
            var organiser = ev.Meetings.Count(m => !ev.Requests.Any(r => r.State == "accepted" && r.BusinessNumber == m.BusinessNumber && r.BuyerId == m.BuyerId));
            var accepted = ev.Requests.Count(r => r.State == "accepted");
            yield return $"  requests: {states}; meetings: {statuses} (organiser-assigned {organiser}, accepted requests not placed {accepted - (ev.Meetings.Count - organiser)}); ratings {ratings}; mean fit by rating {byRating}; follow-ups {follow}";
        }
    }
}
