"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  let current = "", grid = null, repaired = null;
  const select = document.getElementById("meeting");

  async function load() {
    const r = await api("GET", `/api/events/${encodeURIComponent(current)}/timetable`);
    grid = r.ok ? r.data : null;
    document.getElementById("day-status").textContent = grid ? t("dayStatus", grid.version, t(`tt_${grid.status}`), grid.meetingCount) : t("noTimetable");
    fill();
  }

  function fill() {
    const q = document.getElementById("meeting-filter").value.trim().toLowerCase();
    const meetings = (grid ? grid.meetings : []).filter(m => !q || m.smeName.toLowerCase().includes(q) || m.buyerName.toLowerCase().includes(q));
    const bySlot = new Map();
    for (const m of meetings) { if (!bySlot.has(m.slotCode)) bySlot.set(m.slotCode, []); bySlot.get(m.slotCode).push(m); }
    select.replaceChildren(...(grid ? grid.slots : []).filter(s => bySlot.has(s)).map(s => el("optgroup", { label: s },
      bySlot.get(s).map(m => el("option", { value: m.meetingId }, `${s} · ${m.buyerName} ${t("tableN", m.table)} · ${m.smeName}`)))));
  }

  function party(id, kind) {
    const told = kind === "sme" ? diffNames.smes : diffNames.buyers;
    if (told.has(id)) return told.get(id);
    const m = grid.meetings.find(x => kind === "sme" ? x.smeId === id : x.buyerId === id);
    return m ? (kind === "sme" ? m.smeName : m.buyerName) : `#${id}`;
  }

  let diffNames = { smes: new Map(), buyers: new Map() };
  function renderDiff(diff) {
    diffNames = { smes: new Map(diff.notifySmes.map(p => [p.id, p.name])), buyers: new Map(diff.notifyBuyers.map(p => [p.id, p.name])) };
    const counts = [["kept", diff.kept.length], ["moved", diff.moved.length], ["cancelled", diff.cancelled.length], ["added", diff.added.length],
      ["notifySmes", diff.notifySmes.length], ["notifyBuyers", diff.notifyBuyers.length]];
    document.getElementById("diff-counts").replaceChildren(...counts.map(([k, v]) => el("div", { id: `count-${k}` }, el("b", {}, v), t(`diff_${k}`))));
    const line = m => `${m.slot} · ${party(m.buyerId, "buyer")} ${t("tableN", m.table)} · ${party(m.smeId, "sme")}`;
    const lists = document.getElementById("diff-lists");
    lists.replaceChildren();
    const list = (key, items, f) => { if (items.length) lists.append(el("h3", {}, t(`diff_${key}`)), el("ul", { id: `list-${key}` }, items.map(x => el("li", {}, f(x))))); };
    // The reasons are the API's own text, in the page's language (the catalogue is the one copy).
    const why = x => x.reasonText || x.reason ? ` (${x.reasonText || x.reason})` : "";
    list("moved", diff.moved, x => `${line(x.from)} → ${x.to.slot} ${t("tableN", x.to.table)}${why(x)}`);
    list("cancelled", diff.cancelled, x => `${line(x.meeting)}${why(x)}`);
    list("added", diff.added, line);
    list("notifySmes", diff.notifySmes, p => p.name);
    list("notifyBuyers", diff.notifyBuyers, p => p.name);
  }

  document.getElementById("meeting-filter").addEventListener("input", fill);
  document.getElementById("change-form").addEventListener("submit", async e => {
    e.preventDefault();
    const m = grid && grid.meetings.find(x => x.meetingId === Number(select.value));
    if (!m) { show("change-message", "error", t("chooseMeeting")); return; }
    const who = document.getElementById("who").value, what = document.getElementById("what").value;
    const change = { kind: what, ...(who === "sme" ? { smeId: m.smeId } : { buyerId: m.buyerId }), ...(what === "no_show" ? { slot: m.slotCode } : {}) };
    show("confirm-message", "info", "");
    const r = await api("POST", `/api/events/${encodeURIComponent(current)}/timetable/repairs`, { changes: [change] }, { "Idempotency-Key": crypto.randomUUID?.() || String(Date.now()) });
    if (!r.ok) { show("change-message", "error", problemText(r)); return; }
    repaired = { version: r.data.version.version, etag: r.etag };
    show("change-message", "ok", t("repairReady", repaired.version));
    renderDiff(r.data.diff);
    document.getElementById("diff").hidden = false;
    document.getElementById("confirm").disabled = false;
    document.getElementById("diff-title").focus?.();
  });
  document.getElementById("confirm").addEventListener("click", async () => {
    if (!repaired) return;
    const r = await api("POST", `/api/events/${encodeURIComponent(current)}/timetable/publish`, { version: repaired.version }, { "If-Match": repaired.etag || "*" });
    show("confirm-message", r.ok ? "ok" : "error", r.ok ? t("published", repaired.version) : problemText(r));
    if (r.ok) { document.getElementById("confirm").disabled = true; repaired = null; await load(); }
  });
  await MM.eventPicker(document.getElementById("event"), id => { current = id; document.getElementById("diff").hidden = true; load(); });
});
