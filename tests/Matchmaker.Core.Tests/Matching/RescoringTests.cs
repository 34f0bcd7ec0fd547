using System.Collections.Concurrent;
using Dapper;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;

namespace Matchmaker.Core.Tests.Matching;

public class RescoringTests(SampleStore store) : IClassFixture<SampleStore>
{
    [Fact]
    public async Task A_reader_polling_during_a_rescoring_only_ever_sees_the_complete_old_or_new_set()
    {
        await store.Profiles.ActivateAsync(store.Busan2026, (await store.Profiles.ActiveAsync(store.Busan2026)).Id);
        await store.Rescoring.RescoreAsync(store.Busan2026);
        var old = await CountAndSumAsync();
        old.Count.Should().Be(226 * 78);

        var strict = await store.Profiles.CreateAsync("atomicity-strict", "", ScoringWeights.Default with { CertificationRule = CertificationRule.HardFilter });
        await store.Profiles.ActivateAsync(store.Busan2026, strict.Id);
        try
        {
            var seen = new ConcurrentBag<(long Count, double Sum)>();
            using var stop = new CancellationTokenSource();
            var reader = Task.Run(async () =>
            {
                await using var connection = await store.Database.OpenAsync();
                while (!stop.IsCancellationRequested)
                    seen.Add(await connection.QuerySingleAsync<(long, double)>(
                        "SELECT COUNT(*), TOTAL(score) FROM match_scores WHERE event_id = @e", new { e = store.Busan2026 }));
            });
            // Wait on what the reader has seen, not on the clock: on a loaded machine a fixed delay proves nothing.
            await WaitUntilAsync(() => seen.Count >= 5);
            await store.Rescoring.RescoreAsync(store.Busan2026);
            var @new = await CountAndSumAsync();
            await WaitUntilAsync(() => seen.Any(s => s.Count == @new.Count));
            stop.Cancel();
            await reader;
            @new.Count.Should().BeLessThan(old.Count, "the hard filter removes pairs");
            seen.Should().OnlyContain(s => (s.Count == old.Count && Math.Abs(s.Sum - old.Sum) < 1e-6) || (s.Count == @new.Count && Math.Abs(s.Sum - @new.Sum) < 1e-6));
            seen.Should().Contain(s => s.Count == old.Count).And.Contain(s => s.Count == @new.Count);
        }
        finally
        {
            await store.Profiles.ActivateAsync(store.Busan2026, (await store.Profiles.ListAsync()).First(p => p.Name == WeightProfileStore.DefaultName).Id);
        }
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the reader saw too little");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task A_rescoring_job_interrupted_mid_run_runs_again_and_finishes()
    {
        var jobId = await store.Jobs.CreateAsync(RescoringService.JobKind, store.Busan2026, null);
        await store.Jobs.StartAsync(jobId); // the first attempt started, then the process died: state stays 'running'
        (await store.Jobs.FindAsync(jobId))!.State.Should().Be(JobState.Running);

        await store.Rescoring.RunJobAsync(jobId, CancellationToken.None); // what Quartz's recovery calls on restart

        var job = (await store.Jobs.FindAsync(jobId))!;
        job.State.Should().Be(JobState.Succeeded);
        job.Attempts.Should().Be(2);
        job.Report!.Value.GetProperty("pairs").GetInt32().Should().BeGreaterThan(0);
        (await store.Scores.RunAsync(store.Busan2026))!.JobId.Should().Be(jobId);
        await store.Rescoring.RunJobAsync(jobId, CancellationToken.None); // a finished job is not run twice
        (await store.Jobs.FindAsync(jobId))!.Attempts.Should().Be(2);
    }

    [Fact]
    public async Task Pair_scores_give_the_best_demand_per_sme_and_buyer_for_the_scheduler()
    {
        long synchronous;
        await using (var before = await store.Database.OpenAsync())
            synchronous = await before.ExecuteScalarAsync<long>("PRAGMA synchronous");
        await store.Rescoring.RescoreAsync(store.Busan2026);
        await using (var after = await store.Database.OpenAsync())
            (await after.ExecuteScalarAsync<long>("PRAGMA synchronous")).Should().Be(synchronous, "the pooled connection gets the store's durability back");
        var pairs = await store.Scores.PairScoresAsync(store.Busan2026);
        pairs.Should().HaveCount(226 * 78);
        pairs.Should().OnlyContain(p => p.Score >= 0 && p.Score <= 1);
        pairs.Select(p => (p.SmeDbId, p.BuyerDbId)).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
        var again = await store.Rescoring.RescoreAsync(store.Busan2026);
        again.Pairs.Should().Be(pairs.Count);
        (await store.Scores.PairScoresAsync(store.Busan2026)).Should().Equal(pairs, "the same store and profile give the same scores");
    }

    [Fact]
    public async Task Rescoring_the_sample_expo_ranks_hidden_fit_above_chance()
    {
        // The hidden fit is ground truth for analysis only: read here, in a test, never by the product.
        var fit = File.ReadLines(Path.Combine(SampleStore.SamplesFolder, "hidden-fit-busan-2026.csv")).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(c => (c[0], c[1]), c => double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture));
        await store.Rescoring.RescoreAsync(store.Busan2026);
        await using var connection = await store.Database.OpenAsync();
        var rows = (await connection.QueryAsync<(string Sme, string Buyer, double Score)>("""
            SELECT s.business_number, b.buyer_id, m.score FROM match_scores m JOIN smes s ON s.id = m.sme_id JOIN buyers b ON b.id = m.buyer_id
            WHERE m.event_id = @e
            """, new { e = store.Busan2026 })).ToList();
        var pairs = rows.Where(r => fit.ContainsKey((r.Sme, r.Buyer))).Select(r => (r.Score, Fit: fit[(r.Sme, r.Buyer)])).ToList();
        pairs.Count.Should().BeGreaterThan(17_000);
        Spearman(pairs.Select(p => p.Score).ToArray(), pairs.Select(p => p.Fit).ToArray()).Should().BeGreaterThan(0.5);
    }

    static double Spearman(double[] x, double[] y)
    {
        static double[] Ranks(double[] v)
        {
            var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
            var r = new double[v.Length];
            for (var i = 0; i < order.Length; i++) r[order[i]] = i;
            return r;
        }
        var (rx, ry) = (Ranks(x), Ranks(y));
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++) { sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my); }
        return sxy / Math.Sqrt(sxx * syy);
    }

    async Task<(long Count, double Sum)> CountAndSumAsync()
    {
        await using var connection = await store.Database.OpenAsync();
        return await connection.QuerySingleAsync<(long, double)>("SELECT COUNT(*), TOTAL(score) FROM match_scores WHERE event_id = @e", new { e = store.Busan2026 });
    }
}
