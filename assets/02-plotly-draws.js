/* plotly.js comes after the page, and the charts are drawn one at a time.

   - Where plotly.js is: the app's own bundle (components/lazy_scripts.py leaves it out of the
     page and names it in a <meta>). dcc.Graph fetches it when the first chart is drawn, from
     window._dashPlotlyJSURL, which Dash would point at its full bundle: it is kept on ours.
   - A chart's first drawing (Plotly.react on a chart not yet drawn) waits for its turn: one chart
     per task, those on the screen first, then the others in the page's order. A page with a
     map, a ranking and a timeline no longer freezes while all of them are drawn at once; the
     page's text is on the screen before the first chart is drawn. Later changes to a chart
     that is drawn (a new figure, the large screen's refresh) go straight to plotly.js. */
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
  // Which waiting charts are on the screen, as the browser reports it after laying the page out
  // (asking each chart for its box would lay the page out again before every drawing).
  var watcher = window.IntersectionObserver ? new window.IntersectionObserver(function (seen) {
    seen.forEach(function (entry) {
      var job = entry.target.__cockpitJob;
      if (job) { job.onScreen = entry.isIntersecting; job.placed = true; }
    });
    later();
  }) : null;

  function next() {
    for (var i = 0; i < queue.length; i++) {
      if (queue[i].onScreen) { return queue.splice(i, 1)[0]; }
    }
    return queue.shift();
  }

  function later() {
    // A chart waits until the browser has placed it (and so drawn the page's text around it).
    if (!pending && queue.some(function (job) { return job.placed; })) {
      pending = true;
      window.setTimeout(drawOne, 0);
    }
  }

  function drawOne() {
    pending = false;
    var job = next();
    if (job) {
      var settle = function (how, value) {
        job.done.forEach(function (d) { d[how](value); });
      };
      job.gd.__cockpitJob = null;
      if (watcher) { watcher.unobserve(job.gd); }
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
                                 onScreen: false, placed: !watcher};
        queue.push(job);
        if (watcher) { watcher.observe(gd); }
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
