using Dapper;
using System.Data.Common;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Import;

/// <summary>How many rows an import added, changed, or found already as they are.</summary>
public sealed record WriteCounts(int Inserted, int Updated, int Unchanged);

/// <summary>
/// Writes validated import rows into one event, inside the caller's transaction. Upserts: buyers by buyer_id, demands
/// by (event, demand_id), SMEs by business number; a row equal to what the store holds is left alone, so re-importing
/// the same file changes nothing (not even timestamps).
/// </summary>
public sealed class ParticipantWriter(TimeProvider clock)
{
    public async Task<WriteCounts> WriteAsync(DbConnection connection, DbTransaction transaction, long eventDbId, ImportResult rows)
    {
        var counts = new Counter();
        foreach (var buyer in rows.Buyers) counts.Add(await WriteBuyerAsync(connection, transaction, eventDbId, buyer));
        foreach (var demand in rows.Demands) counts.Add(await WriteDemandAsync(connection, transaction, eventDbId, demand));
        foreach (var sme in rows.Smes) counts.Add(await WriteSmeAsync(connection, transaction, eventDbId, sme));
        return counts.ToCounts();
    }

    /// <summary>Buyer ids taking part in the event, for checking the buyer_id of demand rows.</summary>
    public static async Task<IReadOnlySet<string>> BuyerIdsAsync(DbConnection connection, long eventDbId) =>
        (await connection.QueryAsync<string>("""
            SELECT b.buyer_id FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id WHERE eb.event_id = @eventDbId
            """, new { eventDbId })).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static async Task<IReadOnlySet<string>> SlotCodesAsync(DbConnection connection, long eventDbId) =>
        (await connection.QueryAsync<string>("SELECT code FROM slots WHERE event_id = @eventDbId", new { eventDbId }))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    async Task<Change> WriteBuyerAsync(DbConnection connection, DbTransaction transaction, long eventDbId, BuyerRow row)
    {
        var organisation = new BuyerColumns(row.Name, row.BusinessNumber, row.Kind, row.Sector, Lists.Join(row.KsicCodes), row.Region,
            row.ContactName, row.ContactEmail, row.ContactPhone);
        var existing = await connection.QuerySingleOrDefaultAsync<BuyerColumnsWithId>("""
            SELECT id AS Id, name AS Name, business_number AS BusinessNumber, kind AS Kind, sector AS Sector, ksic_codes AS KsicCodes,
                   region AS Region, contact_name AS ContactName, contact_email AS ContactEmail, contact_phone AS ContactPhone
            FROM buyers WHERE buyer_id = @BuyerId
            """, new { row.BuyerId }, transaction);
        var now = clock.GetUtcNow();
        long id;
        var change = Change.Unchanged;
        if (existing is null)
        {
            id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO buyers (buyer_id, name, business_number, kind, sector, ksic_codes, region, contact_name, contact_email, contact_phone, created_at, updated_at)
                VALUES (@BuyerId, @Name, @BusinessNumber, @Kind, @Sector, @KsicCodes, @Region, @ContactName, @ContactEmail, @ContactPhone, @now, @now)
                RETURNING id
                """, new { row.BuyerId, organisation.Name, organisation.BusinessNumber, organisation.Kind, organisation.Sector,
                    organisation.KsicCodes, organisation.Region, organisation.ContactName, organisation.ContactEmail, organisation.ContactPhone, now }, transaction);
            change = Change.Inserted;
        }
        else
        {
            id = existing.Id;
            if (existing.Columns != organisation)
            {
                await connection.ExecuteAsync("""
                    UPDATE buyers SET name = @Name, business_number = @BusinessNumber, kind = @Kind, sector = @Sector, ksic_codes = @KsicCodes,
                           region = @Region, contact_name = @ContactName, contact_email = @ContactEmail, contact_phone = @ContactPhone, updated_at = @now
                    WHERE id = @id
                    """, new { id, organisation.Name, organisation.BusinessNumber, organisation.Kind, organisation.Sector, organisation.KsicCodes,
                        organisation.Region, organisation.ContactName, organisation.ContactEmail, organisation.ContactPhone, now }, transaction);
                change = Change.Updated;
            }
        }
        var unavailable = Lists.Join(row.UnavailableSlots);
        var current = await connection.QuerySingleOrDefaultAsync<ParticipationRow>("""
            SELECT meeting_cap AS MeetingCap, tables AS Tables, hall AS Hall, unavailable_slots AS UnavailableSlots
            FROM event_buyers WHERE event_id = @eventDbId AND buyer_id = @id
            """, new { eventDbId, id }, transaction);
        if (current is not null && (current.MeetingCap, current.Tables, current.Hall, current.UnavailableSlots) ==
            (row.MeetingCap, row.Tables, row.Hall, unavailable)) return change;
        await connection.ExecuteAsync("""
            INSERT INTO event_buyers (event_id, buyer_id, meeting_cap, tables, hall, unavailable_slots)
            VALUES (@eventDbId, @id, @MeetingCap, @Tables, @Hall, @unavailable)
            ON CONFLICT (event_id, buyer_id) DO UPDATE SET meeting_cap = excluded.meeting_cap, tables = excluded.tables,
                hall = excluded.hall, unavailable_slots = excluded.unavailable_slots
            """, new { eventDbId, id, row.MeetingCap, row.Tables, row.Hall, unavailable }, transaction);
        return change == Change.Inserted ? Change.Inserted : Change.Updated;
    }

    async Task<Change> WriteDemandAsync(DbConnection connection, DbTransaction transaction, long eventDbId, DemandRow row)
    {
        var buyerDbId = await connection.ExecuteScalarAsync<long?>("""
            SELECT b.id FROM buyers b JOIN event_buyers eb ON eb.buyer_id = b.id AND eb.event_id = @eventDbId WHERE b.buyer_id = @BuyerId
            """, new { eventDbId, row.BuyerId }, transaction)
            ?? throw new InvalidOperationException($"row {row.Row}: buyer '{row.BuyerId}' is not in the event");
        var columns = new DemandColumns(buyerDbId, row.Title, row.Description ?? "", Lists.Join(row.KsicCodes),
            Lists.Join(row.RequiredCertifications), row.BudgetBand, row.Quantity, Lists.Join(row.PreferredRegions));
        var existing = await connection.QuerySingleOrDefaultAsync<DemandColumnsWithId>("""
            SELECT id AS Id, buyer_id AS BuyerDbId, title AS Title, description AS Description, ksic_codes AS KsicCodes,
                   required_certifications AS RequiredCertifications, budget_band AS BudgetBand, quantity AS Quantity,
                   preferred_regions AS PreferredRegions
            FROM demands WHERE event_id = @eventDbId AND demand_id = @DemandId
            """, new { eventDbId, row.DemandId }, transaction);
        if (existing is not null && existing.Columns == columns) return Change.Unchanged;
        await connection.ExecuteAsync("""
            INSERT INTO demands (event_id, buyer_id, demand_id, title, description, ksic_codes, required_certifications, budget_band, quantity, preferred_regions, updated_at)
            VALUES (@eventDbId, @BuyerDbId, @DemandId, @Title, @Description, @KsicCodes, @RequiredCertifications, @BudgetBand, @Quantity, @PreferredRegions, @now)
            ON CONFLICT (event_id, demand_id) DO UPDATE SET buyer_id = excluded.buyer_id, title = excluded.title,
                description = excluded.description, ksic_codes = excluded.ksic_codes, required_certifications = excluded.required_certifications,
                budget_band = excluded.budget_band, quantity = excluded.quantity, preferred_regions = excluded.preferred_regions,
                updated_at = excluded.updated_at
            """, new { eventDbId, columns.BuyerDbId, row.DemandId, columns.Title, columns.Description, columns.KsicCodes,
                columns.RequiredCertifications, columns.BudgetBand, columns.Quantity, columns.PreferredRegions, now = clock.GetUtcNow() }, transaction);
        return existing is null ? Change.Inserted : Change.Updated;
    }

    async Task<Change> WriteSmeAsync(DbConnection connection, DbTransaction transaction, long eventDbId, SmeRow row)
    {
        var columns = new SmeColumns(row.Name, row.Region, row.Sector, row.Employees, row.RevenueBand, Lists.Join(row.KsicCodes),
            Lists.Join(row.Certifications), row.ExportRecord, row.Description ?? "", Lists.Join(row.Keywords), row.Trl,
            row.ContactName, row.ContactEmail, row.ContactPhone);
        var existing = await connection.QuerySingleOrDefaultAsync<SmeColumnsWithId>("""
            SELECT id AS Id, name AS Name, region AS Region, sector AS Sector, employees AS Employees, revenue_band AS RevenueBand,
                   ksic_codes AS KsicCodes, certifications AS Certifications, export_record AS ExportRecord, description AS Description,
                   keywords AS Keywords, trl AS Trl, contact_name AS ContactName, contact_email AS ContactEmail, contact_phone AS ContactPhone
            FROM smes WHERE business_number = @BusinessNumber
            """, new { row.BusinessNumber }, transaction);
        var now = clock.GetUtcNow();
        long id;
        var change = Change.Unchanged;
        // export_record is 0/1/NULL on both stores; the CASTs below turn the bound flag into that (PostgreSQL binds a bool).
        var parameters = new DynamicParameters(columns);
        parameters.Add("now", now);
        parameters.Add("BusinessNumber", row.BusinessNumber);
        if (existing is null)
        {
            id = await connection.ExecuteScalarAsync<long>("""
                INSERT INTO smes (business_number, name, region, sector, employees, revenue_band, ksic_codes, certifications, export_record,
                                  description, keywords, trl, contact_name, contact_email, contact_phone, created_at, updated_at)
                VALUES (@BusinessNumber, @Name, @Region, @Sector, @Employees, @RevenueBand, @KsicCodes, @Certifications, CAST(@ExportRecord AS INTEGER),
                        @Description, @Keywords, @Trl, @ContactName, @ContactEmail, @ContactPhone, @now, @now)
                RETURNING id
                """, parameters, transaction);
            change = Change.Inserted;
        }
        else
        {
            id = existing.Id;
            if (existing.Columns != columns)
            {
                parameters.Add("id", id);
                await connection.ExecuteAsync("""
                    UPDATE smes SET name = @Name, region = @Region, sector = @Sector, employees = @Employees, revenue_band = @RevenueBand,
                           ksic_codes = @KsicCodes, certifications = @Certifications, export_record = CAST(@ExportRecord AS INTEGER), description = @Description,
                           keywords = @Keywords, trl = @Trl, contact_name = @ContactName, contact_email = @ContactEmail,
                           contact_phone = @ContactPhone, updated_at = @now
                    WHERE id = @id
                    """, parameters, transaction);
                change = Change.Updated;
            }
        }
        var unavailable = Lists.Join(row.UnavailableSlots);
        var current = await connection.QuerySingleOrDefaultAsync<(long MeetingCap, string UnavailableSlots)?>("""
            SELECT meeting_cap, unavailable_slots FROM event_smes WHERE event_id = @eventDbId AND sme_id = @id
            """, new { eventDbId, id }, transaction);
        if (current is { } c && c.MeetingCap == row.MeetingCap && c.UnavailableSlots == unavailable) return change;
        await connection.ExecuteAsync("""
            INSERT INTO event_smes (event_id, sme_id, meeting_cap, unavailable_slots) VALUES (@eventDbId, @id, @MeetingCap, @unavailable)
            ON CONFLICT (event_id, sme_id) DO UPDATE SET meeting_cap = excluded.meeting_cap, unavailable_slots = excluded.unavailable_slots
            """, new { eventDbId, id, row.MeetingCap, unavailable }, transaction);
        return change == Change.Inserted ? Change.Inserted : Change.Updated;
    }

    enum Change { Inserted, Updated, Unchanged }

    sealed class Counter
    {
        int _inserted, _updated, _unchanged;

        public void Add(Change change)
        {
            if (change == Change.Inserted) _inserted++;
            else if (change == Change.Updated) _updated++;
            else _unchanged++;
        }

        public WriteCounts ToCounts() => new(_inserted, _updated, _unchanged);
    }

    sealed record BuyerColumns(string Name, string? BusinessNumber, string? Kind, string? Sector, string KsicCodes, string? Region,
        string? ContactName, string? ContactEmail, string? ContactPhone);

    sealed class BuyerColumnsWithId
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string? BusinessNumber { get; init; }
        public string? Kind { get; init; }
        public string? Sector { get; init; }
        public string KsicCodes { get; init; } = "";
        public string? Region { get; init; }
        public string? ContactName { get; init; }
        public string? ContactEmail { get; init; }
        public string? ContactPhone { get; init; }
        public BuyerColumns Columns => new(Name, BusinessNumber, Kind, Sector, KsicCodes, Region, ContactName, ContactEmail, ContactPhone);
    }

    sealed class ParticipationRow
    {
        public long MeetingCap { get; init; }
        public long Tables { get; init; }
        public string? Hall { get; init; }
        public string UnavailableSlots { get; init; } = "";
    }

    sealed record DemandColumns(long BuyerDbId, string Title, string Description, string KsicCodes, string RequiredCertifications,
        string? BudgetBand, string? Quantity, string PreferredRegions);

    sealed class DemandColumnsWithId
    {
        public long Id { get; init; }
        public long BuyerDbId { get; init; }
        public string Title { get; init; } = "";
        public string Description { get; init; } = "";
        public string KsicCodes { get; init; } = "";
        public string RequiredCertifications { get; init; } = "";
        public string? BudgetBand { get; init; }
        public string? Quantity { get; init; }
        public string PreferredRegions { get; init; } = "";
        public DemandColumns Columns => new(BuyerDbId, Title, Description, KsicCodes, RequiredCertifications, BudgetBand, Quantity, PreferredRegions);
    }

    sealed record SmeColumns(string Name, string? Region, string? Sector, int? Employees, string? RevenueBand, string KsicCodes,
        string Certifications, bool? ExportRecord, string Description, string Keywords, int? Trl, string? ContactName,
        string? ContactEmail, string? ContactPhone);

    sealed class SmeColumnsWithId
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string? Region { get; init; }
        public string? Sector { get; init; }
        public long? Employees { get; init; }
        public string? RevenueBand { get; init; }
        public string KsicCodes { get; init; } = "";
        public string Certifications { get; init; } = "";
        public long? ExportRecord { get; init; }
        public string Description { get; init; } = "";
        public string Keywords { get; init; } = "";
        public long? Trl { get; init; }
        public string? ContactName { get; init; }
        public string? ContactEmail { get; init; }
        public string? ContactPhone { get; init; }
        public SmeColumns Columns => new(Name, Region, Sector, (int?)Employees, RevenueBand, KsicCodes, Certifications,
            ExportRecord is null ? null : ExportRecord != 0, Description, Keywords, (int?)Trl, ContactName, ContactEmail, ContactPhone);
    }
}
