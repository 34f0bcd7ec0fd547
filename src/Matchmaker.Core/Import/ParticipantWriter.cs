using Dapper;
using System.Data.Common;
using Matchmaker.Core.Profiles;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Import;

/// <summary>How many rows an import added, changed, or found already as they are.</summary>
public sealed record WriteCounts(int Inserted, int Updated, int Unchanged);

/// <summary>
/// Writes validated import rows into one event, inside the caller's transaction. Upserts: buyers by buyer_id, demands
/// by (event, demand_id), SMEs by business number; a row equal to what the store holds is left alone, so re-importing
/// the same file changes nothing (not even timestamps). The buyer id and the business number are the company's identity
/// across events; every other value is the event's own profile (event_buyers, event_smes), so an import into one
/// event never changes what another shows. Counts are per event: "inserted" is a company new to this event.
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
        // The buyer id is the identity across events; everything else in the row is this event's profile.
        var id = await connection.ExecuteScalarAsync<long?>("SELECT id FROM buyers WHERE buyer_id = @BuyerId", new { row.BuyerId }, transaction)
            ?? await connection.ExecuteScalarAsync<long>("""
                INSERT INTO buyers (buyer_id, created_at, updated_at) VALUES (@BuyerId, @now, @now) RETURNING id
                """, new { row.BuyerId, now = clock.GetUtcNow() }, transaction);
        var profile = new BuyerProfile(id, row.BuyerId, row.Name, row.BusinessNumber, row.Kind, row.Sector, row.KsicCodes, row.Region,
            row.MeetingCap, row.Tables, row.Hall, row.UnavailableSlots, new ContactDetails(row.ContactName, row.ContactEmail, row.ContactMobile),
            row.Language, row.OptedOut);
        var current = await EventProfiles.ReadBuyerAsync(connection, transaction, eventDbId, id);
        if (current == profile) return Change.Unchanged;
        await connection.ExecuteAsync("""
            INSERT INTO event_buyers (event_id, buyer_id, name, business_number, kind, sector, ksic_codes, region, meeting_cap, tables, hall,
                                      unavailable_slots, contact_name, contact_email, contact_mobile, language, opted_out)
            VALUES (@eventDbId, @id, @Name, @BusinessNumber, @Kind, @Sector, @KsicCodes, @Region, @MeetingCap, @Tables, @Hall,
                    @UnavailableSlots, @ContactName, @ContactEmail, @ContactMobile, @Language, @OptedOut)
            ON CONFLICT (event_id, buyer_id) DO UPDATE SET name = excluded.name, business_number = excluded.business_number,
                kind = excluded.kind, sector = excluded.sector, ksic_codes = excluded.ksic_codes, region = excluded.region,
                meeting_cap = excluded.meeting_cap, tables = excluded.tables, hall = excluded.hall,
                unavailable_slots = excluded.unavailable_slots, contact_name = excluded.contact_name,
                contact_email = excluded.contact_email, contact_mobile = excluded.contact_mobile, language = excluded.language,
                opted_out = excluded.opted_out
            """, new { eventDbId, id, row.Name, row.BusinessNumber, row.Kind, row.Sector, KsicCodes = Lists.Join(row.KsicCodes), row.Region,
                row.MeetingCap, row.Tables, row.Hall, UnavailableSlots = Lists.Join(row.UnavailableSlots), row.ContactName, row.ContactEmail,
                row.ContactMobile, row.Language, row.OptedOut }, transaction);
        return current is null ? Change.Inserted : Change.Updated;
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
        // The business number is the identity across events (the recommender's history hangs on it); everything else in
        // the row is this event's profile, so importing into this event never changes what another event shows.
        var id = await connection.ExecuteScalarAsync<long?>("SELECT id FROM smes WHERE business_number = @BusinessNumber",
                new { row.BusinessNumber }, transaction)
            ?? await connection.ExecuteScalarAsync<long>("""
                INSERT INTO smes (business_number, created_at, updated_at) VALUES (@BusinessNumber, @now, @now) RETURNING id
                """, new { row.BusinessNumber, now = clock.GetUtcNow() }, transaction);
        var profile = new SmeProfile(id, row.BusinessNumber, row.Name, row.Region, row.Sector, row.Employees, row.RevenueBand, row.KsicCodes,
            row.Certifications, row.ExportRecord, row.Description ?? "", row.Keywords, row.Trl, row.MeetingCap, row.UnavailableSlots,
            new ContactDetails(row.ContactName, row.ContactEmail, row.ContactMobile), row.Language, row.OptedOut);
        var current = await EventProfiles.ReadSmeAsync(connection, transaction, eventDbId, id);
        if (current == profile) return Change.Unchanged;
        await connection.ExecuteAsync("""
            INSERT INTO event_smes (event_id, sme_id, name, region, sector, employees, revenue_band, ksic_codes, certifications, export_record,
                                    description, keywords, trl, meeting_cap, unavailable_slots, contact_name, contact_email, contact_mobile,
                                    language, opted_out)
            VALUES (@eventDbId, @id, @Name, @Region, @Sector, @Employees, @RevenueBand, @KsicCodes, @Certifications, CAST(@ExportRecord AS INTEGER),
                    @Description, @Keywords, @Trl, @MeetingCap, @UnavailableSlots, @ContactName, @ContactEmail, @ContactMobile,
                    @Language, @OptedOut)
            ON CONFLICT (event_id, sme_id) DO UPDATE SET name = excluded.name, region = excluded.region, sector = excluded.sector,
                employees = excluded.employees, revenue_band = excluded.revenue_band, ksic_codes = excluded.ksic_codes,
                certifications = excluded.certifications, export_record = excluded.export_record, description = excluded.description,
                keywords = excluded.keywords, trl = excluded.trl, meeting_cap = excluded.meeting_cap,
                unavailable_slots = excluded.unavailable_slots, contact_name = excluded.contact_name,
                contact_email = excluded.contact_email, contact_mobile = excluded.contact_mobile, language = excluded.language,
                opted_out = excluded.opted_out
            """, new { eventDbId, id, row.Name, row.Region, row.Sector, row.Employees, row.RevenueBand, KsicCodes = Lists.Join(row.KsicCodes),
                Certifications = Lists.Join(row.Certifications), row.ExportRecord, Description = profile.Description,
                Keywords = Lists.Join(row.Keywords), row.Trl, row.MeetingCap, UnavailableSlots = Lists.Join(row.UnavailableSlots),
                row.ContactName, row.ContactEmail, row.ContactMobile, row.Language, row.OptedOut }, transaction);
        return current is null ? Change.Inserted : Change.Updated;
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
}
