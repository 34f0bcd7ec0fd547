"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  const ctx = await MM.start({ requireRole: ["buyer"] });
  if (!ctx) return;
  const ev = encodeURIComponent(ctx.eventId), buyer = ctx.buyerId;
  document.getElementById("who").textContent = ctx.name;
  document.getElementById("event-name").textContent = ctx.eventName;

  /** The SME's public profile as the inbox carries it (lists arrive as "a; b" text). */
  function profile(s) {
    if (!s) return null;
    const list = text => (text || "").split(/[;,|\n]/).map(x => x.trim()).filter(Boolean).join(", ");
    return el("dl", { class: "kv" },
      el("dt", {}, t("pSector")), el("dd", {}, s.sector || "–"),
      el("dt", {}, t("pRegion")), el("dd", {}, s.region || "–"),
      el("dt", {}, t("pEmployees")), el("dd", {}, s.employees ?? "–"),
      el("dt", {}, t("pCerts")), el("dd", {}, list(s.certifications) || "–"),
      el("dt", {}, t("pKeywords")), el("dd", {}, list(s.keywords) || "–"),
      el("dt", {}, t("pExport")), el("dd", {}, s.exportRecord === null ? "–" : t(s.exportRecord ? "yes" : "no")),
      el("dt", {}, t("pAbout")), el("dd", {}, (s.description || "").slice(0, 240)));
  }

  async function loadInbox() {
    const r = await api("GET", `/api/events/${ev}/buyers/${buyer}/requests`);
    if (!r.ok) { show("inbox-message", "error", problemText(r)); return; }
    const order = { pending: 0, accepted: 1 };
    const items = [...r.data].sort((a, b) => (order[a.state] ?? 2) - (order[b.state] ?? 2) || a.priority - b.priority);
    document.getElementById("inbox").replaceChildren(...(items.length ? items.map(q => {
      const reasonId = `reason-${q.requestId}`;
      return el("li", { class: "request", dataset: { requestId: q.requestId, state: q.state } },
        el("h3", {}, q.smeName, " ", MM.stateBadge(q.state)),
        el("div", { class: "muted" }, t("priorityN", q.priority), q.demandTitle ? ` · ${q.demandTitle}` : ""),
        q.pitch ? el("blockquote", {}, q.pitch) : null,
        q.score !== null && q.score !== undefined ? el("div", {}, el("span", { class: "badge score" }, `${t("score")} ${(q.score * 100).toFixed(0)}`)) : null,
        profile(q.sme),
        MM.explain(q.explanation),
        q.state === "pending" ? el("div", {},
          // The server offers the slots the availability rule leaves free for this SME and this buyer (once published).
          q.freeSlots ? el("div", {}, el("label", { for: `slot-${q.requestId}` }, t("bookSlot")),
            el("select", { id: `slot-${q.requestId}`, class: "book-slot" }, el("option", { value: "" }, t("bookLater")),
              q.freeSlots.map(f => el("option", { value: f.code }, `${f.code} · ${MM.fmt.dateTime(f.localStart, false)}`)))) : null,
          el("div", { class: "actions" }, el("button", { type: "button", class: "accept", "aria-label": t("acceptFrom", q.smeName),
            onclick: () => decide(q, "accept", document.getElementById(`slot-${q.requestId}`)?.value || null) }, t("accept"))),
          el("label", { for: reasonId }, t("declineReason")),
          el("textarea", { id: reasonId, maxlength: 500 }),
          el("div", { class: "actions" }, el("button", { type: "button", class: "danger decline", "aria-label": t("declineFrom", q.smeName), onclick: () => decide(q, "decline", document.getElementById(reasonId).value) }, t("decline"))))
          : q.decisionReason ? el("p", { class: "muted" }, `${t("reason")}: ${q.decisionReason}`) : null);
    }) : [el("li", { class: "muted" }, t("inboxEmpty"))]));
  }

  /** Accepts (value = a slot to book, or null) or declines (value = the reason). */
  async function decide(q, how, value) {
    const r = await api("POST", `/api/events/${ev}/buyers/${buyer}/requests/${q.requestId}/${how}`, how === "decline" ? { reason: value } : { slot: value || null });
    show("inbox-message", r.ok ? "ok" : "error", r.ok ? (how === "accept" && value ? t("acceptedBooked", q.smeName, value) : t(how === "accept" ? "accepted" : "declined", q.smeName)) : problemText(r));
    if (r.ok && how === "accept" && value) await loadAgenda();
    await loadInbox();
    document.getElementById("inbox-message").focus?.();
  }

  async function loadAgenda() {
    const r = await api("GET", `/api/events/${ev}/buyers/${buyer}/agenda`);
    const meetings = r.ok ? r.data.tables.flatMap(tb => tb.meetings.map(m => ({ ...m, table: tb.table, hall: r.data.hall })))
      .sort((a, b) => a.localStart.localeCompare(b.localStart) || a.table - b.table) : [];
    document.getElementById("agenda").replaceChildren(...(meetings.length ? meetings.map(outcomeCard) : [el("li", { class: "muted" }, t("noMeetingsYet"))]));
    if (r.ok) {
      const links = document.getElementById("agenda-links");
      links.hidden = false;
      document.getElementById("agenda-ics").href = `/api/events/${ev}/buyers/${buyer}/agenda.ics`;
      document.getElementById("agenda-html").href = `/api/events/${ev}/buyers/${buyer}/agenda.html?lang=${MM.lang}`;
    }
  }

  function outcomeCard(m) {
    const id = s => `${s}-${m.meetingId}`;
    const status = el("select", { id: id("status") }, ["held", "no_show"].map(s => el("option", { value: s }, t(`state_${s}`))));
    const rating = el("select", { id: id("rating") }, [5, 4, 3, 2, 1].map(n => el("option", { value: n }, `${n} ${"★".repeat(n)}`)));
    const follow = el("select", { id: id("follow") }, ["none", "sample", "site_visit", "nda", "contract"].map(f => el("option", { value: f }, t(`follow_${f}`))));
    const amount = el("input", { id: id("amount"), type: "number", min: 0, step: 1000000, inputmode: "numeric" });
    if (m.status === "held" || m.status === "no_show") status.value = m.status;
    const message = el("div", { hidden: true });
    const details = el("div", {}, el("label", { for: id("rating") }, t("fRating")), rating, el("label", { for: id("follow") }, t("fFollowUp")), follow,
      el("label", { for: id("amount") }, t("fContract")), amount);
    const sync = () => { details.hidden = status.value !== "held"; };
    status.addEventListener("change", sync);
    sync();
    const form = el("form", { class: "outcome" }, el("label", { for: id("status") }, t("fOutcome")), status, details,
      el("div", { class: "actions" }, el("button", { type: "submit" }, t("saveOutcome"))), message);
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const body = status.value === "held"
        ? { status: "held", rating: Number(rating.value), followUp: follow.value, contractKrw: follow.value === "contract" && amount.value !== "" ? Number(amount.value) : null }
        : { status: "no_show" };
      const r = await api("POST", `/api/events/${ev}/meetings/${m.meetingId}/outcome`, body);
      show(message, r.ok ? "ok" : "error", r.ok ? t("outcomeSaved") : problemText(r));
    });
    return el("li", { class: "meeting", id: `meeting-${m.meetingId}`, dataset: { meetingId: m.meetingId, status: m.status } },
      el("h3", {}, `${MM.fmt.span(m.localStart, m.localEnd)} · ${m.sme.name}`),
      m.score !== null && m.score !== undefined ? el("span", { class: "badge score" }, `${t("score")} ${(m.score * 100).toFixed(0)}`) : null,
      el("div", { class: "muted" }, t("placeLine", m.hall || "–", m.table), " ", MM.stateBadge(m.status)),
      m.status === "cancelled" ? null : form);
  }

  await loadAgenda();
  // The outcome mail links to /buyer#meeting-<id>: the card is drawn after the page loaded, so scroll to it now.
  if (location.hash.startsWith("#meeting-")) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  await loadInbox();
  await MM.contactForm(`/api/events/${ev}/buyers/${buyer}`);
});
