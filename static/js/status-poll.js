// Pages that wait for background work (a PDF being made, an import running): the element with
// `data-poll-url` asks that URL every few seconds whether the work is finished
// (`{"finished": true, "download_url": ...}`). When it is, a download is started by showing the
// element as the server now renders it and following the download link; anything else reloads
// the page to show the result. Without this script the page offers "Check again".
(function () {
  "use strict";
  var region = document.querySelector("[data-poll-url]");
  if (!region || region.dataset.finished === "true" || !window.fetch) return;

  function toggle(withScript) {
    region.querySelectorAll("[data-without-script]").forEach(function (el) { el.hidden = withScript; });
    region.querySelectorAll("[data-with-script]").forEach(function (el) { el.hidden = !withScript; });
  }
  toggle(true);

  var url = region.dataset.pollUrl;
  var delay = 1000;
  var deadline = Date.now() + 10 * 60 * 1000;

  function finish(state) {
    if (!state.download_url) {
      window.location.reload();
      return;
    }
    // Take the region from the page as the server renders it now (translated, with its links).
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(region.id);
        if (fresh) region.innerHTML = fresh.innerHTML;
        window.location.assign(state.download_url);
      });
  }

  function schedule() {
    if (Date.now() > deadline) {
      toggle(false);
      return;
    }
    delay = Math.min(delay * 1.5, 5000);
    window.setTimeout(check, delay);
  }

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        if (state.finished) finish(state);
        else schedule();
      })
      .catch(schedule);
  }

  window.setTimeout(check, delay);
})();
