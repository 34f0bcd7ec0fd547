"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  let current = "", grid = null, etag = null, selected = null;
  const board = document.getElementById("board");

  /** A small padlock drawn in SVG (emoji fonts are not everywhere). */
  function lockIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    for (const [k, v] of Object.entries({ viewBox: "0 0 12 14", width: 11, height: 13, class: "lock", "aria-hidden": "true" })) svg.setAttribute(k, v);
    const body = document.createElementNS(ns, "rect");
    for (const [k, v] of Object.entries({ x: 1, y: 6, width: 10, height: 8, rx: 1.5, fill: "#0f2c4c" })) body.setAttribute(k, v);
    const shackle = document.createElementNS(ns, "path");
    for (const [k, v] of Object.entries({ d: "M3.5 6V4a2.5 2.5 0 0 1 5 0v2", fill: "none", stroke: "#0f2c4c", "stroke-width": 1.6 })) shackle.setAttribute(k, v);
    svg.append(body, shackle);
    return svg;
  }

  function colour(score, min, max) {
    const x = max > min ? (score - min) / (max - min) : 1;
    return `hsl(${Math.round(10 + x * 120)}, 70%, ${Math.round(86 - x * 10)}%)`;
  }

  async function load(keepSelection) {
    const r = await api("GET", `/api/events/${encodeURIComponent(current)}/timetable`);
    grid = r.ok ? r.data : null;
    etag = r.etag;
    if (!keepSelection) selected = null;
    render(r);
  }

  function render(r) {
    const stats = document.getElementById("board-stats");
    if (!grid) {
      board.replaceChildren(el("p", { class: "muted", style: { padding: "1rem" } }, r && r.status === 404 ? t("noTimetable") : problemText(r)));
      stats.replaceChildren();
      document.getElementById("publish").disabled = true;
      return;
    }
    const pct = g => g === null || g === undefined ? "–" : `${(g * 100).toFixed(2)}%`;
    stats.replaceChildren(...[
      ["statVersion", `v${grid.version}`], ["statStatus", t(`tt_${grid.status}`)], ["statMeetings", grid.meetingCount],
      ["statObjective", grid.objective.toFixed(2)], ["statBound", grid.upperBound === null ? "–" : grid.upperBound.toFixed(2)],
      ["statGap", pct(grid.gap)], ["statBelowMin", grid.smesBelowMin],
    ].map(([k, v]) => el("div", { id: k }, el("b", {}, v), t(k))));
    if (grid.diff) stats.append(el("div", { id: "statDiff" }, el("b", {}, `v${grid.basedOnVersion ?? "?"} →`),
      t("boardDiff", grid.diff.kept.length, grid.diff.moved.length, grid.diff.cancelled.length, grid.diff.added.length)));
    document.getElementById("publish").disabled = grid.status !== "draft";
    const scores = grid.meetings.map(m => m.score);
    const min = Math.min(...scores), max = Math.max(...scores);
    document.getElementById("legend").replaceChildren(el("span", {}, t("legendScore")),
      ...[0, .25, .5, .75, 1].map(x => el("span", {}, el("span", { class: "swatch", style: { background: colour(min + x * (max - min), min, max) } }), " ", (min + x * (max - min)).toFixed(2))),
      el("span", {}, " ", lockIcon(), " ", t("legendLocked")), el("span", {}, " ★ ", t("legendRequested")));
    const at = new Map(grid.meetings.map(m => [`${m.buyerId}|${m.table}|${m.slotCode}`, m]));
    const head = el("tr", {}, el("th", { scope: "col" }, t("colBuyerTable")), grid.slots.map(s => el("th", { scope: "col" }, s)));
    const body = [];
    for (const b of grid.buyers) for (let table = 1; table <= b.tables; table++) {
      body.push(el("tr", {}, el("th", { scope: "row" }, b.name, el("br"), el("span", { class: "muted" }, `${b.hall || ""} · ${t("tableN", table)}`)),
        grid.slots.map(slot => {
          const m = at.get(`${b.buyerId}|${table}|${slot}`);
          if (!m) return el("td", { class: "empty" });
          const label = `${m.smeName} — ${b.name}, ${slot}, ${t("tableN", table)}, ${t("score")} ${MM.fmtScore(m.score)}${m.locked ? ", " + t("legendLocked") : ""}${m.requested ? ", " + t("legendRequested") : ""}`;
          return el("td", {}, el("button", {
            type: "button", class: "meeting", title: label, "aria-label": label, "aria-pressed": selected === m.meetingId ? "true" : "false",
            dataset: { meetingId: m.meetingId, sme: m.smeName, locked: m.locked }, style: { background: colour(m.score, min, max) }, onclick: () => select(m),
          }, m.locked ? lockIcon() : "", m.locked ? " " : "", m.requested ? "★ " : "", m.smeName));
        })));
    }
    board.replaceChildren(el("table", { class: "board" }, el("caption", { id: "board-caption", class: "muted" }, t("boardCaption", grid.version)), el("thead", {}, head), el("tbody", {}, body)));
    const again = selected && grid.meetings.find(m => m.meetingId === selected);
    if (again) select(again, true);
  }

  function select(m, quiet) {
    selected = m.meetingId;
    board.querySelectorAll("button.meeting").forEach(b => b.setAttribute("aria-pressed", String(Number(b.dataset.meetingId) === m.meetingId)));
    document.getElementById("selected").textContent = t("selectedMeeting", m.smeName, m.buyerName, m.slotCode, m.table, MM.fmtScore(m.score));
    const slot = document.getElementById("move-slot");
    slot.replaceChildren(...grid.slots.map(s => el("option", { value: s }, s)));
    slot.value = m.slotCode;
    const buyer = grid.buyers.find(b => b.buyerId === m.buyerId);
    const table = document.getElementById("move-table");
    table.max = buyer ? buyer.tables : 1;
    table.value = m.table;
    document.getElementById("move-locked").checked = true; // a meeting placed by hand is locked unless the organiser says otherwise
    for (const id of ["move-slot", "move-table", "move-locked", "move-apply"]) document.getElementById(id).disabled = false;
    if (!quiet) show("move-message", "info", "");
  }

  document.getElementById("move-form").addEventListener("submit", async e => {
    e.preventDefault();
    if (!selected) return;
    const slot = document.getElementById("move-slot").value, table = Number(document.getElementById("move-table").value);
    const locked = document.getElementById("move-locked").checked;
    const r = await api("PUT", `/api/events/${encodeURIComponent(current)}/timetable/meetings/${selected}/lock`, { locked, slot, table }, { "If-Match": etag || "*" });
    if (r.ok) {
      await load(true);
      show("move-message", "ok", t("moved", slot, table, t(locked ? "lockedYes" : "lockedNo")));
    } else {
      show("move-message", "error", problemText(r));
      const field = r.data && r.data.field;
      if (field === "slot") document.getElementById("move-slot").focus();
      else if (field === "table") document.getElementById("move-table").focus();
      if (r.status === 412) await load(true);
    }
  });

  document.getElementById("build").addEventListener("click", async () => {
    const r = await api("POST", `/api/events/${encodeURIComponent(current)}/timetable`);
    if (!r.ok) { show("board-message", "error", problemText(r)); return; }
    const done = await MM.waitForJob(r.data.jobId, job => show("board-message", "info", t("jobProgress", t(`job_${job.state}`), Math.round(job.progress * 100))));
    if (done.ok && done.data.state === "succeeded") { show("board-message", "ok", t("draftBuilt")); await load(); }
    else show("board-message", "error", done.ok ? done.data.message : problemText(done));
  });

  document.getElementById("publish").addEventListener("click", async () => {
    if (!grid) return;
    const r = await api("POST", `/api/events/${encodeURIComponent(current)}/timetable/publish`, { version: grid.version }, { "If-Match": etag || "*" });
    show("board-message", r.ok ? "ok" : "error", r.ok ? t("published", grid.version) : problemText(r));
    await load(true);
  });

  function exportLinks() {
    const base = `/api/events/${encodeURIComponent(current)}/timetable`;
    const set = (id, href) => { const a = document.getElementById(id); a.href = href; a.setAttribute("download", ""); };
    set("export-xlsx-buyer", `${base}/export.xlsx?by=buyer&lang=${MM.lang}`);
    set("export-xlsx-sme", `${base}/export.xlsx?by=sme&lang=${MM.lang}`);
    set("export-csv-buyer", `${base}/export.csv?by=buyer&lang=${MM.lang}`);
  }

  await MM.eventPicker(document.getElementById("event"), id => { current = id; exportLinks(); load(); });
});
