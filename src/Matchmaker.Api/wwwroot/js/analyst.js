"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["analyst", "organiser"] })) return;
  const components = ["text", "industry", "certification", "region", "size", "export", "relationship", "collaborative"];
  const metrics = [["ndcgPerSme", true], ["ndcgPerBuyer", true], ["precisionPerSme", true], ["recallPerSme", true],
    ["smeCoverage", true], ["buyerCoverage", true], ["exposureGini", false]];
  let profiles = [], timer = null, running = 0;

  const evs = (await api("GET", "/api/events")).data || [];
  document.getElementById("events").replaceChildren(...evs.map((e, i) => el("label", { class: "inline", for: `ev-${e.eventId}` },
    el("input", { type: "checkbox", id: `ev-${e.eventId}`, value: e.eventId, class: "ev", checked: i > 0 }), `${e.name} (${e.eventId})`)));
  const sliders = document.getElementById("sliders");
  sliders.replaceChildren(...components.map(c => el("div", { class: "slider" },
    el("label", { for: `w-${c}` }, t(`w_${c}`), " ", el("output", { id: `o-${c}`, for: `w-${c}` })),
    el("input", { type: "range", id: `w-${c}`, min: 0, max: 1, step: 0.01, dataset: { component: c },
      oninput: e => { document.getElementById(`o-${c}`).textContent = Number(e.target.value).toFixed(2); schedule(); } }))));

  async function loadProfiles() {
    profiles = (await api("GET", "/api/weight-profiles")).data || [];
    const a = document.getElementById("profile-a"), keep = a.value;
    a.replaceChildren(...profiles.map(p => el("option", { value: p.id }, `${p.name} v${p.version}`)));
    if (keep && profiles.some(p => String(p.id) === keep)) a.value = keep;
  }
  function resetToA() {
    const p = profiles.find(x => String(x.id) === document.getElementById("profile-a").value);
    if (!p) return;
    for (const c of components) {
      document.getElementById(`w-${c}`).value = p.weights[c];
      document.getElementById(`o-${c}`).textContent = Number(p.weights[c]).toFixed(2);
    }
    document.getElementById("cold-start").value = p.coldStart || "weights";
  }

  /** Which model scored each pair of an SME: the profile's weights, or (cold pairs) the learned pair model. */
  async function loadSmes(eventId) {
    const smes = await MM.allSmes(eventId);
    const select = document.getElementById("pair-sme");
    select.replaceChildren(...smes.map(s => el("option", { value: s.id }, `${s.name} (${s.businessNumber})`)));
    await loadPairs();
  }
  async function loadPairs() {
    const eventId = document.getElementById("pair-event").value, smeId = document.getElementById("pair-sme").value;
    const table = document.getElementById("pairs"), run = document.getElementById("pair-run");
    if (!eventId || !smeId) { table.replaceChildren(); return; }
    const r = await api("GET", `/api/events/${encodeURIComponent(eventId)}/smes/${smeId}/matches?top=20`);
    if (!r.ok) { run.textContent = r.status === 404 ? t("notScored") : problemText(r); table.replaceChildren(); return; }
    run.textContent = t("pairRun", `${r.data.profile.name} v${r.data.profile.version}`, r.data.pairModelId ?? t("noPairModel"));
    table.replaceChildren(
      el("thead", {}, el("tr", {}, ["#", t("pairBuyer"), t("pairScore"), t("pairModel"), t("pairWhy")].map(h => el("th", { scope: "col" }, h)))),
      el("tbody", {}, r.data.items.map(m => el("tr", { dataset: { scoredBy: m.explanation.scoredBy } },
        el("td", {}, String(m.rank)), el("td", {}, m.name), el("td", {}, m.score.toFixed(3)),
        el("td", { class: "scored-by" }, MM.tOr(`sb_${m.explanation.scoredBy}`, m.explanation.scoredBy)), el("td", {}, MM.explain(m.explanation))))));
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(evaluate, 700); }

  async function evaluate() {
    const eventIds = [...document.querySelectorAll("input.ev:checked")].map(x => x.value);
    const a = profiles.find(x => String(x.id) === document.getElementById("profile-a").value);
    if (!a || eventIds.length === 0) { show("eval-message", "error", t("chooseEvents")); return; }
    const mine = ++running;
    show("eval-message", "info", t("recomputing"));
    const weights = Object.fromEntries(components.map(c => [c, Number(document.getElementById(`w-${c}`).value)]));
    const coldStart = document.getElementById("cold-start").value;
    const name = document.getElementById("profile-name").value.trim();
    const k = Number(document.getElementById("k").value);
    // Tried out without saving: only "Save as a profile" writes a new version.
    const r = await api("POST", "/api/evaluations", { eventIds, profileIds: [a.id], weights: [{ name, weights, coldStart }], k });
    if (mine !== running) return; // a newer computation is on its way
    if (!r.ok) { show("eval-message", "error", problemText(r)); return; }
    const nameA = `${a.name} v${a.version}`, nameB = `${name} (unsaved)`;
    const mean = (ranking, m) => { const rows = r.data.results.filter(x => x.ranking === ranking); return rows.reduce((s, x) => s + x.metrics[m], 0) / Math.max(1, rows.length); };
    const columns = [[nameA, "A"], [nameB, "B"], ["popularity", null], ["content-only", null], ["cf-only", null]];
    document.getElementById("metrics").replaceChildren(
      el("caption", {}, t("metricsCaption", k, eventIds.join(", "))),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("metric")), columns.map(([n, tag]) => el("th", { scope: "col" }, tag ? `${tag}: ${n}` : t(`rk_${n}`))))),
      el("tbody", {}, metrics.map(([m]) => el("tr", { dataset: { metric: m } }, el("th", { scope: "row" }, t(`m_${m}`)), columns.map(([n]) => el("td", {}, mean(n, m).toFixed(3)))))));
    chart(metrics.map(([m, up]) => ({ label: t(`m_${m}`), a: mean(nameA, m), b: mean(nameB, m), up })), nameA, nameB);
    show("eval-message", "ok", t("recomputed", nameB));
  }

  async function save() {
    const weights = Object.fromEntries(components.map(c => [c, Number(document.getElementById(`w-${c}`).value)]));
    const saved = await api("POST", "/api/weight-profiles", { name: document.getElementById("profile-name").value.trim(), description: "analyst page", weights,
      coldStart: document.getElementById("cold-start").value });
    if (!saved.ok) { show("eval-message", "error", problemText(saved)); return; }
    show("eval-message", "ok", t("savedProfile", `${saved.data.name} v${saved.data.version}`));
    await loadProfiles();
  }

  /** Grouped bars, A beside B, per metric: inline SVG, no library. */
  function chart(rows, nameA, nameB) {
    const ns = "http://www.w3.org/2000/svg", W = 640, rowH = 40, left = 190, H = rows.length * rowH + 40;
    const svg = document.createElementNS(ns, "svg");
    const attrs = (e, a) => { for (const [k, v] of Object.entries(a)) e.setAttribute(k, v); return e; };
    attrs(svg, { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", id: "compare-chart", "aria-label": t("chartLabel", nameA, nameB) });
    const text = (x, y, s, extra = {}) => { const e = attrs(document.createElementNS(ns, "text"), { x, y, "font-size": 12, ...extra }); e.textContent = s; return e; };
    rows.forEach((r, i) => {
      const y = 10 + i * rowH;
      svg.append(text(0, y + 20, r.label + (r.up ? "" : " ↓")));
      [[r.a, "#8aa4c2", 0], [r.b, "#0b5cad", 1]].forEach(([v, colour, j]) => {
        svg.append(attrs(document.createElementNS(ns, "rect"), { x: left, y: y + j * 16, width: Math.max(1, (W - left - 60) * v), height: 14, fill: colour, class: j ? "bar-b" : "bar-a" }));
        svg.append(text(left + (W - left - 60) * v + 4, y + j * 16 + 11, v.toFixed(3), { "font-size": 11 }));
      });
    });
    const ly = H - 14;
    svg.append(attrs(document.createElementNS(ns, "rect"), { x: left, y: ly - 10, width: 12, height: 12, fill: "#8aa4c2" }), text(left + 16, ly, `A: ${nameA}`),
      attrs(document.createElementNS(ns, "rect"), { x: left + 200, y: ly - 10, width: 12, height: 12, fill: "#0b5cad" }), text(left + 216, ly, `B: ${nameB}`));
    document.getElementById("chart").replaceChildren(svg);
  }

  await loadProfiles();
  resetToA();
  await MM.eventPicker(document.getElementById("pair-event"), id => loadSmes(id));
  document.getElementById("pair-sme").addEventListener("change", loadPairs);
  document.getElementById("profile-a").addEventListener("change", () => { resetToA(); schedule(); });
  document.getElementById("k").addEventListener("change", schedule);
  document.getElementById("events").addEventListener("change", schedule);
  document.getElementById("reset").addEventListener("click", () => { resetToA(); schedule(); });
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("weights-form").addEventListener("submit", e => { e.preventDefault(); clearTimeout(timer); evaluate(); });
});
