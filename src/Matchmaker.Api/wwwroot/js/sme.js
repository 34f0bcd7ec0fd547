"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  const ctx = await MM.start({ requireRole: ["sme"] });
  if (!ctx) return;
  const ev = encodeURIComponent(ctx.eventId), sme = ctx.smeId;
  document.getElementById("who").textContent = ctx.name;
  document.getElementById("event-name").textContent = ctx.eventName;
  document.getElementById("print-head").textContent = `${ctx.eventName} — ${ctx.name}`;
  let buyers = [];

  async function loadItinerary() {
    const r = await api("GET", `/api/events/${ev}/smes/${sme}/itinerary`);
    const list = document.getElementById("itinerary");
    const meetings = r.ok ? r.data.meetings : [];
    list.replaceChildren(...(meetings.length ? meetings.map(m => el("li", { class: "meeting", dataset: { meetingId: m.meetingId, status: m.status } },
      el("span", { class: "time" }, MM.fmt.span(m.localStart, m.localEnd)),
      el("span", {}, el("strong", {}, m.buyer.name), " ", MM.stateBadge(m.status), el("br"),
        t("placeLine", m.hall || "–", m.table), m.demand ? el("span", { class: "muted" }, ` · ${m.demand.title}`) : null))) : [el("li", { class: "muted" }, t("noMeetingsYet"))]));
  }

  async function loadRequests() {
    const r = await api("GET", `/api/events/${ev}/smes/${sme}/requests`);
    const list = document.getElementById("requests");
    if (!r.ok) { show("requests-message", "error", problemText(r)); return; }
    list.replaceChildren(...(r.data.length ? r.data.map(q => el("li", { class: "request", dataset: { requestId: q.requestId, state: q.state } },
      el("strong", {}, q.buyerName), " ", MM.stateBadge(q.state),
      q.demandTitle ? el("div", { class: "muted" }, q.demandTitle) : null,
      el("div", { class: "muted" }, t("priorityN", q.priority), q.decisionReason ? ` · ${t("reason")}: ${q.decisionReason}` : ""),
      q.state === "pending" ? el("div", { class: "actions" }, el("button", { type: "button", class: "secondary withdraw", onclick: () => withdraw(q) }, t("withdraw"))) : null))
      : [el("li", { class: "muted" }, t("noRequests"))]));
  }

  async function withdraw(q) {
    const r = await api("POST", `/api/events/${ev}/smes/${sme}/requests/${q.requestId}/withdraw`);
    show("requests-message", r.ok ? "ok" : "error", r.ok ? t("withdrawn", q.buyerName) : problemText(r));
    await Promise.all([loadRequests(), loadRecommendations()]);
  }

  function fillDemands() {
    const b = buyers.find(x => String(x.id) === document.getElementById("req-buyer").value);
    document.getElementById("req-demand").replaceChildren(el("option", { value: "" }, t("wholeBuyer")),
      ...(b ? b.demands.map(d => el("option", { value: d.id }, d.title)) : []));
  }

  function chooseBuyer(b, demand) {
    document.getElementById("req-buyer").value = b.id;
    fillDemands();
    document.getElementById("req-demand").value = demand ? demand.id : "";
    document.getElementById("req-pitch").focus();
  }

  function renderBuyers() {
    const q = document.getElementById("buyer-filter").value.trim().toLowerCase();
    document.getElementById("buyers").replaceChildren(...buyers.filter(b => !q || b.name.toLowerCase().includes(q) || (b.sector || "").toLowerCase().includes(q)
      || b.demands.some(d => d.title.toLowerCase().includes(q))).map(b => el("li", { class: "buyer", dataset: { buyerId: b.id } },
      el("h3", {}, b.name), el("div", { class: "muted" }, [b.sector, b.region, b.hall].filter(Boolean).join(" · ")),
      b.why ? el("p", {}, b.why) : null,
      b.demands.length ? el("ul", {}, b.demands.map(d => el("li", {}, d.title, d.requiredCertifications.length ? el("span", { class: "muted" }, ` (${d.requiredCertifications.join(", ")})`) : null))) : null,
      el("div", { class: "actions" }, el("button", { type: "button", class: "choose-buyer", "aria-label": t("requestWith", b.name), onclick: () => chooseBuyer(b) }, t("requestThis"))))));
  }

  async function loadRecommendations() {
    const r = await api("GET", `/api/events/${ev}/smes/${sme}/recommendations?top=10`);
    const list = document.getElementById("recs");
    if (!r.ok) { document.getElementById("recs-note").textContent = t("recsNotReady"); list.replaceChildren(); return; }
    list.replaceChildren(...r.data.items.map(m => {
      const b = buyers.find(x => x.id === m.buyerId);
      const free = m.freeSlots || [];
      return el("li", { class: "rec", dataset: { buyerId: m.buyerId } },
        el("h3", {}, `${m.rank}. ${m.buyerName}`, " ", el("span", { class: "badge score" }, `${(m.score * 100).toFixed(0)}`),
          m.request ? [" ", MM.stateBadge(m.request.state)] : null),
        m.demandTitle ? el("div", {}, t("bestDemand"), ": ", m.demandTitle) : null,
        b ? el("div", { class: "muted" }, [b.sector, b.region, m.hall].filter(Boolean).join(" · ")) : null,
        el("div", { class: "muted free-slots" }, free.length
          ? t("freeSlots", free.length, free.slice(0, 4).map(f => MM.fmt.dateTime(f.localStart, false)).join(", ") + (free.length > 4 ? " …" : ""))
          : t("noFreeSlots")),
        MM.explain(m.explanation),
        b && !m.request && !m.meetingId ? el("div", { class: "actions" }, el("button", { type: "button", class: "choose-rec", "aria-label": t("requestWith", m.buyerName),
          onclick: () => chooseBuyer(b, b.demands.find(d => d.id === m.demandId)) }, t("requestThis"))) : null);
    }));
  }

  document.getElementById("request-form").addEventListener("submit", async e => {
    e.preventDefault();
    const buyerId = Number(document.getElementById("req-buyer").value);
    const demandId = document.getElementById("req-demand").value;
    const body = { buyerId: demandId ? null : buyerId, demandId: demandId ? Number(demandId) : null,
      priority: Number(document.getElementById("req-priority").value), pitch: document.getElementById("req-pitch").value };
    const r = await api("POST", `/api/events/${ev}/smes/${sme}/requests`, body, { "Idempotency-Key": crypto.randomUUID?.() || String(Date.now()) });
    show("request-message", r.ok ? "ok" : "error", r.ok ? t("requestSent", r.data.buyerName) : problemText(r));
    if (r.ok) { document.getElementById("req-pitch").value = ""; await Promise.all([loadRequests(), loadRecommendations()]); }
  });
  document.getElementById("req-buyer").addEventListener("change", fillDemands);
  document.getElementById("buyer-filter").addEventListener("input", renderBuyers);
  document.getElementById("print").addEventListener("click", () => window.print());

  const r = await api("GET", `/api/events/${ev}/buyers`);
  buyers = r.ok ? r.data : [];
  document.getElementById("req-buyer").replaceChildren(...buyers.map(b => el("option", { value: b.id }, b.name)));
  fillDemands();
  renderBuyers();
  await Promise.all([loadRequests(), loadItinerary(), loadRecommendations(), MM.contactForm(`/api/events/${ev}/smes/${sme}`)]);
  const ics = document.getElementById("ics");
  ics.href = `/api/events/${ev}/smes/${sme}/itinerary.ics`;
  ics.setAttribute("download", `itinerary-${ctx.eventId}.ics`);
  ics.hidden = false;
  const page = document.getElementById("itinerary-html");
  page.href = `/api/events/${ev}/smes/${sme}/itinerary.html?lang=${MM.lang}`;
  page.hidden = false;
});
