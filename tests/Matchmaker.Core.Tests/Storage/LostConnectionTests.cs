using Dapper;
using Matchmaker.Core.Storage;
using Npgsql;

namespace Matchmaker.Core.Tests.Storage;

/// <summary>
/// What a session that PostgreSQL ended looks like to the store (the next use of each pooled connection after a restart
/// answers 57P01): a lost connection, which the write pipelines do not retry as such (the commit may have happened), which
/// a job run counts as a passing fault (Npgsql's IsTransient), and after which Npgsql has dropped the pool's other dead
/// connections, so the next open is a fresh session.
/// </summary>
public class LostConnectionTests
{
    [Fact]
    public async Task A_session_the_server_ended_is_a_lost_connection_and_the_next_open_is_a_fresh_session()
    {
        await using var store = await TestStore.CreateAsync(StoreOptions.Postgres);
        var database = store.Database;
        await database.MigrateAsync();
        var pooled = new List<int>();
        var open = new List<System.Data.Common.DbConnection>();
        for (var i = 0; i < 4; i++)
        {
            var connection = await database.OpenAsync();
            pooled.Add(await connection.ExecuteScalarAsync<int>("SELECT pg_backend_pid()"));
            open.Add(connection);
        }
        foreach (var connection in open) await connection.DisposeAsync(); // back to the pool, idle

        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            foreach (var pid in pooled) await admin.ExecuteAsync("SELECT pg_terminate_backend(@pid, 5000)", new { pid });
        }

        await using (var dead = await database.OpenAsync())
        {
            var use = () => dead.ExecuteScalarAsync<int>("SELECT 1");
            var lost = (await use.Should().ThrowAsync<NpgsqlException>()).Which;
            TransientFaults.IsLostConnection(lost).Should().BeTrue(lost.ToString());
            TransientFaults.IsTransient(lost).Should().BeFalse("a lost connection is not retried as such: its commit may have happened");
            lost.IsTransient.Should().BeTrue("what a job run counts as a passing fault (JobRuns)");
            TransientFaults.IsLostConnection(new LostBeforeCommitException(lost)).Should().BeTrue();
            TransientFaults.IsTransient(new LostBeforeCommitException(lost)).Should().BeTrue("nothing was committed, so it may run again");
        }
        for (var i = 0; i < pooled.Count; i++)
        {
            await using var fresh = await database.OpenAsync();
            pooled.Should().NotContain(await fresh.ExecuteScalarAsync<int>("SELECT pg_backend_pid()"), "the dead pool was dropped");
        }

        // A refusal by a running server is no lost connection.
        await using var connection2 = await database.OpenAsync();
        var refused = (await ((Func<Task>)(() => connection2.ExecuteAsync("SELECT 1/0"))).Should().ThrowAsync<PostgresException>()).Which;
        TransientFaults.IsLostConnection(refused).Should().BeFalse();
    }
}
