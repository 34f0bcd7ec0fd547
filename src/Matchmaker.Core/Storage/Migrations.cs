using System.Data.Common;
using System.Reflection;
using Dapper;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Ordered schema scripts, embedded: Storage/Migrations/NNNN_name.sql for SQLite (tracked with <c>PRAGMA user_version</c>)
/// and Storage/Migrations/Postgres/NNNN_name.sql for PostgreSQL (tracked in the <c>schema_migrations</c> table), numbered
/// alike so that a version is one schema on either store. The version is the number of the last script applied. Each
/// script runs in its own transaction together with the version bump, so a failed script leaves the database at the
/// previous version with its data intact.
/// </summary>
public static class Migrations
{
    public sealed record Script(int Version, string Name, string Sql);

    /// <summary>The SQLite scripts.</summary>
    public static IReadOnlyList<Script> All { get; } = Load(".Storage.Migrations.");

    /// <summary>The PostgreSQL scripts.</summary>
    public static IReadOnlyList<Script> Postgres { get; } = Load(".Storage.Migrations.Postgres.");

    public static int Latest => All[^1].Version;

    public static Task<int> CurrentVersionAsync(DbConnection connection) => StoreDialect.Of(connection).CurrentVersionAsync(connection);

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (default: the latest); returns scripts applied.</summary>
    public static async Task<int> ApplyAsync(DbConnection connection, CancellationToken cancellationToken = default, int? targetVersion = null)
    {
        var dialect = StoreDialect.Of(connection);
        await using var migrating = await dialect.BeginMigratingAsync(connection, cancellationToken);
        if (dialect.Scripts[^1].Version != Latest)
            throw new InvalidOperationException($"the {dialect.Provider} scripts end at {dialect.Scripts[^1].Version}, the SQLite ones at {Latest}: every version needs both");
        var current = await dialect.CurrentVersionAsync(connection);
        if (current > Latest)
            throw new InvalidOperationException($"the database is at schema version {current}, newer than this program's {Latest}");
        var applied = 0;
        foreach (var script in dialect.Scripts.Where(s => s.Version > current && s.Version <= (targetVersion ?? Latest)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginWriteAsync(cancellationToken);
            await connection.ExecuteAsync(script.Sql, transaction: transaction);
            await dialect.SetVersionAsync(connection, transaction, script);
            await transaction.CommitAsync(cancellationToken);
            applied++;
        }
        return applied;
    }

    static IReadOnlyList<Script> Load(string folder)
    {
        var assembly = typeof(Migrations).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Resource: n, File: n[(n.IndexOf(folder, StringComparison.Ordinal) + folder.Length)..]))
            .Where(n => !n.File.Contains('.', StringComparison.Ordinal) || n.File.IndexOf('.') == n.File.Length - ".sql".Length) // not a sub-folder's
            .Select(n =>
            {
                var version = int.Parse(n.File[..n.File.IndexOf('_')].TrimStart('_'));
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n.Resource)!);
                return new Script(version, n.File, reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToList();
        for (var i = 0; i < scripts.Count; i++)
            if (scripts[i].Version != i + 1)
                throw new InvalidOperationException($"migration scripts must be numbered 1, 2, 3 … without gaps; found {scripts[i].Name}");
        return scripts;
    }
}
