using Matchmaker.Core.Messages;
using System.Text.Json;
using Dapper;
using System.Data.Common;
using Matchmaker.Core.Jobs;
using Matchmaker.Core.Storage;
using Polly.Registry;

namespace Matchmaker.Core.Import;

/// <summary>What an import did, or why it did nothing: the row-by-row report shown to the organiser.</summary>
public sealed record ImportReport(string Kind, string FileName, string Format, int Rows, int Inserted, int Updated, int Unchanged,
    IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>The options stored with an import job's file.</summary>
public sealed record ImportJobOptions(string Kind);

/// <summary>
/// Imports a participant file into an event, all-or-nothing: the file is read and validated first; only a file without
/// a single bad row is written, in one transaction (which also records the job's outcome when run as a job).
/// </summary>
public sealed class ParticipantImporter(Database database, JobStore jobs, ParticipantWriter writer, ResiliencePipelineProvider<string> pipelines)
{
    public const string JobKind = "import";

    /// <summary>Records an import job with its file; the caller queues it on the worker.</summary>
    public Task<string> CreateJobAsync(long eventDbId, ParticipantKind kind, string fileName, byte[] content, CancellationToken cancellationToken = default) =>
        jobs.CreateAsync(JobKind, eventDbId, new JobInput(fileName, content, JsonSerializer.Serialize(new ImportJobOptions(kind.Name()), JobStore.Json)), cancellationToken);

    /// <summary>Runs an import job to its end. Safe to run again after a crash: nothing was committed before.</summary>
    public async Task RunJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null || job.State is JobState.Succeeded or JobState.Failed) return; // unknown or already finished
        var input = await jobs.InputAsync(jobId, cancellationToken);
        if (input is null)
        {
            await jobs.FinishAsync(jobId, false, JobMessages.Encode(new Message("job.file_missing")), null, cancellationToken);
            return;
        }
        await jobs.StartAsync(jobId, cancellationToken);
        var kind = ParticipantKinds.Parse(JsonSerializer.Deserialize<ImportJobOptions>(input.Options, JobStore.Json)!.Kind);
        var eventDbId = await EventOfJobAsync(jobId, cancellationToken);
        await jobs.ReportProgressAsync(jobId, 0.1, JobMessages.Encode(new Message("job.import_reading")), cancellationToken);
        await pipelines.GetPipeline(TransientFaults.StoreJobWrite).ExecuteAsync(async ct =>
        {
            await using var connection = await database.OpenAsync(ct);
            await using var transaction = await connection.BeginWriteAsync(ct);
            var report = await ImportAsync(connection, transaction, eventDbId, kind, new MemoryStream(input.Content), input.FileName);
            await jobs.FinishAsync(connection, transaction, jobId, report.Succeeded,
                JobMessages.Encode(report.Succeeded
                    ? new Message($"job.import_done.{report.Kind}", report.Rows, report.Inserted, report.Updated, report.Unchanged)
                    : new Message("job.import_failed", report.Errors.Count)),
                report);
            await database.Changes.AnnounceWithinAsync(connection, transaction, eventDbId);
            await transaction.CommitAsync(ct);
            database.Changes.Committed(eventDbId);
        }, cancellationToken);
    }

    /// <summary>Validates and, if the whole file is good, writes it inside the caller's transaction.</summary>
    public async Task<ImportReport> ImportAsync(DbConnection connection, DbTransaction transaction, long eventDbId,
        ParticipantKind kind, Stream content, string fileName)
    {
        var options = new ImportOptions
        {
            KnownBuyerIds = await ParticipantWriter.BuyerIdsAsync(connection, eventDbId),
            KnownSlotCodes = await ParticipantWriter.SlotCodesAsync(connection, eventDbId),
        };
        var result = ParticipantImport.Read(kind, content, fileName, options);
        if (!result.Succeeded)
            return new ImportReport(kind.Name(), fileName, result.Format, 0, 0, 0, 0, result.Errors, result.Warnings);
        var counts = await writer.WriteAsync(connection, transaction, eventDbId, result);
        return new ImportReport(kind.Name(), fileName, result.Format, result.RowCount, counts.Inserted, counts.Updated, counts.Unchanged,
            [], result.Warnings);
    }

    async Task<long> EventOfJobAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT event_id FROM jobs WHERE id = @jobId", new { jobId });
    }
}
