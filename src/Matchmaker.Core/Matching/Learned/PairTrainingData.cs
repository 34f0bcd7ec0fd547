using System.Security.Cryptography;
using System.Text;
using Dapper;
using Matchmaker.Core.Reference;
using System.Data.Common;

namespace Matchmaker.Core.Matching;

/// <summary>Reads the learned pair model's training rows from the store: one block per past event, its features
/// computed with only what was known before it (earlier events' interactions as the relationship component), its
/// labels from what happened there.</summary>
public static class PairTrainingData
{
    /// <summary>Rows of the given events (in time order); a fingerprint of what they were made of.</summary>
    public static async Task<(List<LabelledPair> Rows, string Fingerprint)> FromEventsAsync(DbConnection connection, IReadOnlyList<long> eventDbIds,
        ScoringWeights weights, PairModelOptions options)
    {
        var rows = new List<LabelledPair>();
        var group = 0;
        var hash = new StringBuilder();
        foreach (var eventDbId in eventDbIds)
        {
            var atEvent = (await ScoringData.InteractionsAsync(connection, [eventDbId])).Select(i => i.Interaction).ToList();
            var grades = PairExamples.Grades(atEvent);
            if (!grades.Values.Any(g => g > 0)) continue;
            var earlier = await ScoringData.EarlierEventsAsync(connection, eventDbId);
            var history = (await ScoringData.InteractionsAsync(connection, earlier)).Select(i => i.Interaction).ToList();
            var input = await ScoringData.LoadAsync(connection, eventDbId, history, model: null);
            var features = EventFeatures.Compute(input, weights, KsicCatalog.Default, threads: 2);
            var eventKey = await connection.ExecuteScalarAsync<string>("SELECT event_id FROM events WHERE id = @eventDbId", new { eventDbId });
            (var block, group) = PairExamples.TrainingRows(features, weights, grades, group, options.NegativesPerSme, options.Seed ^ (ulong)eventDbId);
            rows.AddRange(block);
            hash.Append(eventKey).Append(':').Append(atEvent.Count).Append(':').Append(history.Count).Append(';');
        }
        return (rows, Fingerprint(hash.ToString(), rows));
    }

    /// <summary>SHA-256 (first 16 hex digits) over the events and every row's grade, group and values.</summary>
    public static string Fingerprint(string events, IReadOnlyList<LabelledPair> rows)
    {
        var text = new StringBuilder(events);
        foreach (var r in rows)
            text.Append(r.Group).Append(',').Append(r.Grade).Append(',').Append(r.Example.Buyer).Append(',')
                .Append(string.Join(',', r.Example.Numbers.Select(x => BitConverter.SingleToInt32Bits(x)))).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }
}
