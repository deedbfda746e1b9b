/*
 * Comment boxes (a textarea with data-maxlength): the characters left under the limit, counted
 * as the person types or pastes. The limit is in the field's hint for those without JavaScript,
 * and the server refuses a longer text with an error (there is no maxlength attribute, which
 * would cut a long paste without a word).
 *
 * The count under the box is tied to it (aria-describedby), so a screen reader reads it with
 * the field; a polite live region speaks only when the count crosses a threshold (500 and 100
 * left, over the limit, back under it), not at every keystroke. The texts come translated
 * from the page (data-count-left, data-count-over, with %(count)s for the number).
 */
(function () {
  "use strict";
  var THRESHOLDS = [500, 100];
  var number = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || undefined) : null;

  function length(text) {
    // What the server counts: characters (code points), each line break as one.
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  function band(left) {
    // 0: plenty left; 1: 500 or fewer; 2: 100 or fewer; 3: over the limit.
    if (left < 0) return THRESHOLDS.length + 1;
    var reached = 0;
    THRESHOLDS.forEach(function (threshold, i) {
      if (left <= threshold) reached = i + 1;
    });
    return reached;
  }

  function say(template, count) {
    return (template || "%(count)s").replace("%(count)s", number ? number.format(count) : String(count));
  }

  function enhance(field, index) {
    var limit = parseInt(field.getAttribute("data-maxlength"), 10);
    if (!limit || field.hasAttribute("data-counted")) return;
    field.setAttribute("data-counted", "");
    var id = (field.id || "comment-box-" + index) + "-count";
    var count = document.createElement("p");
    count.className = "char-count";
    count.id = id;
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", count);
    count.insertAdjacentElement("afterend", live);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + id : id);

    var current = null;
    function update(announce) {
      var left = limit - length(field.value);
      var text = left < 0 ? say(field.getAttribute("data-count-over"), -left) : say(field.getAttribute("data-count-left"), left);
      count.textContent = text;
      count.classList.toggle("char-count--over", left < 0);
      var now = band(left);
      if (announce && current !== null && now !== current) live.textContent = text;
      current = now;
    }
    field.addEventListener("input", function () { update(true); });
    update(false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-maxlength]"), enhance);
})();
