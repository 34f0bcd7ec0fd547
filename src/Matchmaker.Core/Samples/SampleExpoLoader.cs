using System.Globalization;
using System.Text;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Events;
using Matchmaker.Core.Import;
using Matchmaker.Core.Reference;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Samples;

/// <summary>Where the sample expo comes from and whether to load it (section <c>Matchmaker:Samples</c>).</summary>
public sealed record SampleOptions
{
    /// <summary>Load the samples when the store has no event yet (first start). Default true.</summary>
    public bool LoadOnEmptyStore { get; init; } = true;

    /// <summary>Folder of event folders (data/samples in the repository; copied next to the API's binaries).</summary>
    public string Folder { get; init; } = Path.Combine(AppContext.BaseDirectory, "samples");
}

/// <summary>What one sample event brought into the store.</summary>
public sealed record LoadedEvent(string EventId, int Buyers, int Demands, int Smes, int Requests, int Meetings, int Views);

/// <summary>
/// Loads event folders (event.json, buyers.csv, demands.csv, smes.csv and, for past events, requests.csv, meetings.csv and
/// views.csv; see docs/import-format.md) through the same importer organisers use. Each event is one transaction.
/// </summary>
public sealed class SampleExpoLoader(Database database, EventStore events, ParticipantImporter importer, TimeProvider clock,
    Polly.Registry.ResiliencePipelineProvider<string>? pipelines = null)
{
    // Two processes starting on one empty PostgreSQL database both try to load: the loser's transaction is run again and
    // then finds the event there (EventAlreadyExistsException), as a second start does.
    readonly Polly.Registry.ResiliencePipelineProvider<string> _pipelines = pipelines ?? TransientFaults.CreateRegistry(clock);

    public async Task<IReadOnlyList<LoadedEvent>> LoadIfEmptyAsync(SampleOptions options, CancellationToken cancellationToken = default)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events") > 0) return [];
        return await LoadAsync(options.Folder, cancellationToken);
    }

    public async Task<IReadOnlyList<LoadedEvent>> LoadAsync(string folder, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"sample folder '{folder}' does not exist");
        var loaded = new List<LoadedEvent>();
        foreach (var eventFolder in Directory.GetDirectories(folder).Where(f => File.Exists(Path.Combine(f, "event.json"))).Order(StringComparer.Ordinal))
            loaded.Add(await LoadEventAsync(eventFolder, cancellationToken));
        return loaded;
    }

    async Task<LoadedEvent> LoadEventAsync(string folder, CancellationToken cancellationToken)
    {
        var @event = EventFile.Read(await File.ReadAllTextAsync(Path.Combine(folder, "event.json"), cancellationToken));
        var problems = @event.Validate();
        if (problems.Count > 0)
            throw new InvalidDataException($"{folder}/event.json: {string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}"))}");
        return await _pipelines.WriteAsync(database, async (connection, transaction, _) =>
        {
            var eventDbId = await events.CreateAsync(connection, transaction, @event);
            var counts = new Dictionary<ParticipantKind, int>();
            foreach (var kind in new[] { ParticipantKind.Buyers, ParticipantKind.Demands, ParticipantKind.Smes })
            {
                var path = Path.Combine(folder, $"{kind.Name()}.csv");
                if (!File.Exists(path)) { counts[kind] = 0; continue; }
                await using var file = File.OpenRead(path);
                var report = await importer.ImportAsync(connection, transaction, eventDbId, kind, file, Path.GetFileName(path));
                if (!report.Succeeded)
                    throw new InvalidDataException($"{path}: {string.Join("; ", report.Errors.Take(10))}");
                counts[kind] = report.Rows;
            }
            var history = new PastEventHistory(connection, transaction, eventDbId, TimeZoneInfo.FindSystemTimeZoneById(@event.TimeZone), clock);
            var requests = await history.LoadRequestsAsync(Path.Combine(folder, "requests.csv"));
            var meetings = await history.LoadMeetingsAsync(Path.Combine(folder, "meetings.csv"));
            var views = await history.LoadViewsAsync(Path.Combine(folder, "views.csv"));
            return new LoadedEvent(@event.EventId, counts[ParticipantKind.Buyers], counts[ParticipantKind.Demands], counts[ParticipantKind.Smes],
                requests, meetings, views);
        }, cancellationToken);
    }
}

/// <summary>
/// Requests, meetings with their outcomes, and profile views of a past event, written with the interaction signals the
/// recommender learns from (requested, accepted/declined, held/no-show, rated well, follow-up, contract, viewed).
/// </summary>
sealed class PastEventHistory(DbConnection connection, DbTransaction transaction, long eventDbId, TimeZoneInfo zone, TimeProvider clock)
{
    readonly Dictionary<string, long> _smes = new();
    readonly Dictionary<string, long> _buyers = new();
    readonly Dictionary<string, long> _demands = new();
    Dictionary<string, long>? _slotsByStart;

    public async Task<int> LoadRequestsAsync(string path)
    {
        var rows = 0;
        foreach (var row in Read(path))
        {
            var (sme, buyer) = (await SmeAsync(row, "business_number"), await BuyerAsync(row, "buyer_id"));
            var state = row["state"];
            var createdAt = Local(row["created_at"]);
            var decidedAt = row["decided_at"].Length == 0 ? (DateTimeOffset?)null : Local(row["decided_at"]);
            await connection.ExecuteAsync("""
                INSERT INTO introduction_requests (event_id, sme_id, buyer_id, demand_id, priority, pitch, state, created_at, decided_at)
                VALUES (@eventDbId, @sme, @buyer, @demand, @priority, @pitch, @state, @createdAt, @decidedAt)
                """, new { eventDbId, sme, buyer, demand = await DemandAsync(row["demand_id"]), priority = int.Parse(row["priority"], CultureInfo.InvariantCulture),
                    pitch = row["pitch"], state, createdAt, decidedAt }, transaction);
            await InteractionAsync(sme, buyer, "requested", null, createdAt);
            if (state is "accepted" or "declined") await InteractionAsync(sme, buyer, state, null, decidedAt ?? createdAt);
            rows++;
        }
        return rows;
    }

    public async Task<int> LoadMeetingsAsync(string path)
    {
        var rows = 0;
        foreach (var row in Read(path))
        {
            var (sme, buyer) = (await SmeAsync(row, "business_number"), await BuyerAsync(row, "buyer_id"));
            var slotStart = DateTime.Parse(row["slot_start"], CultureInfo.InvariantCulture).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
            _slotsByStart ??= (await connection.QueryAsync<(string LocalStart, long Id)>(
                "SELECT local_start, id FROM slots WHERE event_id = @eventDbId", new { eventDbId }, transaction)).ToDictionary(s => s.LocalStart, s => s.Id);
            if (!_slotsByStart.TryGetValue(slotStart, out var slot))
                throw new InvalidDataException($"{path}: no slot starts at {row["slot_start"]}");
            var status = row["status"];
            int? rating = row["rating"].Length == 0 ? null : int.Parse(row["rating"], CultureInfo.InvariantCulture);
            var followUp = row["follow_up"].Length == 0 ? null : row["follow_up"];
            long? contract = row["contract_krw"].Length == 0 ? null : long.Parse(row["contract_krw"], CultureInfo.InvariantCulture);
            var at = Local(row["slot_start"]);
            await connection.ExecuteAsync("""
                INSERT INTO meetings (event_id, sme_id, buyer_id, demand_id, slot_id, table_no, status, rating, follow_up, contract_krw, updated_at)
                VALUES (@eventDbId, @sme, @buyer, @demand, @slot, @table, @status, @rating, @followUp, @contract, @now)
                """, new { eventDbId, sme, buyer, demand = await DemandAsync(row["demand_id"]), slot, table = int.Parse(row["table"], CultureInfo.InvariantCulture),
                    status, rating, followUp, contract, now = clock.GetUtcNow() }, transaction);
            if (status == "held")
            {
                await InteractionAsync(sme, buyer, "held", rating, at);
                if (rating >= 4) await InteractionAsync(sme, buyer, "rated_well", rating, at);
                if (followUp is "sample" or "site_visit" or "nda") await InteractionAsync(sme, buyer, "follow_up", null, at);
                if (followUp == "contract") await InteractionAsync(sme, buyer, "contract", contract, at);
            }
            else if (status == "no_show") await InteractionAsync(sme, buyer, "no_show", null, at);
            rows++;
        }
        return rows;
    }

    public async Task<int> LoadViewsAsync(string path)
    {
        var rows = 0;
        foreach (var row in Read(path))
        {
            await InteractionAsync(await SmeAsync(row, "business_number"), await BuyerAsync(row, "buyer_id"), "viewed", null, Local(row["viewed_at"]));
            rows++;
        }
        return rows;
    }

    Task InteractionAsync(long sme, long buyer, string kind, double? value, DateTimeOffset at) =>
        Requests.RequestService.InteractionAsync(connection, transaction, eventDbId, sme, buyer, kind, at, value);

    DateTimeOffset Local(string text)
    {
        var local = DateTime.Parse(text, CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    async Task<long> SmeAsync(IReadOnlyDictionary<string, string> row, string column) =>
        await LookupAsync(_smes, row[column], "SELECT id FROM smes WHERE business_number = @key", "SME");

    async Task<long> BuyerAsync(IReadOnlyDictionary<string, string> row, string column) =>
        await LookupAsync(_buyers, row[column], "SELECT id FROM buyers WHERE buyer_id = @key", "buyer");

    async Task<long?> DemandAsync(string demandId) => demandId.Length == 0 ? null :
        await LookupAsync(_demands, demandId, "SELECT id FROM demands WHERE event_id = @eventDbId AND demand_id = @key", "demand");

    async Task<long> LookupAsync(Dictionary<string, long> cache, string key, string sql, string what)
    {
        if (cache.TryGetValue(key, out var id)) return id;
        id = await connection.ExecuteScalarAsync<long?>(sql, new { key, eventDbId }, transaction)
            ?? throw new InvalidDataException($"unknown {what} '{key}'");
        return cache[key] = id;
    }

    static IEnumerable<IReadOnlyDictionary<string, string>> Read(string path)
    {
        if (!File.Exists(path)) yield break;
        using var reader = new StreamReader(path, Encoding.UTF8);
        string[]? header = null;
        foreach (var record in SimpleCsv.Read(reader))
        {
            if (header is null) { header = record; continue; }
            if (record.Length == 1 && record[0].Length == 0) continue;
            yield return header.Select((h, i) => (h, v: i < record.Length ? record[i] : "")).ToDictionary(p => p.h, p => p.v);
        }
    }
}
