using Dapper;
using Matchmaker.Core.Storage;
using System.Data.Common;

namespace Matchmaker.Core.Matching;

/// <summary>The best score of one SME × buyer pair of an event, for the timetable optimiser.</summary>
public readonly record struct PairScore(long SmeDbId, long BuyerDbId, long? DemandDbId, double Score);

/// <summary>A stored match as clients see it: the counterpart, the score and its explanation.</summary>
public sealed record StoredMatch(long SmeId, long BuyerId, long? DemandId, string? DemandKey, string? DemandTitle, double Score, MatchExplanation Explanation);

/// <summary>Which profile and model produced an event's current scores.</summary>
public sealed record ScoreRun(long EventDbId, WeightProfile Profile, long? ModelId, string? JobId, int Pairs, DateTimeOffset ScoredAt,
    long? PairModelId = null);

/// <summary>How an event's scores spread: count, quantiles, a histogram over [0, 1], and the cold-start share.</summary>
public sealed record ScoreDistribution(ScoreRun Run, int Pairs, double Mean, double Min, double P10, double P25, double Median, double P75, double P90,
    double Max, IReadOnlyList<int> Histogram, double ColdStartShare);

/// <summary>
/// Each event's current score set (tables score_runs, match_scores). A rescoring replaces an event's set whole inside
/// one transaction: with WAL every reader sees either the complete old set or the complete new one.
/// </summary>
public sealed class ScoreStore(Database database)
{
    /// <summary>Deletes the event's scores and writes <paramref name="pairs"/> in the caller's transaction.</summary>
    public static async Task ReplaceAsync(DbConnection connection, DbTransaction transaction, long eventDbId, long profileId,
        long? modelId, string? jobId, IReadOnlyList<ScoredPair> pairs, DateTimeOffset now, long? pairModelId = null)
    {
        await connection.ExecuteAsync("DELETE FROM match_scores WHERE event_id = @eventDbId", new { eventDbId }, transaction);
        await connection.ExecuteAsync("""
            INSERT INTO score_runs (event_id, profile_id, model_id, job_id, pairs, scored_at, pair_model_id)
            VALUES (@eventDbId, @profileId, @modelId, @jobId, @count, @now, @pairModelId)
            ON CONFLICT (event_id) DO UPDATE SET profile_id = excluded.profile_id, model_id = excluded.model_id, job_id = excluded.job_id,
                pairs = excluded.pairs, scored_at = excluded.scored_at, pair_model_id = excluded.pair_model_id
            """, new { eventDbId, profileId, modelId, jobId, count = pairs.Count, now, pairModelId }, transaction);
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, eventDbId, pairs);
            return;
        }
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO match_scores (event_id, sme_id, buyer_id, demand_id, score, v_text, v_industry, v_certification, v_region, v_size,
                v_export, v_relationship, v_collaborative, matched_terms, sme_code, demand_code, code_level, missing_certs, scored_by, learned_parts)
            VALUES (@event, @sme, @buyer, @demand, @score, @v0, @v1, @v2, @v3, @v4, @v5, @v6, @v7, @terms, @smeCode, @demandCode, @level, @missing,
                @scoredBy, @parts)
            """;
        var p = new Dictionary<string, DbParameter>();
        foreach (var name in new[] { "event", "sme", "buyer", "demand", "score", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7",
                     "terms", "smeCode", "demandCode", "level", "missing", "scoredBy", "parts" })
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = name;
            // Typed once, so that a NULL in the first row does not leave PostgreSQL guessing the column's type.
            parameter.DbType = name is "event" or "sme" or "buyer" or "demand" or "level" ? System.Data.DbType.Int64
                : name is "score" || name.StartsWith('v') ? System.Data.DbType.Double : System.Data.DbType.String;
            p[name] = parameter;
            insert.Parameters.Add(parameter);
        }
        await insert.PrepareAsync();
        p["event"].Value = eventDbId;
        foreach (var pair in pairs)
        {
            p["sme"].Value = pair.SmeId;
            p["buyer"].Value = pair.BuyerId;
            p["demand"].Value = (object?)pair.DemandId ?? DBNull.Value;
            p["score"].Value = pair.Score;
            for (var c = 0; c < MatchComponents.Count; c++)
                p[$"v{c}"].Value = double.IsNaN(pair.Values[c]) ? DBNull.Value : pair.Values[c];
            p["terms"].Value = Lists.Join(pair.MatchedTerms);
            p["smeCode"].Value = (object?)pair.MatchedCodes?.SmeCode ?? DBNull.Value;
            p["demandCode"].Value = (object?)pair.MatchedCodes?.DemandCode ?? DBNull.Value;
            p["level"].Value = (long)(pair.MatchedCodes?.Level ?? 0);
            p["missing"].Value = Lists.Join(pair.MissingCertifications);
            p["scoredBy"].Value = pair.ScoredBy;
            p["parts"].Value = (object?)Parts(pair) ?? DBNull.Value;
            // Synchronous: Microsoft.Data.Sqlite has no real async I/O, and 17k awaits cost more than the rows; Npgsql's
            // synchronous path is as fast over loopback.
            insert.ExecuteNonQuery();
        }
    }

    static string? Parts(ScoredPair pair) =>
        pair.LearnedParts is null ? null : string.Join(';', pair.LearnedParts.Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// PostgreSQL: the whole score set in one binary COPY (inside the caller's transaction), instead of a round trip per
    /// row: an event's tens of thousands of pairs arrive in one stream. The table was emptied for the event just before,
    /// so there is nothing to upsert.
    /// </summary>
    static async Task CopyAsync(Npgsql.NpgsqlConnection connection, long eventDbId, IReadOnlyList<ScoredPair> pairs)
    {
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY match_scores (event_id, sme_id, buyer_id, demand_id, score, v_text, v_industry, v_certification, v_region, v_size,
                v_export, v_relationship, v_collaborative, matched_terms, sme_code, demand_code, code_level, missing_certs, scored_by, learned_parts)
            FROM STDIN (FORMAT BINARY)
            """);
        // Synchronous writes into Npgsql's buffer, as the SQLite path does, for the same reason (an await per field costs more).
        foreach (var pair in pairs)
        {
            copy.StartRow();
            copy.Write(eventDbId, NpgsqlTypes.NpgsqlDbType.Bigint);
            copy.Write(pair.SmeId, NpgsqlTypes.NpgsqlDbType.Bigint);
            copy.Write(pair.BuyerId, NpgsqlTypes.NpgsqlDbType.Bigint);
            if (pair.DemandId is { } demand) copy.Write(demand, NpgsqlTypes.NpgsqlDbType.Bigint);
            else copy.WriteNull();
            copy.Write(pair.Score, NpgsqlTypes.NpgsqlDbType.Double);
            for (var c = 0; c < MatchComponents.Count; c++)
                if (double.IsNaN(pair.Values[c])) copy.WriteNull();
                else copy.Write(pair.Values[c], NpgsqlTypes.NpgsqlDbType.Double);
            copy.Write(Lists.Join(pair.MatchedTerms), NpgsqlTypes.NpgsqlDbType.Text);
            WriteText(copy, pair.MatchedCodes?.SmeCode);
            WriteText(copy, pair.MatchedCodes?.DemandCode);
            copy.Write((long)(pair.MatchedCodes?.Level ?? 0), NpgsqlTypes.NpgsqlDbType.Bigint);
            copy.Write(Lists.Join(pair.MissingCertifications), NpgsqlTypes.NpgsqlDbType.Text);
            copy.Write(pair.ScoredBy, NpgsqlTypes.NpgsqlDbType.Text);
            WriteText(copy, Parts(pair));
        }
        await copy.CompleteAsync();
    }

    static void WriteText(Npgsql.NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, NpgsqlTypes.NpgsqlDbType.Text);
    }

    /// <summary>
    /// The best score per SME × buyer pair of the event (the buyer's best demand), for the scheduler. Pairs removed by
    /// a hard filter are absent. Ordered by SME id, then buyer id. Empty when the event was never scored.
    /// </summary>
    public async Task<IReadOnlyList<PairScore>> PairScoresAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await PairScoresAsync(connection, null, eventDbId);
    }

    /// <summary>The same, inside the caller's transaction (the timetable build reads scores with everything else it reads).</summary>
    public static async Task<IReadOnlyList<PairScore>> PairScoresAsync(DbConnection connection, DbTransaction? transaction, long eventDbId) =>
        (await connection.QueryAsync<PairScore>("""
            SELECT sme_id AS SmeDbId, buyer_id AS BuyerDbId, demand_id AS DemandDbId, score AS Score
            FROM match_scores WHERE event_id = @eventDbId ORDER BY sme_id, buyer_id
            """, new { eventDbId }, transaction)).ToList();

    public async Task<ScoreRun?> RunAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await RunAsync(connection, eventDbId);
    }

    static async Task<ScoreRun?> RunAsync(DbConnection connection, long eventDbId, DbTransaction? transaction = null)
    {
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>("""
            SELECT profile_id AS ProfileId, model_id AS ModelId, job_id AS JobId, pairs AS Pairs, scored_at AS ScoredAt, pair_model_id AS PairModelId
            FROM score_runs WHERE event_id = @eventDbId
            """, new { eventDbId }, transaction);
        if (row is null) return null;
        var profile = await WeightProfileStore.FindAsync(connection, row.ProfileId, transaction);
        return new ScoreRun(eventDbId, profile!, row.ModelId, row.JobId, (int)row.Pairs, row.ScoredAt, row.PairModelId);
    }

    /// <summary>An SME's matches (buyers), best first, ties by buyer id; null run when the event has no scores yet.</summary>
    public Task<(ScoreRun? Run, int Total, IReadOnlyList<StoredMatch> Matches)> ForSmeAsync(long eventDbId, long smeDbId, int skip, int take,
        CancellationToken cancellationToken = default) =>
        MatchesAsync(eventDbId, "m.sme_id = @id", "m.score DESC, m.buyer_id", smeDbId, skip, take, cancellationToken);

    /// <summary>A buyer's matches (SMEs), best first, ties by SME id.</summary>
    public Task<(ScoreRun? Run, int Total, IReadOnlyList<StoredMatch> Matches)> ForBuyerAsync(long eventDbId, long buyerDbId, int skip, int take,
        CancellationToken cancellationToken = default) =>
        MatchesAsync(eventDbId, "m.buyer_id = @id", "m.score DESC, m.sme_id", buyerDbId, skip, take, cancellationToken);

    async Task<(ScoreRun? Run, int Total, IReadOnlyList<StoredMatch> Matches)> MatchesAsync(long eventDbId, string filter, string order, long id,
        int skip, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One read transaction: the run's profile, the count and the page come from the same score set.
        await using var transaction = await connection.BeginReadAsync();
        var run = await RunAsync(connection, eventDbId, transaction);
        if (run is null) return (null, 0, []);
        var total = await connection.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM match_scores m WHERE m.event_id = @eventDbId AND {filter}",
            new { eventDbId, id }, transaction);
        var rows = await connection.QueryAsync<MatchRow>($"""
            {SelectMatches}
            WHERE m.event_id = @eventDbId AND {filter}
            ORDER BY {order}
            LIMIT @take OFFSET @skip
            """, new { eventDbId, id, take, skip }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return (run, total, rows.Select(r => r.ToMatch(run.Profile.Weights)).ToList());
    }

    /// <summary>A buyer's matches with the given SMEs only (those of its inbox), in no particular order; empty when the event
    /// has no scores yet. Reads those few rows instead of the buyer's whole ranking.</summary>
    public async Task<IReadOnlyList<StoredMatch>> ForBuyerAndSmesAsync(long eventDbId, long buyerDbId, IReadOnlyCollection<long> smeDbIds,
        CancellationToken cancellationToken = default)
    {
        if (smeDbIds.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginReadAsync();
        var run = await RunAsync(connection, eventDbId, transaction);
        if (run is null) return [];
        var rows = await connection.QueryAsync<MatchRow>($"""
            {SelectMatches}
            WHERE m.event_id = @eventDbId AND m.buyer_id = @buyerDbId AND {connection.In("m.sme_id", "@smeDbIds")}
            """, new { eventDbId, buyerDbId, smeDbIds = smeDbIds.ToArray() }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return rows.Select(r => r.ToMatch(run.Profile.Weights)).ToList();
    }

    /// <summary>The columns of a stored match, as <see cref="MatchRow"/> reads them.</summary>
    const string SelectMatches = """
        SELECT m.sme_id AS SmeId, m.buyer_id AS BuyerId, m.demand_id AS DemandId, d.demand_id AS DemandKey, d.title AS DemandTitle,
               m.score AS Score, m.v_text AS VText, m.v_industry AS VIndustry, m.v_certification AS VCertification, m.v_region AS VRegion,
               m.v_size AS VSize, m.v_export AS VExport, m.v_relationship AS VRelationship, m.v_collaborative AS VCollaborative,
               m.matched_terms AS MatchedTerms, m.sme_code AS SmeCode, m.demand_code AS DemandCode, m.code_level AS CodeLevel,
               m.missing_certs AS MissingCerts, m.scored_by AS ScoredBy, m.learned_parts AS LearnedParts
        FROM match_scores m LEFT JOIN demands d ON d.id = m.demand_id
        """;

    public async Task<ScoreDistribution?> DistributionAsync(long eventDbId, int bins, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginReadAsync();
        var run = await RunAsync(connection, eventDbId, transaction);
        if (run is null) return null;
        var rows = (await connection.QueryAsync<(double Score, long Cold)>(
            "SELECT score, v_collaborative IS NULL FROM match_scores WHERE event_id = @eventDbId ORDER BY score", new { eventDbId }, transaction)).ToList();
        await transaction.CommitAsync(cancellationToken);
        var histogram = new int[bins];
        foreach (var (score, _) in rows) histogram[Math.Min(bins - 1, (int)(score * bins))]++;
        double Q(double q) => rows.Count == 0 ? 0 : rows[(int)Math.Round(q * (rows.Count - 1))].Score;
        return new ScoreDistribution(run, rows.Count, rows.Count == 0 ? 0 : rows.Average(r => r.Score), Q(0), Q(0.1), Q(0.25), Q(0.5), Q(0.75), Q(0.9), Q(1),
            histogram, rows.Count == 0 ? 0 : rows.Count(r => r.Cold != 0) / (double)rows.Count);
    }

    sealed record RunRow(long ProfileId, long? ModelId, string? JobId, long Pairs, DateTimeOffset ScoredAt, long? PairModelId);

    sealed record MatchRow(long SmeId, long BuyerId, long? DemandId, string? DemandKey, string? DemandTitle, double Score, double VText, double VIndustry,
        double VCertification, double VRegion, double VSize, double VExport, double VRelationship, double? VCollaborative, string MatchedTerms,
        string? SmeCode, string? DemandCode, long CodeLevel, string MissingCerts, string ScoredBy, string? LearnedParts)
    {
        public StoredMatch ToMatch(ScoringWeights weights)
        {
            double[] values = [VText, VIndustry, VCertification, VRegion, VSize, VExport, VRelationship, VCollaborative ?? double.NaN];
            var (ko, en) = MatchComponents.LevelLabel((int)CodeLevel);
            var codes = SmeCode is null || DemandCode is null ? null : new MatchedCodes(SmeCode, DemandCode, (int)CodeLevel, ko, en);
            var explanation = LearnedParts is null
                ? MatchExplanation.Build(weights, values, Lists.Split(MatchedTerms), codes, Lists.Split(MissingCerts))
                : MatchExplanation.BuildLearned(ScoredBy, Score, values,
                    LearnedParts.Split(';').Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                    Lists.Split(MatchedTerms), codes, Lists.Split(MissingCerts));
            return new StoredMatch(SmeId, BuyerId, DemandId, DemandKey, DemandTitle, Score, explanation);
        }
    }
}
