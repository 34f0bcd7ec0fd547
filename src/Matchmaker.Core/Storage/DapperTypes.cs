using System.Data;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Instants. SQLite has no date type: they are stored as ISO-8601 text with offset, in the very format
/// Microsoft.Data.Sqlite wrote before this handler took over the parameters (<c>2026-05-20 10:00:00+09:00</c>), so that
/// existing stores keep comparing and sorting as before; one handler per type as Dapper's README advises for SQLite.
/// PostgreSQL stores them as <c>timestamptz</c> (in UTC: the offset is not kept, the instant is), so that they compare and
/// sort as instants; Npgsql takes only UTC offsets, hence the conversion. Dapper's handlers are process-wide, hence one
/// handler that looks at the parameter's provider.
/// </summary>
static class DapperTypes
{
    static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // Dapper binds the types of its own map itself and would never call the handler for a parameter.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    /// <summary>Microsoft.Data.Sqlite's own text for a DateTimeOffset.</summary>
    internal const string SqliteFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz";

    sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is NpgsqlParameter postgres)
            {
                postgres.NpgsqlDbType = NpgsqlDbType.TimestampTz;
                postgres.Value = value.ToUniversalTime();
                return;
            }
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString(SqliteFormat, CultureInfo.InvariantCulture);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset instant => instant,
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }
}
