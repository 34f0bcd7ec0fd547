using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Ordered schema scripts (Storage/Migrations/NNNN_name.sql, embedded) tracked with <c>PRAGMA user_version</c>:
/// the version is the number of the last script applied. Each script runs in its own transaction together with the
/// version bump, so a failed script leaves the database at the previous version with its data intact.
/// </summary>
public static class Migrations
{
    public sealed record Script(int Version, string Name, string Sql);

    public static IReadOnlyList<Script> All { get; } = Load();

    public static int Latest => All[^1].Version;

    public static async Task<int> CurrentVersionAsync(SqliteConnection connection) =>
        await connection.ExecuteScalarAsync<int>("PRAGMA user_version;");

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (default: the latest); returns scripts applied.</summary>
    public static async Task<int> ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken = default, int? targetVersion = null)
    {
        // WAL lets readers go on while a writer commits; it is a property of the file, so setting it once is enough.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        var current = await CurrentVersionAsync(connection);
        if (current > Latest)
            throw new InvalidOperationException($"the database is at schema version {current}, newer than this program's {Latest}");
        var applied = 0;
        foreach (var script in All.Where(s => s.Version > current && s.Version <= (targetVersion ?? Latest)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(script.Sql, transaction: transaction);
            await connection.ExecuteAsync($"PRAGMA user_version = {script.Version};", transaction: transaction);
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }
        return applied;
    }

    static IReadOnlyList<Script> Load()
    {
        var assembly = typeof(Migrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Storage.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                var version = int.Parse(file[..file.IndexOf('_')].TrimStart('_'));
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new Script(version, file, reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToList();
        for (var i = 0; i < scripts.Count; i++)
            if (scripts[i].Version != i + 1)
                throw new InvalidOperationException($"migration scripts must be numbered 1, 2, 3 … without gaps; found {scripts[i].Name}");
        return scripts;
    }
}
