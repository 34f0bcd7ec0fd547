// Shared by every page: language (Korean by default, English by the toggle, kept in the `lang` cookie), calls to the
// API with the page cookie, the header with its navigation, and small DOM helpers. No framework, nothing from the internet.
"use strict";
const MM = (() => {
  const lang = (document.cookie.match(/(?:^|;\s*)lang=(ko|en)/) || [])[1] || "ko";
  const dict = window.MM_TEXT || {};

  /** The label for a key in the current language; {0}, {1} … are replaced by the arguments. */
  function t(key, ...args) {
    const entry = dict[key];
    if (!entry) (window.MM_MISSING ||= []).push(key); // read by the browser tests: a missing label shows as its key
    let text = entry ? (entry[lang] ?? entry.ko) : key;
    args.forEach((a, i) => { text = text.replaceAll(`{${i}}`, String(a)); });
    return text;
  }

  function applyText(root = document) {
    root.querySelectorAll("[data-t]").forEach(e => { e.textContent = t(e.dataset.t); });
    root.querySelectorAll("[data-t-placeholder]").forEach(e => { e.placeholder = t(e.dataset.tPlaceholder); });
    root.querySelectorAll("[data-t-title]").forEach(e => { e.title = t(e.dataset.tTitle); });
  }

  function setLang(next) {
    document.cookie = `lang=${next}; path=/; max-age=31536000; samesite=strict`;
    location.reload();
  }

  /** Calls the API; resolves to {ok, status, data, etag, headers}; a problem's text is in problemText(result). */
  async function api(method, url, body, extraHeaders = {}) {
    const headers = { "X-Requested-With": "matchmaker", Accept: "application/json", "Accept-Language": lang, ...extraHeaders };
    let payload = body;
    if (body !== undefined && body !== null && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const response = await fetch(url, { method, headers, body: payload ?? undefined, credentials: "same-origin" });
    let data = null;
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) data = await response.json();
    else if (response.status !== 204) data = await response.text();
    return { ok: response.ok, status: response.status, data, etag: response.headers.get("ETag"), headers: response.headers };
  }

  /** One line for a failed call: the problem's detail, the field it names, or the validation errors. */
  function problemText(result) {
    const p = result.data;
    if (p && typeof p === "object") {
      const parts = [];
      if (p.errors) for (const [field, messages] of Object.entries(p.errors)) parts.push(`${field}: ${[].concat(messages).join(", ")}`);
      const detail = p.detail || p.title || "";
      const field = p.field ? ` (${t("field")}: ${p.field})` : "";
      return (detail + field + (parts.length ? " — " + parts.join("; ") : "")).trim() || `HTTP ${result.status}`;
    }
    if (result.status === 401) return t("signedOut");
    return `HTTP ${result.status}`;
  }

  /** Creates an element: el("button", {type: "button", onclick: f}, "text", child…). */
  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
      else if (k === "class") e.className = v;
      else if (k === "dataset") Object.assign(e.dataset, v);
      else if (k === "style" && typeof v === "object") Object.assign(e.style, v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  function show(target, kind, text) {
    const box = typeof target === "string" ? document.getElementById(target) : target;
    box.replaceChildren();
    if (!text) { box.hidden = true; return; }
    box.hidden = false;
    box.className = `message ${kind}`;
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    box.textContent = text;
  }

  const navs = {
    organiser: [["/organiser", "navOverview"], ["/organiser/setup", "navSetup"], ["/organiser/import", "navImport"],
      ["/organiser/participants", "navParticipants"], ["/organiser/board", "navBoard"], ["/organiser/day", "navDay"], ["/organiser/notifications", "navNotifications"], ["/organiser/report", "navReport"], ["/analyst", "navAnalyst"]],
    analyst: [["/analyst", "navAnalyst"], ["/organiser/report", "navReport"]],
    administrator: null, // the organiser's pages and the accounts page, below
    sme: [["/sme", "navSme"]],
    buyer: [["/buyer", "navBuyer"]],
  };

  navs.administrator = [...navs.organiser, ["/organiser/accounts", "navAccounts"]];

  /** The roles a signed-in token acts in: the administrator does everything an organiser does, in every event. */
  function rolesOf(ctx) { return !ctx ? [] : ctx.role === "administrator" ? ["administrator", "organiser"] : [ctx.role]; }

  /** Who is signed in (null when nobody is). */
  async function context() {
    const r = await api("GET", "/pages/api/context");
    return r.ok ? r.data : null;
  }

  /** Header, language and sign-in check; resolves to the context, or null after showing the sign-in hint. */
  async function start({ requireRole } = {}) {
    document.documentElement.lang = lang;
    applyText();
    const ctx = await context();
    const header = el("header", { class: "site" },
      el("a", { class: "brand", href: ctx ? ctx.home : "/" }, t("brand")));
    if (ctx && navs[ctx.role]) {
      const evt = currentEventQuery();
      header.append(el("nav", { "aria-label": t("navLabel") }, navs[ctx.role].map(([href, key]) =>
        el("a", { href: href + (["administrator", "organiser", "analyst"].includes(ctx.role) ? evt : ""), "aria-current": location.pathname === href ? "page" : null }, t(key)))));
    }
    header.append(el("button", { type: "button", id: "lang-toggle", class: "secondary", lang: lang === "ko" ? "en" : "ko",
      onclick: () => setLang(lang === "ko" ? "en" : "ko") }, lang === "ko" ? "English" : "한국어"));
    if (ctx) header.append(el("button", { type: "button", id: "logout", class: "secondary", onclick: logout }, t("logout")));
    document.body.prepend(header);
    if (requireRole && !requireRole.some(r => rolesOf(ctx).includes(r))) {
      const main = document.querySelector("main");
      main.replaceChildren(el("h1", {}, t("signInNeeded")), el("p", {}, t("signInHint")), el("a", { class: "button", href: "/" }, t("goSignIn")));
      return null;
    }
    return ctx;
  }

  async function logout() {
    await api("POST", "/logout");
    location.href = "/";
  }

  /** The organiser's chosen event: ?event= in the address, else the last one chosen on this browser. */
  function eventId() {
    return new URLSearchParams(location.search).get("event") || localStorage.getItem("mm_event") || "";
  }
  function currentEventQuery() { const e = eventId(); return e ? `?event=${encodeURIComponent(e)}` : ""; }

  /** Fills a <select> with the events and keeps the choice; calls onChange(eventId) now and on every change. */
  async function eventPicker(select, onChange) {
    const r = await api("GET", "/api/events");
    const events = r.ok ? r.data : [];
    select.replaceChildren(...events.map(e => el("option", { value: e.eventId }, `${e.name} (${e.eventId})`)));
    let chosen = eventId();
    if (!events.some(e => e.eventId === chosen)) chosen = events[0]?.eventId || "";
    select.value = chosen;
    const apply = () => {
      localStorage.setItem("mm_event", select.value);
      const url = new URL(location.href);
      url.searchParams.set("event", select.value);
      history.replaceState(null, "", url);
      document.querySelectorAll("header.site nav a").forEach(a => {
        const u = new URL(a.href); u.searchParams.set("event", select.value); a.href = u.pathname + u.search;
      });
      onChange(select.value, events.find(e => e.eventId === select.value));
    };
    select.addEventListener("change", apply);
    if (chosen) apply();
    return events;
  }

  /** Polls a background job until it finishes; onProgress(job) on each answer. */
  async function waitForJob(jobId, onProgress) {
    for (;;) {
      const r = await api("GET", `/api/jobs/${encodeURIComponent(jobId)}`);
      if (!r.ok) return r;
      onProgress?.(r.data);
      if (["succeeded", "failed", "cancelled"].includes(r.data.state)) return r;
      await new Promise(resolve => setTimeout(resolve, 400));
    }
  }

  function time(localIso) { return (localIso || "").replace("T", " ").slice(0, 16); }
  function hm(localIso) { return (localIso || "").slice(11, 16); }
  function fmtScore(s) { return typeof s === "number" ? s.toFixed(2) : ""; }
  function stateBadge(state) { return el("span", { class: `badge ${state}` }, t(`state_${state}`)); }

  /** "Why this match": each component's share of the score as a bar, matched terms and codes, missing certifications. */
  function explain(x) {
    if (!x) return null;
    // A learned score is explained by the model's parts (which may be negative); a weighted one by its components.
    const learned = x.scoredBy && x.scoredBy !== "weights";
    const rows = learned ? (x.modelTerms || []) : (x.components || []).filter(c => c.weight > 0);
    const max = Math.max(0.0001, ...rows.map(c => Math.abs(c.contribution)));
    const svgNs = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNs, "svg");
    const h = 22 * rows.length;
    svg.setAttribute("viewBox", `0 0 380 ${h}`);
    svg.setAttribute("width", "100%");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", rows.map(c => `${lang === "ko" ? c.labelKo : c.labelEn} ${c.contribution.toFixed(2)}`).join(", "));
    svg.classList.add("why-chart");
    rows.forEach((c, i) => {
      const bar = document.createElementNS(svgNs, "rect");
      Object.entries({ x: 190, y: i * 22 + 4, height: 14, width: Math.max(1, 140 * Math.abs(c.contribution) / max), rx: 3,
        fill: c.contribution < 0 ? "#b5462f" : "#2f7dd1" }).forEach(([k, v]) => bar.setAttribute(k, v));
      const label = document.createElementNS(svgNs, "text");
      Object.entries({ x: 0, y: i * 22 + 15, "font-size": 11 }).forEach(([k, v]) => label.setAttribute(k, v));
      label.textContent = lang === "ko" ? c.labelKo : c.labelEn;
      const value = document.createElementNS(svgNs, "text");
      Object.entries({ x: 378, y: i * 22 + 15, "font-size": 11, "text-anchor": "end" }).forEach(([k, v]) => value.setAttribute(k, v));
      value.textContent = `${c.contribution < 0 ? "−" : "+"}${Math.abs(c.contribution).toFixed(2)}`;
      svg.append(bar, label, value);
    });
    const codes = x.matchedCodes ? `${x.matchedCodes.smeCode} ↔ ${x.matchedCodes.demandCode} (${lang === "ko" ? x.matchedCodes.levelKo : x.matchedCodes.levelEn})` : null;
    return el("details", { class: "why" }, el("summary", {}, t("whyThis", (x.score * 100).toFixed(0))),
      el("p", { class: "muted" }, lang === "ko" ? x.noteKo : x.noteEn), svg,
      x.matchedTerms?.length ? el("p", {}, `${t("matchedTerms")}: `, x.matchedTerms.join(", ")) : null,
      codes ? el("p", {}, `${t("matchedCodes")}: ${codes}`) : null,
      x.missingCertifications?.length ? el("p", { class: "warn" }, `${t("missingCerts")}: ${x.missingCertifications.join(", ")}`) : null,
      x.coldStart && !learned ? el("p", { class: "muted" }, t("coldStart")) : null);
  }

  /**
   * The participant's own contact for this event: renders the fields into the page's empty #contact-form, loads them from
   * its profile and saves them with PUT …/contact.
   */
  async function contactForm(base) {
    const form = document.getElementById("contact-form");
    form.replaceChildren(
      el("h2", { id: "contact-title" }, t("contactTitle")),
      el("p", { class: "muted" }, t("contactNote")),
      el("label", { for: "contact-name" }, t("fContactName")),
      el("input", { id: "contact-name", maxlength: 50, autocomplete: "name" }),
      el("label", { for: "contact-email" }, t("fEmail")),
      el("input", { id: "contact-email", type: "email", maxlength: 200, autocomplete: "email" }),
      el("label", { for: "contact-mobile" }, t("fMobile")),
      el("input", { id: "contact-mobile", type: "tel", maxlength: 30, autocomplete: "tel", placeholder: "010-1234-5678" }),
      el("label", { for: "contact-language" }, t("fLanguage")),
      el("select", { id: "contact-language" }, el("option", { value: "ko" }, "한국어"), el("option", { value: "en" }, "English")),
      el("label", {}, el("input", { id: "contact-opt-out", type: "checkbox" }), " ", el("span", {}, t("fOptOut"))),
      el("div", { class: "actions" }, el("button", { type: "submit", id: "save-contact" }, t("saveContact"))),
      el("div", { id: "contact-message", hidden: true }));
    const field = id => document.getElementById(id);
    function fill(p) {
      field("contact-name").value = p.contact.name || "";
      field("contact-email").value = p.contact.email || "";
      field("contact-mobile").value = p.contact.mobile || "";
      field("contact-language").value = p.language;
      field("contact-opt-out").checked = p.optedOut;
    }
    const r = await api("GET", `${base}/profile`);
    if (r.ok) fill(r.data); else show("contact-message", "error", problemText(r));
    form.dataset.loaded = "true"; // the fields hold the stored contact from here on
    form.addEventListener("submit", async e => {
      e.preventDefault();
      const saved = await api("PUT", `${base}/contact`, { name: field("contact-name").value, email: field("contact-email").value,
        mobile: field("contact-mobile").value, language: field("contact-language").value, optedOut: field("contact-opt-out").checked });
      if (saved.ok) fill(saved.data);
      show("contact-message", saved.ok ? "ok" : "error", saved.ok ? t("contactSaved") : problemText(saved));
    });
  }

  /** Every SME of the event, page after page (the API pages its list); as far as it got if a page fails. */
  async function allSmes(eventId) {
    const smes = [];
    for (let page = 1; ; page++) {
      const r = await api("GET", `/api/events/${encodeURIComponent(eventId)}/smes?page=${page}&pageSize=200`);
      if (!r.ok) break;
      smes.push(...r.data.items);
      if (smes.length >= r.data.total || r.data.items.length === 0) break;
    }
    return smes;
  }

  /** A label if one exists, else the text itself (for open-ended codes from the API, e.g. repair reasons). */
  function tOr(key, fallback) { return dict[key] ? t(key) : fallback; }

  return { explain, tOr, contactForm, allSmes, lang, t, applyText, api, problemText, el, show, start, eventId, eventPicker, waitForJob, time, hm, fmtScore, stateBadge };
})();
