// The PDF status page: asks every few seconds whether the PDF is ready, then shows the page's
// final state and starts the download. Without this script the page offers "Check again".
(function () {
  "use strict";
  var region = document.getElementById("pdf-status");
  if (!region || region.dataset.finished === "true" || !window.fetch) return;

  region.querySelectorAll("[data-without-script]").forEach(function (el) { el.hidden = true; });
  region.querySelectorAll("[data-with-script]").forEach(function (el) { el.hidden = false; });

  var url = region.dataset.statusUrl;
  var delay = 1000;
  var deadline = Date.now() + 10 * 60 * 1000;

  function showFinalState(state) {
    // Take the region from the page as the server renders it now (translated, with its links).
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("pdf-status");
        if (fresh) region.innerHTML = fresh.innerHTML;
        if (state.ready && state.download_url) window.location.assign(state.download_url);
      });
  }

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        if (state.finished) return showFinalState(state);
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    if (Date.now() > deadline) {
      region.querySelectorAll("[data-without-script]").forEach(function (el) { el.hidden = false; });
      return;
    }
    delay = Math.min(delay * 1.5, 5000);
    window.setTimeout(check, delay);
  }

  window.setTimeout(check, delay);
})();
