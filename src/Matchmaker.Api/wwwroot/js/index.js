"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const { t, el, show } = MM;
  const ctx = await MM.start();
  if (new URLSearchParams(location.search).get("login") === "failed") show("message", "error", t("loginFailed"));
  if (ctx) {
    const box = document.getElementById("signed-in");
    box.hidden = false;
    box.append(el("p", {}, t("signedInAs", t(`role_${ctx.role}`), ctx.name || ctx.eventName || "")),
      el("a", { class: "button", href: ctx.home, id: "go-home" }, t("goHome")));
  }
  document.getElementById("login-form").addEventListener("submit", e => {
    e.preventDefault();
    const value = document.getElementById("token").value.trim();
    let token = value;
    try { token = new URL(value).searchParams.get("token") || value; } catch { /* a bare token */ }
    location.href = `/login?token=${encodeURIComponent(token)}`;
  });
});
