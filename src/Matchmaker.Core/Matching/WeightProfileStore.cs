using Dapper;
using Matchmaker.Core.Storage;
using System.Data.Common;

namespace Matchmaker.Core.Matching;

/// <summary>One version of a named weight profile. Versions are never changed: saving under an existing name adds a version.</summary>
public sealed record WeightProfile(long Id, string Name, int Version, string Description, ScoringWeights Weights, DateTimeOffset CreatedAt);

/// <summary>Weight profiles and which version each event uses (tables weight_profiles, event_weight_profiles).</summary>
public sealed class WeightProfileStore(Database database, TimeProvider clock, Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null)
{
    // Two saves of one name (or two first starts) collide on PostgreSQL's serializable check and are run again.
    readonly Polly.Registry.ResiliencePipelineProvider<string> _pipelines = pipelines ?? TransientFaults.CreateRegistry(clock);

    /// <summary>Name of the built-in profile (<see cref="ScoringWeights.Default"/>), created on first use.</summary>
    public const string DefaultName = "default";

    public async Task<WeightProfile> CreateAsync(string name, string description, ScoringWeights weights, CancellationToken cancellationToken = default)
    {
        var id = await _pipelines.WriteAsync(database, (connection, transaction, _) => InsertAsync(connection, transaction, name, description, weights),
            cancellationToken);
        return (await FindAsync(id, cancellationToken))!;
    }

    async Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, string name, string description, ScoringWeights weights) =>
        await connection.ExecuteScalarAsync<long>("""
            INSERT INTO weight_profiles (name, version, description, weights_json, created_at)
            VALUES (@name, COALESCE((SELECT MAX(version) FROM weight_profiles WHERE name = @name), 0) + 1, @description, @json, @now)
            RETURNING id
            """, new { name, description, json = weights.ToJson(), now = clock.GetUtcNow() }, transaction);

    /// <summary>The default profile's id, creating version 1 from <see cref="ScoringWeights.Default"/> if it is missing.</summary>
    public async Task<long> EnsureDefaultAsync(DbConnection connection)
    {
        var id = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM weight_profiles WHERE name = @DefaultName ORDER BY version LIMIT 1", new { DefaultName });
        if (id is not null) return id.Value;
        // On the caller's connection: a failed attempt's transaction is rolled back when disposed, so the next can begin.
        return await _pipelines.GetPipeline(TransientFaults.StoreWrite).ExecuteAsync(async ct =>
        {
            await using var transaction = await connection.BeginWriteAsync(ct);
            var created = await connection.ExecuteScalarAsync<long?>(
                "SELECT id FROM weight_profiles WHERE name = @DefaultName ORDER BY version LIMIT 1", new { DefaultName }, transaction)
                ?? await InsertAsync(connection, transaction, DefaultName, "built-in defaults (ScoringWeights)", ScoringWeights.Default);
            await transaction.CommitAsync(ct);
            return created;
        });
    }

    public async Task<WeightProfile?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, id);
    }

    public static async Task<WeightProfile?> FindAsync(DbConnection connection, long id, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>("""
            SELECT id AS Id, name AS Name, version AS Version, description AS Description, weights_json AS WeightsJson, created_at AS CreatedAt
            FROM weight_profiles WHERE id = @id
            """, new { id }, transaction);
        return row?.ToProfile();
    }

    public async Task<IReadOnlyList<WeightProfile>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureDefaultAsync(connection);
        var rows = await connection.QueryAsync<Row>("""
            SELECT id AS Id, name AS Name, version AS Version, description AS Description, weights_json AS WeightsJson, created_at AS CreatedAt
            FROM weight_profiles ORDER BY name, version
            """);
        return rows.Select(r => r.ToProfile()).ToList();
    }

    /// <summary>The event's active profile (the default profile when none was chosen).</summary>
    public async Task<WeightProfile> ActiveAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(
            "SELECT profile_id FROM event_weight_profiles WHERE event_id = @eventDbId", new { eventDbId })
            ?? await EnsureDefaultAsync(connection);
        return (await FindAsync(connection, id))!;
    }

    public async Task ActivateAsync(long eventDbId, long profileId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("""
            INSERT INTO event_weight_profiles (event_id, profile_id, activated_at) VALUES (@eventDbId, @profileId, @now)
            ON CONFLICT (event_id) DO UPDATE SET profile_id = excluded.profile_id, activated_at = excluded.activated_at
            """, new { eventDbId, profileId, now = clock.GetUtcNow() });
    }

    sealed record Row(long Id, string Name, long Version, string Description, string WeightsJson, DateTimeOffset CreatedAt)
    {
        public WeightProfile ToProfile() => new(Id, Name, (int)Version, Description, ScoringWeights.FromJson(WeightsJson), CreatedAt);
    }
}
