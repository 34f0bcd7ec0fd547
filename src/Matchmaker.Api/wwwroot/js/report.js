"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser", "analyst"] })) return;
  const ns = "http://www.w3.org/2000/svg";
  const svgEl = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
  const colours = ["#0b5cad", "#2f9e6b", "#d9822b", "#b42318", "#8aa4c2"];

  /** Horizontal bars, one row per label, one bar per series; inline SVG. */
  function hbars(id, rows, series) {
    const W = 640, left = 170, barH = 14, rowH = series.length * (barH + 2) + 10, H = rows.length * rowH + 30;
    const max = Math.max(1, ...rows.flatMap(r => r.values));
    const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", id: `${id}-svg`,
      "aria-label": rows.map(r => `${r.label}: ${r.values.map((v, i) => `${series[i]} ${v}`).join(", ")}`).join("; ") });
    rows.forEach((r, i) => {
      const y = i * rowH + 4;
      svg.append(svgEl("text", { x: 0, y: y + 12, "font-size": 12 }, r.label.length > 24 ? r.label.slice(0, 23) + "…" : r.label));
      r.values.forEach((v, j) => {
        const w = (W - left - 50) * v / max;
        svg.append(svgEl("rect", { x: left, y: y + j * (barH + 2), width: Math.max(1, w), height: barH, fill: colours[j], class: "bar" }),
          svgEl("text", { x: left + w + 4, y: y + j * (barH + 2) + 11, "font-size": 11 }, String(v)));
      });
    });
    series.forEach((s, j) => svg.append(svgEl("rect", { x: left + j * 150, y: H - 20, width: 12, height: 12, fill: colours[j] }),
      svgEl("text", { x: left + j * 150 + 16, y: H - 10, "font-size": 12 }, s)));
    document.getElementById(id).replaceChildren(svg);
  }

  /** Vertical histogram (x: a count, y: how many); a dashed line marks the minimum when given. */
  function histogram(id, buckets, xLabel, yLabel, minimum) {
    const W = 640, H = 240, left = 40, bottom = 40, top = 10;
    const max = Math.max(1, ...buckets.map(b => b.y));
    const bw = (W - left - 10) / Math.max(1, buckets.length);
    const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", role: "img", id: `${id}-svg`,
      "aria-label": `${xLabel} / ${yLabel}: ` + buckets.map(b => `${b.x}: ${b.y}`).join(", ") });
    svg.append(svgEl("line", { x1: left, y1: H - bottom, x2: W, y2: H - bottom, stroke: "#888" }));
    buckets.forEach((b, i) => {
      const h = (H - bottom - top - 14) * b.y / max, x = left + i * bw;
      svg.append(svgEl("rect", { x: x + 2, y: H - bottom - h, width: Math.max(1, bw - 4), height: h, fill: b.x < (minimum ?? -1) ? "#d9822b" : "#0b5cad", class: "bar" }),
        svgEl("text", { x: x + bw / 2, y: H - bottom - h - 3, "font-size": 11, "text-anchor": "middle" }, String(b.y)),
        svgEl("text", { x: x + bw / 2, y: H - bottom + 14, "font-size": 11, "text-anchor": "middle" }, String(b.x)));
    });
    if (minimum !== undefined) {
      const i = buckets.findIndex(b => b.x >= minimum);
      if (i >= 0) svg.append(svgEl("line", { x1: left + i * bw, y1: top, x2: left + i * bw, y2: H - bottom, stroke: "#b42318", "stroke-dasharray": "4 3" }),
        svgEl("text", { x: left + i * bw - 4, y: H - bottom - 4, "font-size": 11, fill: "#b42318", "text-anchor": "end" }, t("minimumLine", minimum)));
    }
    svg.append(svgEl("text", { x: (W + left) / 2, y: H - 8, "font-size": 12, "text-anchor": "middle" }, xLabel),
      svgEl("text", { x: 12, y: top + 10, "font-size": 12 }, yLabel));
    document.getElementById(id).replaceChildren(svg);
  }

  async function load(eventId) {
    const r = await api("GET", `/api/events/${encodeURIComponent(eventId)}/report`);
    if (!r.ok) { show("report-message", "error", problemText(r)); return; }
    show("report-message", "info", r.data.publishedVersion ? t("reportPublished", r.data.publishedVersion) : t("reportHistory"));
    const f = r.data.figures, n = MM.fmt.number, pct = x => x === null || x === undefined ? "–" : `${(x * 100).toFixed(0)}%`;
    document.getElementById("report-stats").replaceChildren(...[
      ["rRequests", n(f.requests.total)], ["rAcceptance", pct(f.requests.acceptanceRate)], ["rPlanned", n(f.meetings.planned)], ["rHeld", n(f.meetings.held)],
      ["rNoShows", n(f.meetings.noShow)], ["rShowRate", pct(f.meetings.showRate)], ["rMeanRating", f.ratings.mean?.toFixed(2) ?? "–"],
      ["rContracts", n(f.contracts.count)], ["rContractSum", MM.fmt.money(f.contracts.sumKrw)],
      ["rBelowMin", n(f.fairness.belowMinimum)],
    ].map(([k, v]) => el("div", { id: k }, el("b", {}, v), t(k))));
    hbars("chart-meetings", [
      { label: t("rPlanned"), values: [f.meetings.planned] }, { label: t("state_scheduled"), values: [f.meetings.scheduled] },
      { label: t("state_held"), values: [f.meetings.held] }, { label: t("state_no_show"), values: [f.meetings.noShow] },
      { label: t("state_cancelled"), values: [f.meetings.cancelled] }], [t("meetingsSeries")]);
    hbars("chart-sector", f.bySmeSector.map(g => ({ label: g.label || g.key || t("noSector"), values: [g.meetings, g.held, g.noShows] })),
      [t("meetingsSeries"), t("state_held"), t("state_no_show")]);
    histogram("chart-ratings", f.ratings.distribution.map(c => ({ x: c.key, y: c.count })), t("ratingAxis"), t("meetingsSeries"));
    hbars("chart-follow", f.followUps.map(c => ({ label: t(`follow_${c.key}`), values: [c.count] })), [t("meetingsSeries")]);
    histogram("chart-fairness", f.fairness.meetingsPerSme.map(b => ({ x: b.meetings, y: b.smes })), t("meetingsPerSmeAxis"), t("smesAxis"), f.fairness.minMeetingsPerSme);
  }

  await MM.eventPicker(document.getElementById("event"), id => load(id));
});
