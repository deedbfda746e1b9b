// Live eligibility result: asks the server, which applies the one rule, as the scores change.
(function () {
  "use strict";
  var result = document.getElementById("eligibility-result");
  if (!result || !window.fetch) return;
  var form = result.closest("form");
  var label = result.querySelector("[data-result-label]");
  var points = result.querySelector("[data-result-points]");
  var pending = null;

  function update() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    params.set("preview", "1");
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(result.dataset.previewUrl + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      signal: pending.signal,
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        result.className = "eligibility-result eligibility-result--" + data.outcome;
        label.textContent = data.label;
        points.textContent = "(" + data.points + " / " + data.available + ")";
      })
      .catch(function () { /* the result is computed again on save */ });
  }

  form.addEventListener("change", update);
  // Scores chosen before this script ran (a fast hand, or a browser restoring the form on
  // "back") would otherwise show a stale result.
  update();
})();
