/* A slider's thumb (role="slider", drawn by Dash) carries no name of its own: it takes the
   words of the nearest [data-thumb-label] around it (e.g. the risk page's time line). */
(function () {
  "use strict";
  function name() {
    document.querySelectorAll("[data-thumb-label] [role=slider]:not([aria-label])").forEach(
      function (thumb) {
        thumb.setAttribute("aria-label",
                           thumb.closest("[data-thumb-label]").getAttribute("data-thumb-label"));
      });
  }
  new MutationObserver(name).observe(document.documentElement, {childList: true, subtree: true});
})();
