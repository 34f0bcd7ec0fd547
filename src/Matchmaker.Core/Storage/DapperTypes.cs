using System.Data;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Matchmaker.Core.Storage;

/// <summary>
/// Instants. SQLite has no date type: they are stored as ISO-8601 text with offset (round-trip format), one handler per
/// type as Dapper's README advises for SQLite. PostgreSQL stores them as <c>timestamptz</c> (UTC; the offset is not kept,
/// the instant is), so that they compare and sort as instants. Dapper's handlers are process-wide, hence one handler
/// that looks at the parameter's provider.
/// </summary>
static class DapperTypes
{
    static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

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
            parameter.Value = value.ToString("O", CultureInfo.InvariantCulture);
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset instant => instant,
            DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
            _ => DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }
}
