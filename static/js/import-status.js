// The report page of a commitment import: while the import runs, asks every few seconds whether
// it has finished, then reloads the page to show the report. Without this script the page
// offers "Check again".
(function () {
  "use strict";
  var region = document.getElementById("import-status");
  if (!region || !window.fetch) return;
  var url = region.dataset.statusUrl;
  var delay = 1000;
  var deadline = Date.now() + 10 * 60 * 1000;

  function schedule() {
    if (Date.now() > deadline) return;
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
        if (state.finished) window.location.reload();
        else schedule();
      })
      .catch(schedule);
  }

  window.setTimeout(check, delay);
})();
