-- Meetings looked up by the participants they join: a request's meeting in the buyer's inbox and the SME's request
-- list (event, SME, buyer), an SME's itinerary (event, SME) and a buyer's agenda (event, buyer). Before these, each
-- such lookup read every meeting of the event (over a thousand at an expo) once per request listed.
-- Indexes only: no data to carry over.

CREATE INDEX ix_meetings_event_sme_buyer ON meetings (event_id, sme_id, buyer_id);
CREATE INDEX ix_meetings_event_buyer ON meetings (event_id, buyer_id);
