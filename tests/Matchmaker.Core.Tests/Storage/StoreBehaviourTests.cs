using System.Data.Common;
using Dapper;
using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Matching;
using Matchmaker.Core.Storage;
using Matchmaker.Core.Tests.Matching;
using static Matchmaker.Core.Tests.Import.ImportFiles;
using static Matchmaker.Core.Tests.Import.Samples;

namespace Matchmaker.Core.Tests.Storage;

/// <summary>What the store guarantees, on both stores: all-or-nothing writes, retried conflicts, instants.</summary>
public class StoreBehaviourTests
{
    public static TheoryData<string> Providers => TestStore.Providers;

    static readonly TimeProvider Clock = TimeProvider.System;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_import_the_store_refuses_midway_leaves_nothing_behind(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var database = store.Database;
        await database.MigrateAsync();
        var eventDbId = await new EventStore(database, Clock, TransientFaults.CreateRegistry(Clock)).CreateAsync(
            EventFile.Read(await File.ReadAllTextAsync(Path.Combine(SampleStore.SamplesFolder, "busan-2026", "event.json"))));
        var last = ExpectedSmes[^1].BusinessNumber;
        await using (var connection = await database.OpenAsync())
            // The last row of the file is refused by the store itself, after the rows before it were written.
            await connection.ExecuteAsync(store.IsPostgres
                ? $"""
                  CREATE FUNCTION refuse_sme() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                  CREATE TRIGGER refuse_last BEFORE INSERT ON smes FOR EACH ROW WHEN (NEW.business_number = '{last}') EXECUTE FUNCTION refuse_sme();
                  """
                : $"""
                  CREATE TRIGGER refuse_last BEFORE INSERT ON smes WHEN NEW.business_number = '{last}'
                  BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                  """);
        var jobs = new JobStore(database, Clock);
        var importer = new ParticipantImporter(database, jobs, new ParticipantWriter(Clock), TransientFaults.CreateRegistry(Clock));
        var jobId = await importer.CreateJobAsync(eventDbId, ParticipantKind.Smes, "smes.csv", Utf8(CsvText(SmeTable(SmeHeaderEn))));

        var run = () => importer.RunJobAsync(jobId, CancellationToken.None);

        (await run.Should().ThrowAsync<DbException>()).Which.Message.Should().Contain("refused by the test");
        await using var after = await database.OpenAsync();
        (await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM smes")).Should().Be(0, "the rows before the refused one rolled back with it");
        (await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes")).Should().Be(0);
        (await jobs.FindAsync(jobId))!.State.Should().Be(JobState.Running, "the job's outcome was part of the rolled-back transaction");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Concurrent_read_then_write_transactions_through_the_pipeline_all_commit_without_a_lost_update(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.Database.MigrateAsync();
        var pipelines = TransientFaults.CreateRegistry(Clock);

        // Each writer reads the highest version and writes the next one (as saving a weight profile does): on PostgreSQL
        // SERIALIZABLE refuses all but one of a colliding group, and the pipeline runs the refused ones again.
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => pipelines.WriteAsync(store.Database, async (connection, transaction, _) =>
        {
            var next = await connection.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(version), 0) + 1 FROM weight_profiles WHERE name = 'race'",
                transaction: transaction);
            await Task.Delay(20);
            await connection.ExecuteAsync("""
                INSERT INTO weight_profiles (name, version, weights_json, created_at) VALUES ('race', @next, '{}', @now)
                """, new { next, now = Clock.GetUtcNow() }, transaction);
            return next;
        }))));

        versions.Order().Should().Equal(Enumerable.Range(1, 8).Select(v => (long)v), "every writer committed its own version");
    }

    [Fact]
    public async Task A_serialization_failure_on_PostgreSQL_is_transient_and_a_unique_violation_is_not()
    {
        await using var store = await TestStore.CreateAsync(StoreOptions.Postgres);
        await store.Database.MigrateAsync();
        await using var first = await store.Database.OpenAsync();
        await using var second = await store.Database.OpenAsync();
        await using var a = await first.BeginWriteAsync();
        await using var b = await second.BeginWriteAsync();
        const string insert = "INSERT INTO weight_profiles (name, version, weights_json, created_at) VALUES ('p', @v, '{}', now())";
        await first.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM weight_profiles WHERE name = 'p'", transaction: a);
        await second.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM weight_profiles WHERE name = 'p'", transaction: b);
        await first.ExecuteAsync(insert, new { v = 1 }, a);
        await second.ExecuteAsync(insert, new { v = 2 }, b);
        await a.CommitAsync();

        var commit = () => b.CommitAsync();

        (await commit.Should().ThrowAsync<DbException>()).Which.Should().Match<Exception>(e => TransientFaults.IsTransient(e));
        var duplicate = () => first.ExecuteAsync(insert, new { v = 1 });
        (await duplicate.Should().ThrowAsync<DbException>()).Which.Should().Match<Exception>(e =>
            TransientFaults.IsConstraintViolation(e) && !TransientFaults.IsTransient(e));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Instants_come_back_as_the_same_instant_and_SQLite_keeps_its_text(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.Database.MigrateAsync();
        await using var connection = await store.Database.OpenAsync();
        var seoul = new DateTimeOffset(2026, 5, 20, 10, 0, 0, TimeSpan.FromHours(9));
        var precise = new DateTimeOffset(2026, 12, 5, 9, 40, 5, TimeSpan.Zero).AddTicks(6619237);

        await connection.ExecuteAsync("""
            INSERT INTO events (event_id, name, time_zone, slot_minutes, days_json, created_at, updated_at)
            VALUES ('e', 'e', 'Asia/Seoul', 30, '[]', @seoul, @precise)
            """, new { seoul, precise });

        var read = await connection.QuerySingleAsync<(DateTimeOffset Created, DateTimeOffset Updated)>("SELECT created_at, updated_at FROM events");
        read.Created.Should().Be(seoul);
        read.Updated.Should().Be(store.IsPostgres ? precise.AddTicks(-(precise.Ticks % 10)) : precise, "PostgreSQL keeps microseconds, SQLite the ticks");
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE created_at < @precise", new { precise })).Should().Be(1);
        if (!store.IsPostgres)
            (await connection.ExecuteScalarAsync<string>("SELECT created_at FROM events")).Should().Be("2026-05-20 10:00:00+09:00",
                "existing SQLite stores hold this text, and it must compare with what is written now");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_score_set_reads_back_field_for_field_whether_written_row_by_row_or_copied_in_one_stream(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        var database = store.Database;
        await database.MigrateAsync();
        var eventDbId = await new EventStore(database, Clock).CreateAsync(
            EventFile.Read(await File.ReadAllTextAsync(Path.Combine(SampleStore.SamplesFolder, "busan-2026", "event.json"))));
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var setup = await database.OpenAsync())
            await setup.ExecuteAsync("""
                INSERT INTO smes (id, business_number, created_at, updated_at) VALUES (1, '2208162517', @at, @at), (2, '1234567891', @at, @at);
                INSERT INTO buyers (id, buyer_id, created_at, updated_at) VALUES (1, 'B-POSCO', @at, @at);
                INSERT INTO demands (id, event_id, buyer_id, demand_id, title, updated_at) VALUES (1, @eventDbId, 1, 'D-1', '금형', @at);
                """, new { at, eventDbId });
        double[] Values(double collaborative) => [0.5, 0.75, 1, 0, 0.25, 1, 0.125, collaborative];
        var pairs = new List<ScoredPair>
        {
            new(1, 1, 1, 0.8125, Values(0.3), ["금형", "사출"], new MatchedCodes("29293", "29294", 3, "소분류", "group"), ["ISO 9001"]),
            // No demand, no collaborative value (NaN is stored as NULL), no codes, a learned score with its parts.
            new(2, 1, null, 0.25, Values(double.NaN), [], null, [], "lightgbm", [0.125, 0.0625, 0.0625]),
        };

        await using (var connection = await database.OpenAsync())
        {
            var profile = await new WeightProfileStore(database, Clock).EnsureDefaultAsync(connection);
            await using var transaction = await connection.BeginWriteAsync();
            await ScoreStore.ReplaceAsync(connection, transaction, eventDbId, profile, null, null, pairs, at);
            await transaction.CommitAsync();
        }

        await using var read = await database.OpenAsync();
        var rows = (await read.QueryAsync("""
            SELECT sme_id, buyer_id, demand_id, score, v_text, v_industry, v_certification, v_region, v_size, v_export, v_relationship,
                   v_collaborative, matched_terms, sme_code, demand_code, code_level, missing_certs, scored_by, learned_parts
            FROM match_scores WHERE event_id = @eventDbId ORDER BY sme_id
            """, new { eventDbId })).Select(r => string.Join("|", ((IDictionary<string, object?>)r).Values
                .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        rows.Should().Equal(
            "1|1|1|0.8125|0.5|0.75|1|0|0.25|1|0.125|0.3|금형;사출|29293|29294|3|ISO 9001|weights|",
            "2|1||0.25|0.5|0.75|1|0|0.25|1|0.125|||||0||lightgbm|0.125;0.0625;0.0625");
        (await read.ExecuteScalarAsync<long>("SELECT pairs FROM score_runs WHERE event_id = @eventDbId", new { eventDbId })).Should().Be(2);
    }
}
