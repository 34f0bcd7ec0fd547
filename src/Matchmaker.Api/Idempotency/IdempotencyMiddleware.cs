using System.Security.Cryptography;
using Dapper;
using Matchmaker.Core.Access;
using Matchmaker.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Api.Idempotency;

/// <summary>Marks a POST that creates something: with an Idempotency-Key header, a retry gets the first response again.</summary>
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// Idempotency-Key on creating POSTs (per caller): the first request's response is stored and replayed to retries with the
/// same key and the same request; the same key with a different request is refused (422); a retry while the first is
/// still running gets 409 (in whichever API process it runs: the keys live in the store). Server errors are not stored,
/// so they can be retried; a reservation left by a process that died mid-request is taken over after <see cref="AbandonedAfter"/>.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";

    /// <summary>How long a request may run before its reservation counts as abandoned (longer than any request takes:
    /// the store-write pipeline gives up after 60 s).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public async Task InvokeAsync(HttpContext context, Database database, TimeProvider clock)
    {
        var key = context.Request.Headers[Header].ToString();
        if (key.Length == 0 || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null
            || context.Items[typeof(Caller)] is not Caller caller)
        {
            await next(context);
            return;
        }
        if (key.Length > 100)
        {
            await Problems.BadRequest("An Idempotency-Key has at most 100 characters.", Header).ExecuteAsync(context);
            return;
        }
        context.Request.EnableBuffering();
        var requestHash = Convert.ToHexStringLower(await SHA256.HashDataAsync(context.Request.Body, context.RequestAborted));
        context.Request.Body.Position = 0;
        var path = context.Request.Path.ToString();

        await using (var connection = await database.OpenAsync(context.RequestAborted))
        {
            // The key's row is the reservation, shared by every API process (its primary key is the key and the token).
            var now = clock.GetUtcNow();
            var reserved = await connection.ExecuteAsync("""
                INSERT INTO idempotency_keys (idempotency_key, token_id, method, path, request_hash, status, body, created_at)
                VALUES (@key, @TokenId, @method, @path, @requestHash, 0, @noBody, @now)
                ON CONFLICT DO NOTHING
                """, new { key, caller.TokenId, method = context.Request.Method, path, requestHash, noBody = Array.Empty<byte>(), now });
            if (reserved == 0)
                // A reservation whose process died mid-request (a restart, a crash) would refuse the key forever: after
                // AbandonedAfter it is taken over, by one retry only (the update is conditional on the old time).
                reserved = await connection.ExecuteAsync("""
                    UPDATE idempotency_keys SET method = @method, path = @path, request_hash = @requestHash, created_at = @now
                    WHERE idempotency_key = @key AND token_id = @TokenId AND status = 0 AND created_at < @abandoned
                    """, new { key, caller.TokenId, method = context.Request.Method, path, requestHash, now, abandoned = now - AbandonedAfter });
            if (reserved == 0)
            {
                var stored = await connection.QuerySingleAsync<StoredResponse>("""
                    SELECT method AS Method, path AS Path, request_hash AS RequestHash, status AS Status, content_type AS ContentType,
                           location AS Location, body AS Body
                    FROM idempotency_keys WHERE idempotency_key = @key AND token_id = @TokenId
                    """, new { key, caller.TokenId });
                if (stored.RequestHash != requestHash || stored.Path != path || stored.Method != context.Request.Method)
                    await Problems.Unprocessable("This Idempotency-Key was used for a different request.", Header).ExecuteAsync(context);
                else if (stored.Status == 0)
                    await Problems.Conflict("A request with this Idempotency-Key is still being processed.", Header).ExecuteAsync(context);
                else
                {
                    context.Response.StatusCode = (int)stored.Status;
                    if (stored.ContentType is not null) context.Response.ContentType = stored.ContentType;
                    if (stored.Location is not null) context.Response.Headers.Location = stored.Location;
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                    await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
                }
                return;
            }
        }

        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        var keep = false;
        try
        {
            await next(context);
            keep = context.Response.StatusCode < 500;
        }
        finally
        {
            context.Response.Body = original;
            await using var connection = await database.OpenAsync(CancellationToken.None);
            if (keep)
                await connection.ExecuteAsync("""
                    UPDATE idempotency_keys SET status = @status, content_type = @contentType, location = @location, body = @body
                    WHERE idempotency_key = @key AND token_id = @TokenId
                    """, new
                {
                    key, caller.TokenId, status = context.Response.StatusCode, contentType = context.Response.ContentType,
                    location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, body = captured.ToArray(),
                });
            else
                await connection.ExecuteAsync("DELETE FROM idempotency_keys WHERE idempotency_key = @key AND token_id = @TokenId", new { key, caller.TokenId });
        }
        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    sealed class StoredResponse
    {
        public string Method { get; init; } = "";
        public string Path { get; init; } = "";
        public string RequestHash { get; init; } = "";
        public long Status { get; init; }
        public string? ContentType { get; init; }
        public string? Location { get; init; }
        public byte[] Body { get; init; } = [];
    }
}
