/* MiitWiki reader pages: small progressive enhancements; the site works without them. */
(function () {
  "use strict";
  // The table of contents starts closed on phones so the text comes first.
  var narrow = window.matchMedia("(max-width: 40rem)");
  document.querySelectorAll(".toc details").forEach(function (toc) {
    if (narrow.matches) toc.removeAttribute("open");
  });
  // Forms that change data say they are working (in the page's language) and cannot
  // be sent twice. Not the language picker: a disabled button would not send its value.
  var working = document.body.getAttribute("data-working") || "Working…";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method.toLowerCase() !== "post" || form.classList.contains("language-picker")) return;
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      if (button.tagName === "BUTTON") button.textContent = working;
    });
  });
})();
