-- Per-event profiles (issue 10 item 3, issue 14 item 1); see the SQLite script of the same number for the why. A
-- company's identity stays global; what it registered for one event moves to that event's row. contact_phone becomes
-- contact_mobile, normalised to E.164 (+821012345678) where it is in a usual Korean mobile form.

ALTER TABLE event_smes ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN region text;
ALTER TABLE event_smes ADD COLUMN sector text;
ALTER TABLE event_smes ADD COLUMN employees bigint;
ALTER TABLE event_smes ADD COLUMN revenue_band text;
ALTER TABLE event_smes ADD COLUMN ksic_codes text NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN certifications text NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN export_record bigint;
ALTER TABLE event_smes ADD COLUMN description text NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN keywords text NOT NULL DEFAULT '';
ALTER TABLE event_smes ADD COLUMN trl bigint;
ALTER TABLE event_smes ADD COLUMN contact_name text;
ALTER TABLE event_smes ADD COLUMN contact_email text;
ALTER TABLE event_smes ADD COLUMN contact_mobile text;
ALTER TABLE event_smes ADD COLUMN language text NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en'));
ALTER TABLE event_smes ADD COLUMN opted_out boolean NOT NULL DEFAULT FALSE;

UPDATE event_smes SET (name, region, sector, employees, revenue_band, ksic_codes, certifications, export_record, description, keywords,
                       trl, contact_name, contact_email, contact_mobile, language, opted_out) =
    (SELECT s.name, s.region, s.sector, s.employees, s.revenue_band, s.ksic_codes, s.certifications, s.export_record, s.description,
            s.keywords, s.trl, s.contact_name, s.contact_email, s.contact_phone, s.language, s.opted_out
     FROM smes s WHERE s.id = event_smes.sme_id);

ALTER TABLE event_buyers ADD COLUMN name text NOT NULL DEFAULT '';
ALTER TABLE event_buyers ADD COLUMN business_number text;
ALTER TABLE event_buyers ADD COLUMN kind text;
ALTER TABLE event_buyers ADD COLUMN sector text;
ALTER TABLE event_buyers ADD COLUMN ksic_codes text NOT NULL DEFAULT '';
ALTER TABLE event_buyers ADD COLUMN region text;
ALTER TABLE event_buyers ADD COLUMN contact_name text;
ALTER TABLE event_buyers ADD COLUMN contact_email text;
ALTER TABLE event_buyers ADD COLUMN contact_mobile text;
ALTER TABLE event_buyers ADD COLUMN language text NOT NULL DEFAULT 'ko' CHECK (language IN ('ko', 'en'));
ALTER TABLE event_buyers ADD COLUMN opted_out boolean NOT NULL DEFAULT FALSE;

UPDATE event_buyers SET (name, business_number, kind, sector, ksic_codes, region, contact_name, contact_email, contact_mobile, language, opted_out) =
    (SELECT b.name, b.business_number, b.kind, b.sector, b.ksic_codes, b.region, b.contact_name, b.contact_email, b.contact_phone,
            b.language, b.opted_out
     FROM buyers b WHERE b.id = event_buyers.buyer_id);

-- 010-1234-5678, 010 1234 5678, 01012345678 and +82 10-1234-5678 → +821012345678.
UPDATE event_smes SET contact_mobile = CASE
        WHEN translate(contact_mobile, '- .()', '') ~ '^010[0-9]{8}$' THEN '+82' || substr(translate(contact_mobile, '- .()', ''), 2)
        WHEN translate(contact_mobile, '- .()', '') ~ '^\+8210[0-9]{8}$' THEN translate(contact_mobile, '- .()', '')
        ELSE contact_mobile END
WHERE contact_mobile IS NOT NULL;
UPDATE event_buyers SET contact_mobile = CASE
        WHEN translate(contact_mobile, '- .()', '') ~ '^010[0-9]{8}$' THEN '+82' || substr(translate(contact_mobile, '- .()', ''), 2)
        WHEN translate(contact_mobile, '- .()', '') ~ '^\+8210[0-9]{8}$' THEN translate(contact_mobile, '- .()', '')
        ELSE contact_mobile END
WHERE contact_mobile IS NOT NULL;

ALTER TABLE smes DROP COLUMN name, DROP COLUMN region, DROP COLUMN sector, DROP COLUMN employees, DROP COLUMN revenue_band,
    DROP COLUMN ksic_codes, DROP COLUMN certifications, DROP COLUMN export_record, DROP COLUMN description, DROP COLUMN keywords,
    DROP COLUMN trl, DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN contact_phone, DROP COLUMN language,
    DROP COLUMN opted_out;

ALTER TABLE buyers DROP COLUMN name, DROP COLUMN business_number, DROP COLUMN kind, DROP COLUMN sector, DROP COLUMN ksic_codes,
    DROP COLUMN region, DROP COLUMN contact_name, DROP COLUMN contact_email, DROP COLUMN contact_phone, DROP COLUMN language,
    DROP COLUMN opted_out;
