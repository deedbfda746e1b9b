/*
 * Small edits without a full page reload. A form marked data-enhance="#region" is sent with
 * fetch; the page the server answers with (the same page a browser without JavaScript would get
 * after the redirect) replaces the region and the status messages, and focus returns to the
 * matching control (data-focus) or to the region. Without JavaScript the form posts normally.
 */
(function () {
  "use strict";

  function swap(doc, selector) {
    var fresh = doc.querySelector(selector);
    var current = document.querySelector(selector);
    if (!fresh || !current) return null;
    current.replaceWith(fresh);
    var messages = doc.querySelector(".messages");
    var oldMessages = document.querySelector(".messages");
    if (oldMessages) oldMessages.remove();
    if (messages) {
      var main = document.querySelector("#main .container");
      if (main) main.prepend(messages);
    }
    return fresh;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var selector = form.getAttribute("data-enhance");
    if (!selector || !window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var submitter = event.submitter || form.querySelector("[type=submit]");
    var focusKey = submitter ? submitter.getAttribute("data-focus") : null;
    if (submitter) submitter.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(
        function (response) {
          // The server answered: never post a second time. On an error, show its page.
          if (!response.ok) {
            window.location.reload();
            return null;
          }
          return response.text();
        },
        function () {
          // The request never reached the server: post the ordinary way, so nothing is lost.
          form.removeAttribute("data-enhance");
          form.submit();
          return null;
        }
      )
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var region = swap(doc, selector);
        if (!region) {
          window.location.reload();
          return;
        }
        var target = focusKey && region.querySelector('[data-focus="' + focusKey + '"]');
        if (!target && focusKey) {
          // The control moved to the end and lost its button: focus its counterpart.
          var other = focusKey.indexOf("up-") === 0 ? focusKey.replace("up-", "down-") : focusKey.replace("down-", "up-");
          target = region.querySelector('[data-focus="' + other + '"]');
        }
        if (!target) {
          region.setAttribute("tabindex", "-1");
          target = region;
        }
        target.focus();
      });
  });
})();
