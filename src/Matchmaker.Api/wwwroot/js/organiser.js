"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  let current = "";
  await MM.eventPicker(document.getElementById("event"), (id, summary) => {
    current = id;
    const stats = summary ? [["statBuyers", summary.buyers], ["statSmes", summary.smes], ["statDemands", summary.demands], ["statSlots", summary.slots],
      ["statFirst", MM.time(summary.firstSlot)], ["statLast", MM.time(summary.lastSlot)]] : [];
    document.getElementById("summary").replaceChildren(...stats.map(([k, v]) => el("div", {}, el("b", {}, v ?? "–"), t(k))));
  });
  async function setWindow(open) {
    const r = await api("PUT", `/api/events/${encodeURIComponent(current)}/request-window`, { open });
    show("window-message", r.ok ? "ok" : "error", r.ok ? t(open ? "windowOpened" : "windowClosed") : problemText(r));
  }
  document.getElementById("open-window").addEventListener("click", () => setWindow(true));
  document.getElementById("close-window").addEventListener("click", () => setWindow(false));
});
