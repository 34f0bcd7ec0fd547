"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  let current = "";
  async function issue(role, id, name, cell) {
    const r = await api("POST", `/api/events/${encodeURIComponent(current)}/tokens`, role === "buyer" ? { role, buyerId: id, label: name } : { role, smeId: id, label: name });
    if (!r.ok) { show("link-message", "error", problemText(r)); return; }
    const link = `${location.origin}/login?token=${encodeURIComponent(r.data.token)}`;
    const inputId = `link-${role}-${id}`;
    cell.replaceChildren(el("label", { for: inputId }, t("linkFor", name)),
      el("input", { id: inputId, class: "access-link", readonly: true, value: link, onfocus: e => e.target.select() }),
      el("button", { type: "button", class: "secondary", onclick: () => navigator.clipboard?.writeText(link) }, t("copy")));
    show("link-message", "ok", t("linkIssued", name));
  }
  let contacts = new Map();
  /** The participant's contact for this event: person, e-mail, mobile, the mail language, and whether it opted out. */
  function contactCell(role, id) {
    const c = contacts.get(`${role}-${id}`);
    if (!c) return el("td", {});
    const who = [c.contact.name, c.contact.email, c.contact.mobile].filter(Boolean);
    return el("td", { class: "contact" }, who.length ? who.join(" · ") : el("span", { class: "muted" }, t("noContact")),
      c.language === "en" ? ` (${t("mailInEnglish")})` : "", c.optedOut ? el("span", { class: "badge opted-out" }, t("optedOut")) : null);
  }
  function rows(tbody, role, items) {
    tbody.replaceChildren(...items.map(p => {
      const cell = el("td", {});
      cell.append(el("button", { type: "button", class: "issue-link", dataset: { id: p.id }, onclick: () => issue(role, p.id, p.name, cell) }, t("issueLink")));
      return el("tr", { dataset: { name: p.name.toLowerCase() } }, el("td", {}, p.name), el("td", {}, p.sector || ""), contactCell(role, p.id), cell);
    }));
  }
  await MM.eventPicker(document.getElementById("event"), async id => {
    current = id;
    const c = await api("GET", `/api/events/${encodeURIComponent(id)}/contacts`);
    contacts = new Map((c.ok ? c.data : []).map(x => [`${x.kind}-${x.id}`, x]));
    const buyers = await api("GET", `/api/events/${encodeURIComponent(id)}/buyers`);
    rows(document.querySelector("#buyers-table tbody"), "buyer", buyers.ok ? buyers.data : []);
    const smes = await MM.allSmes(id);
    rows(document.querySelector("#smes-table tbody"), "sme", smes);
  });
  document.getElementById("filter").addEventListener("input", e => {
    const q = e.target.value.trim().toLowerCase();
    document.querySelectorAll("tbody tr").forEach(tr => { tr.hidden = q !== "" && !tr.dataset.name.includes(q); });
  });
});
