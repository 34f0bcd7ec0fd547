using Dapper;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Tests.Storage;

/// <summary>The migrations, on both stores: the same tests with the provider as data.</summary>
public class MigrationTests
{
    public static TheoryData<string> Providers => TestStore.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_empty_database_is_brought_to_the_latest_version(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);

        var applied = await store.Database.MigrateAsync();

        await using var connection = await store.Database.OpenAsync();
        applied.Should().Be(Migrations.Latest);
        (await Migrations.CurrentVersionAsync(connection)).Should().Be(Migrations.Latest);
        if (store.IsPostgres)
        {
            (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).Should()
                .Equal(Enumerable.Range(1, Migrations.Latest), "every script is recorded with its version");
            await using var write = await connection.BeginWriteAsync();
            (await connection.ExecuteScalarAsync<string>("SHOW transaction_isolation", transaction: write)).Should().Be("serializable");
        }
        else
        {
            (await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode;")).Should().Be("wal");
            (await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys;")).Should().Be(1);
        }
    }

    [Fact]
    public void The_PostgreSQL_scripts_mirror_the_SQLite_ones_number_for_number()
    {
        Migrations.Postgres.Select(s => s.Name).Should().Equal(Migrations.All.Select(s => s.Name),
            "a schema version means the same schema on both stores");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrating_twice_changes_nothing(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.Database.MigrateAsync();

        (await store.Database.MigrateAsync()).Should().Be(0);
    }

    [Fact]
    public async Task Processes_starting_together_on_PostgreSQL_migrate_one_after_the_other()
    {
        await using var store = await TestStore.CreateAsync(StoreOptions.Postgres);
        var twin = new Database(store.Database.Options);

        var applied = await Task.WhenAll(store.Database.MigrateAsync(), twin.MigrateAsync(), store.Database.MigrateAsync());

        applied.Sum().Should().Be(Migrations.Latest, "each script ran once, whichever process ran it");
    }

    public static TheoryData<string, int> EarlierVersions()
    {
        var data = new TheoryData<string, int>();
        foreach (var provider in new[] { StoreOptions.Sqlite, StoreOptions.Postgres })
            for (var v = 1; v < Migrations.Latest; v++) data.Add(provider, v);
        return data;
    }

    [Theory]
    [MemberData(nameof(EarlierVersions))]
    public async Task Data_written_at_an_earlier_version_survives_the_later_migrations(string provider, int version)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await using (var connection = await store.Database.OpenAsync())
        {
            await Migrations.ApplyAsync(connection, targetVersion: version);
            (await Migrations.CurrentVersionAsync(connection)).Should().Be(version);
            await connection.ExecuteAsync("""
                INSERT INTO events (id, event_id, name, time_zone, slot_minutes, days_json, created_at, updated_at)
                VALUES (1, 'past-2025', '2025 상담회', 'Asia/Seoul', 30, '[]', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');
                """);
            // Before the per-event profiles the SME's name sat on the global row; from then on, on the event's profile.
            await connection.ExecuteAsync(version < EventProfilesVersion ? """
                INSERT INTO smes (id, business_number, name, created_at, updated_at)
                VALUES (1, '2208162517', '㈜부산정밀', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');
                INSERT INTO event_smes (event_id, sme_id, meeting_cap) VALUES (1, 1, 6);
                """ : """
                INSERT INTO smes (id, business_number, created_at, updated_at)
                VALUES (1, '2208162517', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');
                INSERT INTO event_smes (event_id, sme_id, meeting_cap, name) VALUES (1, 1, 6, '㈜부산정밀');
                """);
        }

        await store.Database.MigrateAsync();

        await using var after = await store.Database.OpenAsync();
        (await Migrations.CurrentVersionAsync(after)).Should().Be(Migrations.Latest);
        (await after.ExecuteScalarAsync<string>("SELECT name FROM events WHERE event_id = 'past-2025'")).Should().Be("2025 상담회");
        (await after.ExecuteScalarAsync<string>("""
            SELECT es.name FROM event_smes es JOIN smes s ON s.id = es.sme_id WHERE s.business_number = '2208162517' AND es.event_id = 1
            """)).Should().Be("㈜부산정밀");
        (await after.ExecuteScalarAsync<DateTimeOffset>("SELECT created_at FROM smes WHERE business_number = '2208162517'"))
            .Should().Be(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    static int EventProfilesVersion => Migrations.All.Single(m => m.Name.EndsWith("_event_profiles.sql", StringComparison.Ordinal)).Version;

    /// <summary>On both stores: the PostgreSQL twin normalises mobile numbers with its own SQL (translate and a regular
    /// expression), which must give what the SQLite script gives.</summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_event_profiles_migration_carries_every_profile_value_over_into_every_event_the_company_takes_part_in(string provider)
    {
        await using var db = await TestStore.CreateAsync(provider);
        await using (var connection = await db.Database.OpenAsync())
        {
            await Migrations.ApplyAsync(connection, targetVersion: EventProfilesVersion - 1);
            await connection.ExecuteAsync("""
                INSERT INTO events (id, event_id, name, time_zone, slot_minutes, days_json, created_at, updated_at)
                VALUES (1, 'past-2025', 'p', 'Asia/Seoul', 30, '[]', @at, @at), (2, 'busan-2026', 'b', 'Asia/Seoul', 30, '[]', @at, @at);
                INSERT INTO smes (id, business_number, name, region, sector, employees, revenue_band, ksic_codes, certifications, export_record,
                                  description, keywords, trl, contact_name, contact_email, contact_phone, language, opted_out, created_at, updated_at)
                VALUES (1, '2208162517', '㈜부산정밀', '부산', '금형', 45, '50억~100억', '29293', 'ISO 9001', 1, '사출금형', '금형;사출', 7,
                        '김민수', 'minsu@busan.kr', '010-1234-5678', 'en', TRUE, @at, @at),
                       (2, '1234567891', '㈜대한센서', NULL, NULL, NULL, NULL, '', '', NULL, '', '', NULL, NULL, NULL, '051-123-4567', 'ko', FALSE, @at, @at),
                       (3, '3338100003', '㈜한빛전자', NULL, NULL, NULL, NULL, '', '', NULL, '', '', NULL, NULL, NULL, '+82 10-2222-3333', 'ko', FALSE, @at, @at);
                INSERT INTO event_smes (event_id, sme_id, meeting_cap, unavailable_slots) VALUES (1, 1, 6, 'D1-01'), (2, 1, 8, ''), (2, 2, 5, ''), (2, 3, 4, '');
                INSERT INTO buyers (id, buyer_id, name, business_number, kind, sector, ksic_codes, region, contact_name, contact_email,
                                    contact_phone, language, opted_out, created_at, updated_at)
                VALUES (1, 'POSCO', '포스코', '5068100000', 'large_firm', '철강', '24111', '경북', '이영성', 'p@posco.kr', '+82 10 9999 8888', 'ko', FALSE, @at, @at),
                       (2, 'KHNP', '한국수력원자력', '1208200000', 'public', '원자력', '35111', '경북', '박정호', 'k@khnp.kr', '010 4444 5555', 'ko', FALSE, @at, @at);
                INSERT INTO event_buyers (event_id, buyer_id, meeting_cap, tables, hall, unavailable_slots) VALUES (1, 1, 20, 2, 'B', ''), (2, 1, 21, 3, 'A', 'D2-09'), (2, 2, 5, 1, 'A', '');
                """, new { at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        }

        await db.Database.MigrateAsync();

        await using var after = await db.Database.OpenAsync();
        var smes = (await after.QueryAsync("""
            SELECT event_id, sme_id, meeting_cap, unavailable_slots, name, region, sector, employees, revenue_band, ksic_codes, certifications,
                   export_record, description, keywords, trl, contact_name, contact_email, contact_mobile, language, opted_out
            FROM event_smes ORDER BY event_id, sme_id
            """)).Select(Line).ToList();
        smes.Should().Equal(
            "1|1|6|D1-01|㈜부산정밀|부산|금형|45|50억~100억|29293|ISO 9001|1|사출금형|금형;사출|7|김민수|minsu@busan.kr|+821012345678|en|1",
            "2|1|8||㈜부산정밀|부산|금형|45|50억~100억|29293|ISO 9001|1|사출금형|금형;사출|7|김민수|minsu@busan.kr|+821012345678|en|1",
            "2|2|5||㈜대한센서|||||||||||||051-123-4567|ko|0",
            "2|3|4||㈜한빛전자|||||||||||||+821022223333|ko|0");
        var buyers = (await after.QueryAsync("""
            SELECT event_id, buyer_id, meeting_cap, tables, hall, unavailable_slots, name, business_number, kind, sector, ksic_codes, region,
                   contact_name, contact_email, contact_mobile, language, opted_out
            FROM event_buyers ORDER BY event_id, buyer_id
            """)).Select(Line).ToList();
        buyers.Should().Equal(
            "1|1|20|2|B||포스코|5068100000|large_firm|철강|24111|경북|이영성|p@posco.kr|+821099998888|ko|0",
            "2|1|21|3|A|D2-09|포스코|5068100000|large_firm|철강|24111|경북|이영성|p@posco.kr|+821099998888|ko|0",
            "2|2|5|1|A||한국수력원자력|1208200000|public|원자력|35111|경북|박정호|k@khnp.kr|+821044445555|ko|0");
        var columns = db.IsPostgres
            ? "SELECT column_name FROM information_schema.columns WHERE table_name = @table ORDER BY ordinal_position"
            : "SELECT name FROM pragma_table_info(@table) ORDER BY cid";
        (await after.QueryAsync<string>(columns, new { table = "smes" })).Should()
            .Equal(["id", "business_number", "created_at", "updated_at"], "the global row keeps only the identity");
        (await after.QueryAsync<string>(columns, new { table = "buyers" })).Should()
            .Equal(["id", "buyer_id", "created_at", "updated_at"]);
    }

    /// <summary>A row as one line, alike on both stores (PostgreSQL's booleans as SQLite's 1 and 0).</summary>
    static string Line(dynamic row) => string.Join("|", ((IDictionary<string, object?>)row).Values.Select(v => v switch
    {
        bool b => b ? "1" : "0",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
    }));

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Organiser_tokens_of_a_store_from_before_accounts_become_administrator_tokens_and_analyst_tokens_keep_their_event(string provider)
    {
        await using var db = await TestStore.CreateAsync(provider);
        await using (var connection = await db.Database.OpenAsync())
        {
            // The version just before accounts (found by name, so a renumbered script keeps this test right).
            await Migrations.ApplyAsync(connection, targetVersion: Migrations.All.Single(m => m.Name.EndsWith("_accounts_and_grants.sql", StringComparison.Ordinal)).Version - 1);
            await connection.ExecuteAsync("""
                INSERT INTO events (event_id, name, time_zone, slot_minutes, days_json, created_at, updated_at)
                VALUES ('past-2025', '2025 상담회', 'Asia/Seoul', 30, '[]', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00');
                INSERT INTO access_tokens (token_hash, role, event_id, label, created_at)
                VALUES ('hash-organiser', 'organiser', NULL, 'first organiser token', '2025-01-01T00:00:00+00:00'),
                       ('hash-analyst', 'analyst', (SELECT id FROM events WHERE event_id = 'past-2025'), '', '2025-01-01T00:00:00+00:00');
                """);
        }

        await db.Database.MigrateAsync();

        await using var after = await db.Database.OpenAsync();
        (await after.ExecuteScalarAsync<string>("SELECT role FROM access_tokens WHERE token_hash = 'hash-organiser'")).Should().Be("administrator");
        (await after.ExecuteScalarAsync<string>("""
            SELECT t.role || ':' || e.event_id FROM access_tokens t JOIN events e ON e.id = t.event_id WHERE t.token_hash = 'hash-analyst'
            """)).Should().Be("analyst:past-2025");
        (await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts")).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_outbox_rebuilt_for_the_reminder_and_outcome_kinds_keeps_its_rows_and_its_unique_key(string provider)
    {
        await using var db = await TestStore.CreateAsync(provider);
        await using (var connection = await db.Database.OpenAsync())
        {
            // The version just before the rebuild (found by name, so a renumbered script keeps this test right).
            await Migrations.ApplyAsync(connection, targetVersion: Migrations.All.Single(m => m.Name.EndsWith("_notification_reminders.sql", StringComparison.Ordinal)).Version - 1);
            await connection.ExecuteAsync("""
                INSERT INTO events (id, event_id, name, time_zone, slot_minutes, days_json, created_at, updated_at)
                VALUES (1, 'busan-2026', '부산', 'Asia/Seoul', 30, '[]', '2026-09-01T10:00:00+00:00', '2026-09-01T10:00:00+00:00');
                INSERT INTO notifications (id, event_id, recipient_kind, recipient_id, kind, change_key, meeting_ids, state, attempts, last_error, created_at, sent_at)
                VALUES (41, 1, 'sme', 7, 'timetable_published', 'v1', '3;5', 'failed', 4, '550 no such mailbox', '2026-09-01T10:00:00.0000000+00:00', NULL);
                """);
        }

        await db.Database.MigrateAsync();

        await using var after = await db.Database.OpenAsync();
        var row = await after.QuerySingleAsync<(long Id, string Kind, string MeetingIds, string State, long Attempts, string LastError)>(
            "SELECT id, kind, meeting_ids, state, attempts, last_error FROM notifications");
        row.Should().Be((41L, "timetable_published", "3;5", "failed", 4L, "550 no such mailbox"));
        await after.ExecuteAsync("""
            INSERT INTO notifications (event_id, recipient_kind, recipient_id, kind, change_key, created_at)
            VALUES (1, 'buyer', 2, 'meeting_reminder', '2026-09-08', '2026-09-01T10:00:00+00:00'), (1, 'buyer', 2, 'outcome_requested', 'm5', '2026-09-01T10:00:00+00:00')
            """);
        var again = () => after.ExecuteAsync("""
            INSERT INTO notifications (event_id, recipient_kind, recipient_id, kind, change_key, created_at)
            VALUES (1, 'buyer', 2, 'meeting_reminder', '2026-09-08', '2026-09-02T10:00:00+00:00')
            """);
        (await again.Should().ThrowAsync<System.Data.Common.DbException>()).Which.Message.Should().ContainAny("UNIQUE", "unique");
        var unknown = () => after.ExecuteAsync("""
            INSERT INTO notifications (event_id, recipient_kind, recipient_id, kind, change_key, created_at) VALUES (1, 'buyer', 2, 'gossip', 'g', '2026-09-01T10:00:00+00:00')
            """);
        (await unknown.Should().ThrowAsync<System.Data.Common.DbException>()).Which.Message.Should().ContainAny("CHECK", "check");
        (await after.ExecuteScalarAsync<long>(db.IsPostgres
            ? "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'notifications' AND indexname = 'ix_notifications_state'"
            : "SELECT COUNT(*) FROM pragma_index_list('notifications') WHERE name = 'ix_notifications_state'")).Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_database_newer_than_the_program_is_refused_untouched(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.Database.MigrateAsync();
        await using var connection = await store.Database.OpenAsync();
        await connection.ExecuteAsync(store.IsPostgres
            ? $"INSERT INTO schema_migrations (version, name) VALUES ({Migrations.Latest + 1}, 'from a newer program')"
            : $"PRAGMA user_version = {Migrations.Latest + 1};");

        var act = () => Migrations.ApplyAsync(connection);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*newer*");
        (await Migrations.CurrentVersionAsync(connection)).Should().Be(Migrations.Latest + 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_store_refuses_to_double_book_a_table_or_an_SME_in_a_slot(string provider)
    {
        await using var store = await TestStore.CreateAsync(provider);
        await store.Database.MigrateAsync();
        await using var connection = await store.Database.OpenAsync();
        const string at = "2026-09-08T01:00:00+00:00";
        await connection.ExecuteAsync($"""
            INSERT INTO events (id, event_id, name, time_zone, slot_minutes, days_json, created_at, updated_at)
            VALUES (1, 'e', 'e', 'Asia/Seoul', 30, '[]', '{at}', '{at}');
            INSERT INTO slots (id, event_id, code, day, local_start, local_end, starts_at, ends_at) VALUES (1, 1, 'D1-01', 1, 'a', 'b', '{at}', '{at}');
            INSERT INTO buyers (id, buyer_id, created_at, updated_at) VALUES (1, 'B1', '{at}', '{at}');
            INSERT INTO smes (id, business_number, created_at, updated_at) VALUES (1, '1', '{at}', '{at}'), (2, '2', '{at}', '{at}');
            INSERT INTO buyers (id, buyer_id, created_at, updated_at) VALUES (2, 'B2', '{at}', '{at}');
            INSERT INTO meetings (event_id, sme_id, buyer_id, slot_id, table_no, status, updated_at) VALUES (1, 1, 1, 1, 1, 'scheduled', '{at}');
            """);

        var sameTable = () => connection.ExecuteAsync($"INSERT INTO meetings (event_id, sme_id, buyer_id, slot_id, table_no, status, updated_at) VALUES (1, 2, 1, 1, 1, 'scheduled', '{at}')");
        var sameSme = () => connection.ExecuteAsync($"INSERT INTO meetings (event_id, sme_id, buyer_id, slot_id, table_no, status, updated_at) VALUES (1, 1, 2, 1, 1, 'scheduled', '{at}')");

        (await sameTable.Should().ThrowAsync<System.Data.Common.DbException>()).Which.Should().Match<Exception>(e => TransientFaults.IsConstraintViolation(e));
        (await sameSme.Should().ThrowAsync<System.Data.Common.DbException>()).Which.Should().Match<Exception>(e => TransientFaults.IsConstraintViolation(e));
        await connection.ExecuteAsync("UPDATE meetings SET status = 'cancelled'");
        await sameTable.Should().NotThrowAsync("a cancelled meeting frees its table");
    }
}
