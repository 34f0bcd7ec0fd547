"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText, lang } = MM;
  // An issue in the page's language: the report carries both sentences (the job may be read later in either).
  const say = x => (lang === "ko" ? x.messageKo : x.message) ?? x.message ?? "";
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  let current = "";
  await MM.eventPicker(document.getElementById("event"), id => { current = id; });
  const report = document.getElementById("import-report");
  document.getElementById("import-form").addEventListener("submit", async e => {
    e.preventDefault();
    const file = document.getElementById("file").files[0];
    if (!file) { show("import-message", "error", t("chooseFile")); return; }
    const form = new FormData();
    form.append("kind", document.getElementById("kind").value);
    form.append("file", file);
    report.replaceChildren();
    show("import-message", "info", t("uploading"));
    const started = await api("POST", `/api/events/${encodeURIComponent(current)}/imports`, form);
    if (!started.ok) { show("import-message", "error", problemText(started)); return; }
    const done = await MM.waitForJob(started.data.jobId, job => show("import-message", "info", t("jobProgress", t(`job_${job.state}`), Math.round(job.progress * 100))));
    if (!done.ok) { show("import-message", "error", problemText(done)); return; }
    const job = done.data, r = job.report || {};
    const errors = r.errors || [];
    show("import-message", job.state === "succeeded" ? "ok" : "error", job.state === "succeeded" ? t("importDone") : t("importFailed", errors.length));
    report.append(el("div", { class: "stats" },
      [["rows", r.rows], ["inserted", r.inserted], ["updated", r.updated], ["unchanged", r.unchanged]].map(([k, v]) => el("div", {}, el("b", {}, v ?? 0), t(`count_${k}`)))));
    if (errors.length) {
      report.append(el("h2", {}, t("errorsTitle")), el("table", { class: "data stack", id: "import-errors" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("colRow")), el("th", { scope: "col" }, t("colColumn")), el("th", { scope: "col" }, t("colMessage")))),
        el("tbody", {}, errors.map(x => el("tr", {}, el("td", {}, x.row ?? ""), el("td", {}, x.column ?? ""), el("td", { "data-code": x.code ?? "" }, say(x)))))));
    }
    if ((r.warnings || []).length) report.append(el("h2", {}, t("warningsTitle")), el("ul", {}, r.warnings.map(w => el("li", {}, typeof w === "string" ? w : `${w.row || ""} ${w.column ?? ""} ${say(w)}`.trim()))));
  });
});
