/* Signed-in pages: a session that ends while a page is open sends the browser to the
   sign-in page (Dash's requests are answered 401); a store that is away (503: the session
   cannot be checked) is said in the notice bar, in the server's words, and the control is left
   as it was; so is a callback the server refuses as malformed (400: a page older than the
   server, after an upgrade), with the advice to reload; the watermark is repeated over the
   page (the page carries one copy: components/frame.py) and its time stays current. */
(function () {
  "use strict";
  var originalFetch = window.fetch;
  var leaving = false;
  var STORE_DOWN = "数据源暂不可用：暂时无法连接数据库，请稍后再试。";
  var STALE = "页面可能已过期（例如系统刚刚升级），请刷新页面后再试。";

  function tell(words) {
    var dc = window.dash_clientside;
    if (dc && dc.set_props && document.getElementById("app-notice")) {
      dc.set_props("app-notice-text", {children: words});
      dc.set_props("app-notice", {hidden: false});
    }
  }

  window.fetch = function (resource, init) {
    return originalFetch.apply(this, arguments).then(function (response) {
      var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
      if (url.indexOf("/_dash-") === -1) { return response; }
      if (response.status === 401 && !leaving) {
        leaving = true;
        var here = window.location.pathname + window.location.search;
        window.location.assign("/login?reason=expired&next=" + encodeURIComponent(here));
      } else if (response.status === 503 || (response.status === 400 &&
                 url.indexOf("/_dash-update-component") !== -1)) {
        var fallback = response.status === 503 ? STORE_DOWN : STALE;
        var extra = response.status === 400 ? "：" + STALE : "";
        response.clone().json().then(function (body) {
          tell(((body && body.error) || fallback) + extra);
        }, function () { tell(fallback); });
        if (url.indexOf("/_dash-update-component") !== -1) {
          // A callback is answered "nothing changed": the page stays as it was.
          return new Response(null, {status: 204});
        }
      }
      return response;
    });
  };

  var offset = null;  // server clock minus this browser's, from the page's watermark
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var marks = document.querySelector(".watermark");
    if (!marks) { return; }
    if (offset === null) {
      var server = Date.parse(marks.getAttribute("data-server-time"));
      offset = isNaN(server) ? 0 : server - Date.now();
    }
    var d = new Date(Date.now() + offset);
    var text = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
    var times = marks.querySelectorAll(".watermark-time");
    if (times.length && times[0].textContent !== text) {
      times.forEach(function (el) { el.textContent = text; });
    }
  }
  window.setInterval(tick, 15000);

  var watermarks = document.getElementsByClassName("watermark");  // kept current
  function fill() {
    for (var w = 0; w < watermarks.length; w++) {
      var marks = watermarks[w];
      var mark = marks.querySelector(".watermark-mark");
      if (!mark || marks.hasAttribute("data-filled") || !marks.hasAttribute("data-copies")) {
        continue;
      }
      marks.setAttribute("data-filled", "true");
      var copies = document.createDocumentFragment();
      for (var i = 1; i < Number(marks.getAttribute("data-copies")); i++) {
        copies.appendChild(mark.cloneNode(true));
      }
      marks.appendChild(copies);
    }
  }
  new MutationObserver(fill).observe(document.documentElement, {childList: true, subtree: true});
})();
