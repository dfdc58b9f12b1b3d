/* The header's menu: folded on a phone (assets/90-phone.css), opened by its button and closed
   when a page is chosen; the navigation marks the current page (aria-current) on every address
   change, also those made inside the app (Dash moves with history.pushState). */
(function () {
  "use strict";

  function section(path) {
    // "/" and "/region/…" are the cockpit; any other page is its first path segment.
    if (path === "/" || path.indexOf("/region/") === 0) { return "/"; }
    return "/" + path.split("/")[1];
  }

  function markCurrent() {
    var links = document.querySelectorAll(".app-header .nav-link");
    var here = section(window.location.pathname);
    links.forEach(function (link) {
      var target = section(new URL(link.href, window.location.href).pathname);
      if (target === here) { link.setAttribute("aria-current", "page"); }
      else { link.removeAttribute("aria-current"); }
    });
    return links.length > 0;
  }

  function setOpen(header, open) {
    header.classList.toggle("is-open", open);
    var button = header.querySelector(".menu-toggle");
    if (button) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".menu-toggle");
    var header = event.target.closest(".app-header") || document.querySelector(".app-header");
    if (!header) { return; }
    if (toggle) { setOpen(header, !header.classList.contains("is-open")); }
    else if (event.target.closest(".header-menu a") || !event.target.closest(".app-header")) {
      setOpen(header, false);
    }
  });

  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name];
    window.history[name] = function () {
      var result = original.apply(this, arguments);
      markCurrent();
      return result;
    };
  });
  window.addEventListener("popstate", markCurrent);

  // The header is drawn by Dash after this script runs: mark it once it is there.
  var watcher = new MutationObserver(function () { if (markCurrent()) { watcher.disconnect(); } });
  watcher.observe(document.documentElement, {childList: true, subtree: true});
})();
