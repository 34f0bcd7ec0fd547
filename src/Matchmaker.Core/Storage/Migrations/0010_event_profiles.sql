-- Per-event profiles (issue 10 item 3, issue 14 item 1). A company's identity is global and lasts across events: an SME
-- is its business number, a buyer its buyer id, and the recommender learns from the history tied to that identity. What
-- a company registered for one event (name, description, keywords, codes, contacts, language, opt-out, caps,
-- availability) is that event's own and lives on the event row, so an import or an edit in one event never changes what
-- another event shows. Every value moves from the global row to every event row of the company (existing stores show
-- what they showed); the global rows keep only the identity. An SME or buyer taking part in no event keeps only its
-- identity (the importer never writes one: it always writes the event row with the company).
-- contact_phone becomes contact_mobile, in one normal form (E.164, +821012345678); stored numbers in the usual Korean
-- mobile forms are normalised here, anything else is kept as written (the importer never wrote it normalised).

ALTER TABLE event_smes ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN region TEXT;
ALTER TABLE event_smes ADD COLUMN sector TEXT;
ALTER TABLE event_smes ADD COLUMN employees INTEGER;
ALTER TABLE event_smes ADD COLUMN revenue_band TEXT;
ALTER TABLE event_smes ADD COLUMN ksic_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN certifications TEXT NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN export_record INTEGER;
ALTER TABLE event_smes ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN trl INTEGER;
ALTER TABLE event_smes ADD COLUMN contact_name TEXT;
ALTER TABLE event_smes ADD COLUMN contact_email TEXT;
ALTER TABLE event_smes ADD COLUMN contact_mobile TEXT;
ALTER TABLE event_smes ADD COLUMN language TEXT NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en'));
ALTER TABLE event_smes ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;

UPDATE event_smes SET (name, region, sector, employees, revenue_band, ksic_codes, certifications, export_record, description, keywords,
                       trl, contact_name, contact_email, contact_mobile, language, opted_out) =
    (SELECT s.name, s.region, s.sector, s.employees, s.revenue_band, s.ksic_codes, s.certifications, s.export_record, s.description,
            s.keywords, s.trl, s.contact_name, s.contact_email, s.contact_phone, s.language, s.opted_out
     FROM smes s WHERE s.id = event_smes.sme_id);

ALTER TABLE event_buyers ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE event_buyers ADD COLUMN business_number TEXT;
ALTER TABLE event_buyers ADD COLUMN kind TEXT;
ALTER TABLE event_buyers ADD COLUMN sector TEXT;
ALTER TABLE event_buyers ADD COLUMN ksic_codes TEXT NOT NULL DEFAULT '';
ALTER TABLE event_buyers ADD COLUMN region TEXT;
ALTER TABLE event_buyers ADD COLUMN contact_name TEXT;
ALTER TABLE event_buyers ADD COLUMN contact_email TEXT;
ALTER TABLE event_buyers ADD COLUMN contact_mobile TEXT;
ALTER TABLE event_buyers ADD COLUMN language TEXT NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en'));
ALTER TABLE event_buyers ADD COLUMN opted_out INTEGER NOT NULL DEFAULT 0;

UPDATE event_buyers SET (name, business_number, kind, sector, ksic_codes, region, contact_name, contact_email, contact_mobile, language, opted_out) =
    (SELECT b.name, b.business_number, b.kind, b.sector, b.ksic_codes, b.region, b.contact_name, b.contact_email, b.contact_phone,
            b.language, b.opted_out
     FROM buyers b WHERE b.id = event_buyers.buyer_id);

-- 010-1234-5678, 010 1234 5678, 01012345678 and +82 10-1234-5678 → +821012345678.
CREATE TEMP TABLE mobile_forms AS
    SELECT DISTINCT contact_mobile AS written,
           replace(replace(replace(replace(replace(contact_mobile, '-', ''), ' ', ''), '.', ''), '(', ''), ')', '') AS digits
    FROM (SELECT contact_mobile FROM event_smes UNION SELECT contact_mobile FROM event_buyers)
    WHERE contact_mobile IS NOT NULL;
UPDATE event_smes SET contact_mobile =
    (SELECT CASE WHEN f.digits GLOB '010[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN '+82' || substr(f.digits, 2)
                 WHEN f.digits GLOB '+8210[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN f.digits
                 ELSE f.written END
     FROM mobile_forms f WHERE f.written = event_smes.contact_mobile)
WHERE contact_mobile IS NOT NULL;
UPDATE event_buyers SET contact_mobile =
    (SELECT CASE WHEN f.digits GLOB '010[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN '+82' || substr(f.digits, 2)
                 WHEN f.digits GLOB '+8210[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' THEN f.digits
                 ELSE f.written END
     FROM mobile_forms f WHERE f.written = event_buyers.contact_mobile)
WHERE contact_mobile IS NOT NULL;
DROP TABLE temp.mobile_forms;

ALTER TABLE smes DROP COLUMN name;
ALTER TABLE smes DROP COLUMN region;
ALTER TABLE smes DROP COLUMN sector;
ALTER TABLE smes DROP COLUMN employees;
ALTER TABLE smes DROP COLUMN revenue_band;
ALTER TABLE smes DROP COLUMN ksic_codes;
ALTER TABLE smes DROP COLUMN certifications;
ALTER TABLE smes DROP COLUMN export_record;
ALTER TABLE smes DROP COLUMN description;
ALTER TABLE smes DROP COLUMN keywords;
ALTER TABLE smes DROP COLUMN trl;
ALTER TABLE smes DROP COLUMN contact_name;
ALTER TABLE smes DROP COLUMN contact_email;
ALTER TABLE smes DROP COLUMN contact_phone;
ALTER TABLE smes DROP COLUMN language;
ALTER TABLE smes DROP COLUMN opted_out;

ALTER TABLE buyers DROP COLUMN name;
ALTER TABLE buyers DROP COLUMN business_number;
ALTER TABLE buyers DROP COLUMN kind;
ALTER TABLE buyers DROP COLUMN sector;
ALTER TABLE buyers DROP COLUMN ksic_codes;
ALTER TABLE buyers DROP COLUMN region;
ALTER TABLE buyers DROP COLUMN contact_name;
ALTER TABLE buyers DROP COLUMN contact_email;
ALTER TABLE buyers DROP COLUMN contact_phone;
ALTER TABLE buyers DROP COLUMN language;
ALTER TABLE buyers DROP COLUMN opted_out;
