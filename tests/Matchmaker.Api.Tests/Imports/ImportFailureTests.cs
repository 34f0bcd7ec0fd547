using System.Text;
using Dapper;
using static Matchmaker.Api.Tests.ExpoFixtures;

namespace Matchmaker.Api.Tests.Imports;

/// <summary>A job whose run throws ends failed, with a message, instead of staying "running" for ever.</summary>
public class ImportFailureTests
{
    [Fact]
    public async Task An_import_the_store_refuses_ends_failed_with_a_message_and_is_not_run_again()
    {
        using var host = new MatchmakerHost();
        using var client = host.CreateClient();
        await CreateEventAsync(client);
        await using (var store = await host.OpenStoreAsync())
            // The store itself refuses every new SME: the import's run throws (not a problem of the file, which is valid).
            await store.ExecuteAsync(host.Store.IsPostgres
                ? """
                  CREATE FUNCTION refuse_sme() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                  CREATE TRIGGER refuse_smes BEFORE INSERT ON smes FOR EACH ROW EXECUTE FUNCTION refuse_sme();
                  """
                : "CREATE TRIGGER refuse_smes BEFORE INSERT ON smes BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");

        var job = await ImportAsync(client, "busan-test", "smes", Encoding.UTF8.GetBytes(SmesCsv(3)));

        job.GetProperty("state").GetString().Should().Be("failed", job.ToString());
        job.GetProperty("messageCode").GetString().Should().Be("job.failed_unexpectedly");
        job.GetProperty("attempts").GetInt32().Should().Be(1, "a refusal is not a passing fault, so the job is not run again");
        await using var after = await host.OpenStoreAsync();
        (await after.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_smes")).Should().Be(0);
    }
}
