/* Meeting mode (/meeting, pages/meeting.py): the keyboard turns the slides. → (PageDown) the
   next, ← (PageUp) the previous, Home the first, End the last, a number (then a pause or Enter)
   jumps to that slide. Every slide is an address of its own: turning pushes it, as a link does,
   so Back returns to the slide before. The canvas is scaled by assets/70-screen.js. */
(function () {
  "use strict";
  var typed = "", typedTimer = null;

  function deck() {
    var stage = document.querySelector(".screen-stage.is-meeting");
    if (!stage) { return null; }
    return {hrefs: JSON.parse(stage.getAttribute("data-hrefs") || "[]"),
            slide: parseInt(stage.getAttribute("data-slide"), 10) || 1};
  }

  function go(number) {
    var d = deck();
    if (!d || !d.hrefs.length) { return; }
    var n = Math.max(1, Math.min(d.hrefs.length, number));
    if (n === d.slide) { return; }
    window.history.pushState({}, "", d.hrefs[n - 1]);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }

  function jump() {
    if (typedTimer) { window.clearTimeout(typedTimer); typedTimer = null; }
    if (typed) { go(parseInt(typed, 10)); }
    typed = "";
  }

  window.addEventListener("keydown", function (event) {
    var d = deck();
    if (!d || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown") { go(d.slide + 1); }
    else if (key === "ArrowLeft" || key === "PageUp") { go(d.slide - 1); }
    else if (key === "Home") { go(1); }
    else if (key === "End") { go(d.hrefs.length); }
    else if (/^[0-9]$/.test(key)) {
      typed += key;
      if (typedTimer) { window.clearTimeout(typedTimer); }
      typedTimer = window.setTimeout(jump, 700);
    } else if (key === "Enter" && typed) { jump(); }
    else { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
})();
