"use strict";
// The administrator's page: organiser and analyst accounts, the events granted to each, their sign-in links, the audit log.
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["administrator"] })) return;
  const eventsAnswer = await api("GET", "/api/events");
  const events = eventsAnswer.ok ? eventsAnswer.data : [];
  const pageSize = 20;
  let auditPage = 1;

  async function signInLink(account, cell) {
    const r = await api("POST", `/api/accounts/${account.accountId}/tokens`, { label: account.name });
    if (!r.ok) { show("account-message", "error", problemText(r)); return; }
    // The address this page was opened at, as the participants page does (behind a proxy the server may not know it).
    const link = `${location.origin}/login?token=${encodeURIComponent(r.data.token)}`;
    const inputId = `signin-${account.accountId}`;
    cell.append(el("label", { for: inputId }, t("linkFor", account.name)),
      el("input", { id: inputId, class: "access-link", readonly: true, value: link, onfocus: e => e.target.select() }),
      el("button", { type: "button", class: "secondary", onclick: () => navigator.clipboard?.writeText(link) }, t("copy")));
    show("account-message", "ok", t("linkIssued", account.name));
    await loadAudit();
  }

  async function change(method, url) {
    const r = await api(method, url);
    if (!r.ok) show("account-message", "error", problemText(r));
    await Promise.all([loadAccounts(), loadAudit()]);
  }

  function row(a) {
    const grants = el("td", {});
    if (a.events.length === 0) grants.append(el("span", { class: "muted" }, t("noEvents")));
    for (const eventId of a.events)
      grants.append(el("div", { class: "grant" }, eventId, " ",
        el("button", { type: "button", class: "secondary revoke-event", disabled: !!a.disabledAt, onclick: () => change("DELETE", `/api/accounts/${a.accountId}/events/${encodeURIComponent(eventId)}`) },
          t("revokeEvent", eventId))));
    // Each sign-in link still working, revocable one by one (a lost laptop), without disabling the account.
    for (const token of a.tokens.filter(x => !x.revokedAt))
      grants.append(el("div", { class: "muted account-token" }, t("accountToken", token.label || `#${token.tokenId}`, MM.time(token.createdAt)), " ",
        el("button", { type: "button", class: "secondary revoke-token", onclick: () => change("DELETE", `/api/tokens/${token.tokenId}`) }, t("revokeToken"))));
    const actions = el("td", {});
    if (!a.disabledAt) {
      const selectId = `grant-${a.accountId}`;
      const select = el("select", { id: selectId, class: "grant-event" },
        events.filter(e => !a.events.includes(e.eventId)).map(e => el("option", { value: e.eventId }, `${e.name} (${e.eventId})`)));
      actions.append(el("label", { for: selectId }, t("grantEventLabel", a.name)), select,
        el("button", { type: "button", class: "grant-button", disabled: select.options.length === 0,
          onclick: () => change("PUT", `/api/accounts/${a.accountId}/events/${encodeURIComponent(select.value)}`) }, t("grantEvent")),
        el("button", { type: "button", class: "sign-in-link", onclick: () => signInLink(a, actions) }, t("signInLink")),
        el("button", { type: "button", class: "secondary disable-account", onclick: () => {
          if (confirm(t("confirmDisable", a.name))) change("DELETE", `/api/accounts/${a.accountId}`);
        } }, t("disableAccount")));
    }
    return el("tr", { dataset: { accountId: a.accountId } },
      el("td", {}, a.name, a.email ? el("div", { class: "muted" }, a.email) : null),
      el("td", {}, t(`role_${a.role}`), a.disabledAt ? el("div", { class: "muted" }, t("accountDisabled")) : null),
      grants, actions);
  }

  async function loadAccounts() {
    const r = await api("GET", "/api/accounts");
    if (!r.ok) { show("account-message", "error", problemText(r)); return; }
    document.querySelector("#accounts-table tbody").replaceChildren(...r.data.map(row));
  }

  async function loadAudit() {
    const eventId = document.getElementById("audit-event").value;
    const query = `page=${auditPage}&pageSize=${pageSize}` + (eventId ? `&eventId=${encodeURIComponent(eventId)}` : "");
    const r = await api("GET", `/api/audit?${query}`);
    if (!r.ok) return;
    document.querySelector("#audit-table tbody").replaceChildren(...r.data.items.map(e => el("tr", {},
      el("td", {}, MM.time(e.at)), el("td", {}, e.accountName ? `${e.accountName} (${t(`role_${e.role}`)})` : `${t(`role_${e.role}`)} #${e.tokenId}`),
      el("td", {}, e.action), el("td", {}, e.target), el("td", {}, e.eventId || ""))));
    const pages = Math.max(1, Math.ceil(r.data.total / pageSize));
    document.getElementById("audit-page").textContent = t("auditPage", auditPage, pages, r.data.total);
    document.getElementById("audit-newer").disabled = auditPage <= 1;
    document.getElementById("audit-older").disabled = auditPage >= pages;
  }

  const filter = document.getElementById("audit-event");
  filter.replaceChildren(el("option", { value: "" }, t("allEvents")), ...events.map(e => el("option", { value: e.eventId }, `${e.name} (${e.eventId})`)));
  filter.addEventListener("change", () => { auditPage = 1; loadAudit(); });
  document.getElementById("audit-newer").addEventListener("click", () => { auditPage--; loadAudit(); });
  document.getElementById("audit-older").addEventListener("click", () => { auditPage++; loadAudit(); });

  document.getElementById("account-form").addEventListener("submit", async e => {
    e.preventDefault();
    const name = document.getElementById("account-name").value.trim();
    const r = await api("POST", "/api/accounts", { name, email: document.getElementById("account-email").value.trim() || null,
      role: document.getElementById("account-role").value });
    if (!r.ok) { show("account-message", "error", problemText(r)); return; }
    show("account-message", "ok", t("accountCreated", r.data.name));
    document.getElementById("account-name").value = "";
    document.getElementById("account-email").value = "";
    await Promise.all([loadAccounts(), loadAudit()]);
  });

  await Promise.all([loadAccounts(), loadAudit()]);
});
