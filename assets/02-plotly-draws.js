/* plotly.js comes after the page, and the charts are drawn one at a time.

   - Where plotly.js is: the app's own bundle (components/lazy_scripts.py leaves it out of the
     page and names it in a <meta>). dcc.Graph fetches it when the first chart is drawn, from
     window._dashPlotlyJSURL, which Dash would point at its full bundle: it is kept on ours.
     It evaluates itself in steps, a task each (scripts/plotly_bundle/build.mjs): until the
     last one, window.Plotly is a stand-in whose `cockpitPending` promise says when it is ready.
   - A chart's first drawing (Plotly.react on a chart not yet drawn) waits for its turn: one chart
     per task, those on the screen first, then those within a screen's height of it, in the
     page's order; a chart further down is drawn when the reader scrolls towards it (a screen's
     height ahead), a hidden one (a slide not shown) when it shows, every one before printing.
     A page with a map, a ranking and a timeline no longer freezes while all of them are drawn
     at once; the page's text is on the screen before the first chart is drawn. Later changes to
     a chart that is drawn (a new figure, the large screen's refresh) go straight to plotly.js. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="cockpit-plotly-src"]');
  if (meta) {
    var src = meta.getAttribute("content");
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true,
      get: function () { return src; },
      set: function () {},
    });
  }

  var queue = [];      // charts waiting for their first drawing, in the order they came
  var pending = false;
  var printing = false;
  // Which waiting charts are on the screen or near it, as the browser reports it after laying
  // the page out (asking each chart for its box would lay the page out again before every
  // drawing): "near" is within a screen's height.
  function watch(margin, flag) {
    return new window.IntersectionObserver(function (seen) {
      seen.forEach(function (entry) {
        var job = entry.target.__cockpitJob;
        if (job) { job[flag] = entry.isIntersecting; }
      });
      later();
    }, {rootMargin: margin});
  }
  var watchers = window.IntersectionObserver ? [watch("0px", "onScreen"), watch("100% 0px", "near")]
    : [];

  function ready(job) { return printing || !watchers.length || job.near || job.onScreen; }

  function next() {
    var i;
    for (i = 0; i < queue.length; i++) {
      if (queue[i].onScreen) { return queue.splice(i, 1)[0]; }
    }
    for (i = 0; i < queue.length; i++) {
      if (ready(queue[i])) { return queue.splice(i, 1)[0]; }
    }
    return null;
  }

  function later() {
    // A chart waits until the browser has placed it (and so drawn the page's text around it).
    if (!pending && queue.some(ready)) {
      pending = true;
      window.setTimeout(drawOne, 0);
    }
  }

  window.addEventListener("beforeprint", function () {
    printing = true;
    // (while plotly.js is still evaluating itself, its charts are drawn right after it)
    while (queue.length && !(window.Plotly && window.Plotly.cockpitPending)) { drawOne(); }
  });
  window.addEventListener("afterprint", function () { printing = false; });

  function drawOne() {
    pending = false;
    // plotly.js evaluates itself in steps (scripts/plotly_bundle/build.mjs): nothing is drawn
    // before the last one, and then still one chart per task.
    var loading = window.Plotly && window.Plotly.cockpitPending;
    if (loading) {
      pending = true;
      loading.then(function () { pending = false; later(); });
      return;
    }
    var job = next();
    if (job) {
      var settle = function (how, value) {
        job.done.forEach(function (d) { d[how](value); });
      };
      job.gd.__cockpitJob = null;
      watchers.forEach(function (w) { w.unobserve(job.gd); });
      if (!job.gd.isConnected) {
        settle(0, job.gd);  // gone from the page before its turn: nothing to draw
      } else {
        try {
          job.react.apply(window.Plotly, [job.gd].concat(job.args)).then(
            function (gd) { settle(0, gd); }, function (e) { settle(1, e); });
        } catch (e) {
          settle(1, e);
        }
      }
    }
    later();
  }

  function queued(react) {
    return function (gd) {
      var args = Array.prototype.slice.call(arguments, 1);
      if (!(gd instanceof window.HTMLElement) || gd._fullLayout) {
        return react.apply(this, arguments);  // drawn before: changed in place, at once
      }
      var job = gd.__cockpitJob;
      if (job) {
        job.args = args;  // asked again before its turn: the newest figure is drawn
      } else {
        job = gd.__cockpitJob = {gd: gd, args: args, react: react, done: [],
                                 onScreen: false, near: false};
        queue.push(job);
        watchers.forEach(function (w) { w.observe(gd); });
      }
      var promise = new Promise(function (resolve, reject) { job.done.push([resolve, reject]); });
      later();
      return promise;
    };
  }

  function install() {
    var plotly = window.Plotly;
    if (plotly && plotly.react && !plotly.react.cockpitQueued) {
      plotly.react = queued(plotly.react);
      plotly.react.cockpitQueued = true;
    }
  }

  install();
  // plotly.js arrives by a <script> that dcc.Graph adds: wrap it before Dash draws with it
  // (a capturing listener runs before the script's own onload).
  document.addEventListener("load", function (event) {
    if (event.target && event.target.tagName === "SCRIPT") { install(); }
  }, true);
})();
