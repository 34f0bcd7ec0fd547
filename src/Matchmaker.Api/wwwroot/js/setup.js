"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, api, show, problemText } = MM;
  if (!await MM.start({ requireRole: ["organiser"] })) return;
  const days = document.getElementById("days");
  let n = 0;
  function addDay(date = "", windows = "10:00-12:00, 13:00-17:00", breaks = "") {
    const i = ++n;
    const row = el("fieldset", { class: "card day" },
      el("legend", {}, t("dayN", i)),
      el("div", { class: "row" },
        el("div", {}, el("label", { for: `date-${i}` }, t("fDate")), el("input", { id: `date-${i}`, type: "date", class: "date", value: date, required: true })),
        el("div", {}, el("label", { for: `windows-${i}` }, t("fWindows")), el("input", { id: `windows-${i}`, class: "windows", value: windows })),
        el("div", {}, el("label", { for: `breaks-${i}` }, t("fBreaks")), el("input", { id: `breaks-${i}`, class: "breaks", value: breaks })),
        el("button", { type: "button", class: "secondary", onclick: () => row.remove() }, t("removeDay"))));
    days.append(row);
  }
  const ranges = text => text.split(/[,;]/).map(s => s.trim()).filter(Boolean).map(s => {
    const [start, end] = s.split(/\s*[-~–]\s*/);
    return { start: (start || "").padStart(5, "0"), end: (end || "").padStart(5, "0") };
  });
  addDay();
  document.getElementById("add-day").addEventListener("click", () => addDay());
  document.getElementById("setup-form").addEventListener("submit", async e => {
    e.preventDefault();
    const value = id => document.getElementById(id).value.trim();
    const body = {
      eventId: value("eventId"), name: value("name"), venue: value("venue") || null,
      slotMinutes: Number(value("slotMinutes")), changeoverMinutes: Number(value("changeoverMinutes")),
      minMeetingsPerSme: Number(value("minMeetings")), maxOpenRequestsPerSme: Number(value("maxRequests")),
      halls: value("halls").split(",").map(s => s.trim()).filter(Boolean),
      days: [...days.querySelectorAll(".day")].map(d => ({
        date: d.querySelector(".date").value, windows: ranges(d.querySelector(".windows").value), breaks: ranges(d.querySelector(".breaks").value),
      })),
    };
    const r = await api("POST", "/api/events", body);
    if (r.ok) {
      localStorage.setItem("mm_event", r.data.eventId);
      show("setup-message", "ok", t("eventCreated", r.data.eventId));
      document.getElementById("setup-message").append(" ", el("a", { href: `/organiser/import?event=${encodeURIComponent(r.data.eventId)}` }, t("nextImport")));
    } else show("setup-message", "error", problemText(r));
  });
});
