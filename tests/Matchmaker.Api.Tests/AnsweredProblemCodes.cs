using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Matchmaker.Api.Tests;

/// <summary>
/// Issue 16: every API test host records the <c>code</c> of each problem it answers, by operation and status; when the
/// host is disposed, <see cref="Undeclared"/> names those the OpenAPI document does not list for that operation
/// (<c>x-problem-codes</c>), and the host fails the test. So every code any API test sees is checked against the document.
/// </summary>
public sealed class AnsweredProblemCodes : IStartupFilter
{
    public ConcurrentDictionary<(string Method, string Route, int Status, string Code), string> Answers { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            var original = context.Response.Body;
            await using var copy = new CopyingStream(original);
            context.Response.Body = copy;
            try
            {
                await following(context);
            }
            finally
            {
                context.Response.Body = original;
            }
            if (context.GetEndpoint() is not RouteEndpoint endpoint
                || context.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true) return;
            string? code = null;
            try
            {
                using var problem = JsonDocument.Parse(copy.Copied.ToArray());
                code = problem.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            }
            catch (JsonException) { code = "(not JSON)"; }
            Answers.TryAdd((context.Request.Method, AnsweredStatuses.Normalise(endpoint.RoutePattern.RawText ?? ""), context.Response.StatusCode,
                code ?? "(no code)"), context.Request.Path + context.Request.QueryString);
        });
        next(app);
    };

    /// <summary>The document's codes per (method, route, status), read once per test run (every host serves the same document).</summary>
    static Task<Dictionary<(string, string, int), HashSet<string>>>? _declared;
    static readonly Lock DeclaredLock = new();

    /// <summary>Answered codes the OpenAPI document does not list for their operation and status.</summary>
    public IReadOnlyList<string> Undeclared(HttpClient anonymous)
    {
        if (Answers.IsEmpty) return [];
        Task<Dictionary<(string, string, int), HashSet<string>>> declared;
        lock (DeclaredLock) declared = _declared ??= ReadDocumentAsync(anonymous);
        var listed = declared.GetAwaiter().GetResult();
        return Answers
            .Where(a => listed.Keys.Any(k => k.Item1 == a.Key.Method && k.Item2 == a.Key.Route) // operations of the document only
                        && !(listed.TryGetValue((a.Key.Method, a.Key.Route, a.Key.Status), out var codes) && codes.Contains(a.Key.Code)))
            .Select(a => $"{a.Key.Method} {a.Key.Route} answered {a.Key.Status} with code {a.Key.Code} (e.g. {a.Value})")
            .Order().ToList();
    }

    static async Task<Dictionary<(string, string, int), HashSet<string>>> ReadDocumentAsync(HttpClient anonymous)
    {
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var declared = new Dictionary<(string, string, int), HashSet<string>>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
        {
            var codes = response.Value.TryGetProperty("x-problem-codes", out var listed)
                ? listed.EnumerateArray().Select(c => c.GetString()!).ToHashSet() : [];
            declared[(operation.Name.ToUpperInvariant(), AnsweredStatuses.Normalise(path.Name),
                int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture))] = codes;
        }
        return declared;
    }

    /// <summary>Passes every write through and keeps the first 64 KB (a problem is far smaller).</summary>
    sealed class CopyingStream(Stream inner) : Stream
    {
        public MemoryStream Copied { get; } = new();
        void Keep(ReadOnlySpan<byte> bytes) { if (Copied.Length < 65536) Copied.Write(bytes[..Math.Min(bytes.Length, 65536 - (int)Copied.Length)]); }
        public override void Write(byte[] buffer, int offset, int count) { Keep(buffer.AsSpan(offset, count)); inner.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { Keep(buffer); inner.Write(buffer); }
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) Copied.Dispose(); base.Dispose(disposing); }
    }
}
