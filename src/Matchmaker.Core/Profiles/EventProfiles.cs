using System.Data.Common;
using Dapper;
using Matchmaker.Core.Storage;

namespace Matchmaker.Core.Profiles;

/// <summary>
/// An SME as registered for one event, contacts included (only for the SME itself and organisers). Two profiles are equal
/// when every value and every list item is (in order): re-importing a row equal to the stored profile changes nothing.
/// </summary>
public sealed record SmeProfile(long Id, string BusinessNumber, string Name, string? Region, string? Sector, int? Employees,
    string? RevenueBand, IReadOnlyList<string> KsicCodes, IReadOnlyList<string> Certifications, bool? ExportRecord, string Description,
    IReadOnlyList<string> Keywords, int? Trl, int MeetingCap, IReadOnlyList<string> UnavailableSlots, ContactDetails Contact,
    string Language, bool OptedOut)
{
    public bool Equals(SmeProfile? other) =>
        other is not null && Id == other.Id && BusinessNumber == other.BusinessNumber && Name == other.Name && Region == other.Region
        && Sector == other.Sector && Employees == other.Employees && RevenueBand == other.RevenueBand
        && KsicCodes.SequenceEqual(other.KsicCodes) && Certifications.SequenceEqual(other.Certifications)
        && ExportRecord == other.ExportRecord && Description == other.Description && Keywords.SequenceEqual(other.Keywords)
        && Trl == other.Trl && MeetingCap == other.MeetingCap && UnavailableSlots.SequenceEqual(other.UnavailableSlots)
        && Contact == other.Contact && Language == other.Language && OptedOut == other.OptedOut;

    public override int GetHashCode() => HashCode.Combine(Id, BusinessNumber, Name, MeetingCap, Contact);
}

/// <summary>
/// A buyer as registered for one event, contacts included (only for the buyer itself and organisers). Two profiles are
/// equal when every value and every list item is (in order), as for <see cref="SmeProfile"/>.
/// </summary>
public sealed record BuyerProfile(long Id, string BuyerId, string Name, string? BusinessNumber, string? Kind, string? Sector,
    IReadOnlyList<string> KsicCodes, string? Region, int MeetingCap, int Tables, string? Hall, IReadOnlyList<string> UnavailableSlots,
    ContactDetails Contact, string Language, bool OptedOut)
{
    public bool Equals(BuyerProfile? other) =>
        other is not null && Id == other.Id && BuyerId == other.BuyerId && Name == other.Name && BusinessNumber == other.BusinessNumber
        && Kind == other.Kind && Sector == other.Sector && KsicCodes.SequenceEqual(other.KsicCodes) && Region == other.Region
        && MeetingCap == other.MeetingCap && Tables == other.Tables && Hall == other.Hall
        && UnavailableSlots.SequenceEqual(other.UnavailableSlots) && Contact == other.Contact && Language == other.Language
        && OptedOut == other.OptedOut;

    public override int GetHashCode() => HashCode.Combine(Id, BuyerId, Name, MeetingCap, Tables, Contact);
}

/// <summary>Who to reach at one participant of an event (organisers' list).</summary>
/// <param name="Kind">buyer or sme.</param>
public sealed record ParticipantContact(string Kind, long Id, string Name, ContactDetails Contact, string Language, bool OptedOut);

/// <summary>A new contact for one event: who to reach, in which language (ko/en), and whether to send mail at all.</summary>
public sealed record ContactChange(string? Name, string? Email, string? Mobile, string? Language, bool OptedOut);

/// <summary>
/// Reads and edits participants' per-event profiles (event_smes, event_buyers). The company's identity (business number,
/// buyer id) is shared by all its events; everything here is the one event's own, so an edit never reaches another event.
/// </summary>
public sealed class EventProfiles(Database database)
{
    public async Task<SmeProfile?> SmeAsync(long eventDbId, long smeId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadSmeAsync(connection, null, eventDbId, smeId);
    }

    public async Task<BuyerProfile?> BuyerAsync(long eventDbId, long buyerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadBuyerAsync(connection, null, eventDbId, buyerId);
    }

    /// <summary>The one reading of an event_smes row (the import compares with it to tell new, changed and unchanged).</summary>
    internal static async Task<SmeProfile?> ReadSmeAsync(DbConnection connection, DbTransaction? transaction, long eventDbId, long smeId) =>
        (await connection.QuerySingleOrDefaultAsync<SmeRow>("""
            SELECT s.id AS Id, s.business_number AS BusinessNumber, es.name AS Name, es.region AS Region, es.sector AS Sector,
                   es.employees AS Employees, es.revenue_band AS RevenueBand, es.ksic_codes AS KsicCodes, es.certifications AS Certifications,
                   es.export_record AS ExportRecord, es.description AS Description, es.keywords AS Keywords, es.trl AS Trl,
                   es.meeting_cap AS MeetingCap, es.unavailable_slots AS UnavailableSlots, es.contact_name AS ContactName,
                   es.contact_email AS ContactEmail, es.contact_mobile AS ContactMobile, es.language AS Language, es.opted_out AS OptedOut
            FROM event_smes es JOIN smes s ON s.id = es.sme_id
            WHERE es.event_id = @eventDbId AND es.sme_id = @smeId
            """, new { eventDbId, smeId }, transaction))?.ToProfile();

    /// <summary>The one reading of an event_buyers row (the import compares with it to tell new, changed and unchanged).</summary>
    internal static async Task<BuyerProfile?> ReadBuyerAsync(DbConnection connection, DbTransaction? transaction, long eventDbId, long buyerId) =>
        (await connection.QuerySingleOrDefaultAsync<BuyerRow>("""
            SELECT b.id AS Id, b.buyer_id AS BuyerId, eb.name AS Name, eb.business_number AS BusinessNumber, eb.kind AS Kind, eb.sector AS Sector,
                   eb.ksic_codes AS KsicCodes, eb.region AS Region, eb.meeting_cap AS MeetingCap, eb.tables AS Tables, eb.hall AS Hall,
                   eb.unavailable_slots AS UnavailableSlots, eb.contact_name AS ContactName, eb.contact_email AS ContactEmail,
                   eb.contact_mobile AS ContactMobile, eb.language AS Language, eb.opted_out AS OptedOut
            FROM event_buyers eb JOIN buyers b ON b.id = eb.buyer_id
            WHERE eb.event_id = @eventDbId AND eb.buyer_id = @buyerId
            """, new { eventDbId, buyerId }, transaction))?.ToProfile();

    /// <summary>Every participant's contact for the event, buyers first, each by name: what organisers phone or mail.</summary>
    public async Task<IReadOnlyList<ParticipantContact>> ContactsAsync(long eventDbId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ContactRow>("""
            SELECT 'buyer' AS Kind, buyer_id AS Id, name AS Name, contact_name AS ContactName, contact_email AS ContactEmail,
                   contact_mobile AS ContactMobile, language AS Language, opted_out AS OptedOut
            FROM event_buyers WHERE event_id = @eventDbId
            UNION ALL
            SELECT 'sme', sme_id, name, contact_name, contact_email, contact_mobile, language, opted_out
            FROM event_smes WHERE event_id = @eventDbId
            ORDER BY Kind, Name, Id
            """, new { eventDbId });
        return rows.Select(r => new ParticipantContact(r.Kind, r.Id, r.Name, r.Contact, r.Language, r.IsOptedOut)).ToList();
    }

    /// <summary>
    /// Checks a contact change with the import's rules; returns the problems by field (empty when it is good) and the
    /// change in normal form (trimmed, mobile in E.164, language defaulting to ko).
    /// </summary>
    public static (ContactChange Normal, IReadOnlyDictionary<string, string[]> Errors) Check(ContactChange change)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Blank(change.Name);
        if (name is { Length: > 50 }) errors["name"] = ["must be at most 50 characters"];
        var email = Blank(change.Email);
        if (email is not null && !EmailAddress.IsValid(email)) errors["email"] = [$"'{email}' is not an email address (expected name@example.com)"];
        string? mobile = null;
        if (Blank(change.Mobile) is { } written)
        {
            if (MobileNumber.TryParse(written, out var number, out var error)) mobile = number.E164;
            else errors["mobile"] = [error!];
        }
        var language = Blank(change.Language)?.ToLowerInvariant() ?? "ko";
        if (language is not ("ko" or "en")) errors["language"] = ["must be ko or en"];
        return (new ContactChange(name, email, mobile, language, change.OptedOut), errors);
    }

    /// <summary>Replaces the SME's contact for this event only; false when the SME does not take part in it.</summary>
    public Task<bool> SetSmeContactAsync(long eventDbId, long smeId, ContactChange normal, CancellationToken cancellationToken = default) =>
        SetContactAsync("""
            UPDATE event_smes SET contact_name = @Name, contact_email = @Email, contact_mobile = @Mobile, language = @Language, opted_out = @OptedOut
            WHERE event_id = @eventDbId AND sme_id = @id
            """, eventDbId, smeId, normal, cancellationToken);

    /// <summary>Replaces the buyer's contact for this event only; false when the buyer does not take part in it.</summary>
    public Task<bool> SetBuyerContactAsync(long eventDbId, long buyerId, ContactChange normal, CancellationToken cancellationToken = default) =>
        SetContactAsync("""
            UPDATE event_buyers SET contact_name = @Name, contact_email = @Email, contact_mobile = @Mobile, language = @Language, opted_out = @OptedOut
            WHERE event_id = @eventDbId AND buyer_id = @id
            """, eventDbId, buyerId, normal, cancellationToken);

    async Task<bool> SetContactAsync(string sql, long eventDbId, long id, ContactChange normal, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(sql, new { normal.Name, normal.Email, normal.Mobile, normal.Language, normal.OptedOut, eventDbId, id }) == 1;
        if (changed) await database.Changes.TouchAsync(eventDbId);
        return changed;
    }

    static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The contact columns event_smes and event_buyers both have, read the same way for either.</summary>
    abstract class ContactColumns
    {
        public string? ContactName { get; init; }
        public string? ContactEmail { get; init; }
        public string? ContactMobile { get; init; }
        public string Language { get; init; } = "ko";
        public long OptedOut { get; init; }

        public ContactDetails Contact => new(ContactName, ContactEmail, ContactMobile);
        public bool IsOptedOut => OptedOut != 0;
    }

    sealed class ContactRow : ContactColumns
    {
        public string Kind { get; init; } = "";
        public long Id { get; init; }
        public string Name { get; init; } = "";
    }

    sealed class SmeRow : ContactColumns
    {
        public long Id { get; init; }
        public string BusinessNumber { get; init; } = "";
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
        public long MeetingCap { get; init; }
        public string UnavailableSlots { get; init; } = "";

        public SmeProfile ToProfile() => new(Id, BusinessNumber, Name, Region, Sector, (int?)Employees, RevenueBand, Lists.Split(KsicCodes),
            Lists.Split(Certifications), ExportRecord is null ? null : ExportRecord != 0, Description, Lists.Split(Keywords), (int?)Trl,
            (int)MeetingCap, Lists.Split(UnavailableSlots), Contact, Language, IsOptedOut);
    }

    sealed class BuyerRow : ContactColumns
    {
        public long Id { get; init; }
        public string BuyerId { get; init; } = "";
        public string Name { get; init; } = "";
        public string? BusinessNumber { get; init; }
        public string? Kind { get; init; }
        public string? Sector { get; init; }
        public string KsicCodes { get; init; } = "";
        public string? Region { get; init; }
        public long MeetingCap { get; init; }
        public long Tables { get; init; }
        public string? Hall { get; init; }
        public string UnavailableSlots { get; init; } = "";

        public BuyerProfile ToProfile() => new(Id, BuyerId, Name, BusinessNumber, Kind, Sector, Lists.Split(KsicCodes), Region, (int)MeetingCap,
            (int)Tables, Hall, Lists.Split(UnavailableSlots), Contact, Language, IsOptedOut);
    }
}
