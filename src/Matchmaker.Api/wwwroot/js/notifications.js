"use strict";
// The organiser's view of the outbox: per participant how many notifications wait, went out or failed (with the
// server's reason), each one listed with a "send again" button.
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  let current = "";
  let items = [];
  const when = iso => iso ? new Date(iso).toLocaleString(document.documentElement.lang === "en" ? "en-GB" : "ko-KR",
    { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "";
  const badge = state => el("span", { class: `badge n-${state}` }, t(`nstate_${state}`));

  async function load() {
    const r = await api("GET", `/api/events/${encodeURIComponent(current)}/notifications`);
    if (!r.ok) { show("notification-message", "error", problemText(r)); items = []; }
    else items = r.data;
    render();
    return items;
  }

  async function sendAgain(n, button) {
    button.disabled = true;
    const r = await api("POST", `/api/events/${encodeURIComponent(current)}/notifications/${n.id}/send-again`);
    if (!r.ok) { show("notification-message", "error", problemText(r)); button.disabled = false; return; }
    show("notification-message", "ok", t("sentAgain", n.recipientName));
    // Delivery runs in the background: look again until this one has left the queue (or give up after a while).
    for (let i = 0; i < 30; i++) {
      await new Promise(resolve => setTimeout(resolve, 500));
      const now = (await load()).find(x => x.id === n.id);
      if (!now || now.state !== "pending") break;
    }
  }

  function render() {
    const state = document.getElementById("state-filter").value;
    const q = document.getElementById("filter").value.trim().toLowerCase();
    const count = s => items.filter(n => n.state === s).length;
    document.getElementById("notification-summary").textContent =
      t("notificationSummary", items.length, count("pending"), count("sent"), count("failed"), count("skipped"));
    const groups = new Map();
    for (const n of items) {
      const key = `${n.recipientKind}${n.recipientId}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(n);
    }
    // Who needs the organiser first: participants with a failed notification, then those still waiting, then the rest.
    const rank = list => list.some(n => n.state === "failed") ? 0 : list.some(n => n.state === "pending") ? 1 : 2;
    const ordered = [...groups].sort((a, b) => rank(a[1]) - rank(b[1]));
    const rows = [];
    for (const [key, list] of ordered) {
      const first = list[0];
      if (state && !list.some(n => n.state === state)) continue;
      if (q && !first.recipientName.toLowerCase().includes(q)) continue;
      const per = s => list.filter(n => n.state === s).length;
      const entries = list.map(n => el("li", { class: "notification", dataset: { notificationId: n.id, state: n.state } },
        el("span", {}, t(`nkind_${n.kind}`)), " ", badge(n.state), " ",
        el("span", { class: "muted" }, n.state === "sent" ? t("sentAt", when(n.sentAt)) : t("createdAt", when(n.createdAt))),
        n.lastError ? el("div", { class: "reason" }, t("reasonLine", n.lastError)) : null,
        n.state === "pending" ? null : el("button", { type: "button", class: "secondary send-again", onclick: e => sendAgain(n, e.currentTarget) },
          t("sendAgain"))));
      rows.push(el("tr", { dataset: { recipient: key } },
        el("td", {}, el("strong", {}, first.recipientName), " ", el("span", { class: "muted" }, t(`role_${first.recipientKind}`))),
        // On a phone the table stacks and loses its header: each count carries its label.
        el("td", { class: "num", dataset: { label: t("nstate_pending") } }, String(per("pending"))),
        el("td", { class: "num", dataset: { label: t("nstate_sent") } }, String(per("sent"))),
        el("td", { class: "num", dataset: { label: t("nstate_failed") } }, String(per("failed"))),
        el("td", {}, el("ul", { class: "plain" }, entries))));
    }
    document.querySelector("#notifications-table tbody").replaceChildren(...rows);
    document.getElementById("no-notifications").hidden = items.length > 0;
  }

  await MM.eventPicker(document.getElementById("event"), async id => { current = id; await load(); });
  document.getElementById("state-filter").addEventListener("change", render);
  document.getElementById("filter").addEventListener("input", render);
  document.getElementById("refresh").addEventListener("click", load);
});
