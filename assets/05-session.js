/* Signed-in pages: a session that ends while a page is open sends the browser to the
   sign-in page (Dash's requests are answered 401), and the watermark's time stays current. */
(function () {
  "use strict";
  var originalFetch = window.fetch;
  var leaving = false;
  window.fetch = function (resource, init) {
    return originalFetch.apply(this, arguments).then(function (response) {
      var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
      if (response.status === 401 && !leaving && url.indexOf("/_dash-") !== -1) {
        leaving = true;
        var here = window.location.pathname + window.location.search;
        window.location.assign("/login?reason=expired&next=" + encodeURIComponent(here));
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
})();
