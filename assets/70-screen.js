/* The large screen's browser part (/screen, components/screen_canvas.py):
   - the 1920×1080 canvas scaled uniformly to the window, letterboxed, never scrolled;
   - rotation of the side slots every data-rotate seconds (0: still); ← → move, space pauses;
   - refresh: every data-refresh seconds ask /data-version (a few bytes); only when the store's
     version changed, hand it to Dash (screen-version), whose callback sends the panels that
     changed; the rotation keeps its place;
   - data-reload hours: a full reload (same address, so the same settings);
   - data-idle seconds without a touch, a click or a key: back to the home view;
   - a tap on the map drills as a click does (plotly's geo map needs a hover first);
   - the server gone: a small banner, the figures kept, retried until it is back. */
(function () {
  "use strict";
  var W = 1920, H = 1080;
  var HOME_KEY = "cockpit-screen-home";
  var stage = null;          // the .screen-stage on the page (a new one after each drill)
  var st = null;             // that stage's state
  var home = null;           // the address the screen was opened at (kept over a reload)
  var reloadTimer = null;

  function setting(el, name) {
    var value = parseFloat(el.getAttribute("data-" + name));
    return isFinite(value) && value > 0 ? value : 0;
  }

  function navigate(href) {  // as a dcc.Link does: no reload, Back works
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  }

  // --- scaling ---------------------------------------------------------------------------
  function fit() {
    if (!stage) { return; }
    var canvas = stage.querySelector(".screen-canvas");
    var w = stage.clientWidth, h = stage.clientHeight;
    var s = Math.min(w / W, h / H);
    var t = "translate(" + (w - W * s) / 2 + "px," + (h - H * s) / 2 + "px) scale(" + s + ")";
    if (canvas.style.transform !== t) {
      canvas.style.transform = t;
      stage.setAttribute("data-scale", s.toFixed(4));
      if (window.Plotly) {  // plotly keeps the page's transform for its pointer positions
        stage.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
          window.Plotly.Plots.resize(gd);
        });
      }
    }
  }

  // --- rotation --------------------------------------------------------------------------
  function rounds() {
    var most = 1;
    stage.querySelectorAll(".screen-slot").forEach(function (slot) {
      most = Math.max(most, slot.querySelectorAll(".screen-frame").length);
    });
    return most;
  }

  function show(step) {
    st.step = step;
    stage.querySelectorAll(".screen-slot").forEach(function (slot) {
      var frames = slot.querySelectorAll(".screen-frame");
      var n = frames.length, at = ((step % n) + n) % n;
      frames.forEach(function (frame, i) { frame.classList.toggle("is-current", i === at); });
    });
    var n = rounds(), label = stage.querySelector(".sh-rotation");
    stage.setAttribute("data-step", String(((step % n) + n) % n));
    if (label) {
      var text = n > 1 ? "第 " + (((step % n) + n) % n + 1) + "/" + n + " 组" : "";
      label.textContent = st.paused ? "⏸ 已暂停 " + text : text;
    }
  }

  function restartRotation() {
    if (st.rotateTimer) { window.clearInterval(st.rotateTimer); st.rotateTimer = null; }
    if (st.rotate > 0) {
      st.rotateTimer = window.setInterval(function () {
        if (!st.paused) { show(st.step + 1); }
      }, st.rotate * 1000);
    }
  }

  // --- refresh ---------------------------------------------------------------------------
  function banner(down) {
    var el = stage && stage.querySelector(".screen-banner");
    if (el) { el.hidden = !down; }
    if (stage) { stage.setAttribute("data-connection", down ? "down" : "up"); }
  }

  function poll(mine) {
    if (mine !== st) { return; }
    mine.pollTimer = null;
    window.fetch("/data-version", {credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.redirected && response.url.indexOf("/login") !== -1) {
          window.location.assign("/login?reason=expired&next=" +
            encodeURIComponent(window.location.pathname + window.location.search));
          return null;
        }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        if (data === null || mine !== st) { return; }
        banner(false);
        var version = String(data.version);
        if (version !== mine.version) {
          mine.version = version;
          window.dash_clientside.set_props("screen-version", {data: Number(version)});
        }
        schedule(mine, mine.refresh);
      })
      .catch(function () {
        if (mine !== st) { return; }
        banner(true);
        schedule(mine, Math.min(mine.refresh, 5));
      });
  }

  function schedule(mine, seconds) {
    if (seconds > 0 && mine === st) {
      mine.pollTimer = window.setTimeout(function () { poll(mine); }, seconds * 1000);
    }
  }

  // --- idle return and reload --------------------------------------------------------------
  function touched() {
    if (!st || !(st.idle > 0)) { return; }
    if (st.idleTimer) { window.clearTimeout(st.idleTimer); }
    st.idleTimer = window.setTimeout(goHome, st.idle * 1000);
  }

  function goHome() {
    if (!st) { return; }
    var here = window.location.pathname + window.location.search;
    if (window.location.href !== st.href) {  // the view of this address is still on its way
      touched();
      return;
    }
    if (here !== home) {
      navigate(home);
    } else {
      show(0);
      restartRotation();
      touched();
    }
  }

  function planReload(hours) {
    if (reloadTimer || !(hours > 0)) { return; }
    reloadTimer = window.setTimeout(function reloadWhenUp() {
      window.fetch("/data-version", {credentials: "same-origin", cache: "no-store"})
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          window.sessionStorage.setItem(HOME_KEY, home);
          window.location.reload();
        })
        .catch(function () { reloadTimer = window.setTimeout(reloadWhenUp, 30000); });
    }, hours * 3600 * 1000);
  }

  // --- a tap on the map ----------------------------------------------------------------------
  function onTouchStart(event) {
    if (!st) { return; }
    var touch = event.changedTouches[0];
    st.touch = {x: touch.clientX, y: touch.clientY, t: Date.now()};
  }

  function onTouchEnd(event) {
    if (!st) { return; }
    var map = event.target.closest && event.target.closest("#screen-map");
    var start = st.touch;
    st.touch = null;
    if (!map || !start || event.changedTouches.length !== 1) { return; }
    var touch = event.changedTouches[0];
    var moved = Math.abs(touch.clientX - start.x) + Math.abs(touch.clientY - start.y);
    if (moved > 20 || Date.now() - start.t > 800) { return; }
    // plotly's geo map turns a click into clickData only for the region under a hover: hover
    // there first, then click, as a mouse would.
    event.preventDefault();
    var target = document.elementFromPoint(touch.clientX, touch.clientY) || event.target;
    var init = {bubbles: true, cancelable: true, view: window,
                clientX: touch.clientX, clientY: touch.clientY};
    target.dispatchEvent(new MouseEvent("mousemove", init));
    window.setTimeout(function () {
      target.dispatchEvent(new MouseEvent("mousedown", init));
      target.dispatchEvent(new MouseEvent("mouseup", init));
      target.dispatchEvent(new MouseEvent("click", init));
    }, 80);
  }

  // --- keys ----------------------------------------------------------------------------------
  function onKey(event) {
    if (!st || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      show(st.step + (event.key === "ArrowRight" ? 1 : -1));
      restartRotation();
      event.preventDefault();
    } else if (event.key === " " || event.key === "Spacebar") {
      st.paused = !st.paused;
      stage.setAttribute("data-paused", st.paused ? "true" : "false");
      show(st.step);
      event.preventDefault();
    }
  }

  // --- the clock -----------------------------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var clock = stage && stage.querySelector(".sh-clock");
    if (!clock) { return; }
    var d = new Date();
    clock.textContent = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
      " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }

  // --- a stage comes and goes (a drill is a new page) -----------------------------------------
  function stop() {
    if (!st) { return; }
    ["rotateTimer"].forEach(function (k) { if (st[k]) { window.clearInterval(st[k]); } });
    ["pollTimer", "idleTimer"].forEach(function (k) { if (st[k]) { window.clearTimeout(st[k]); } });
    st = null;
  }

  function start(el) {
    stop();
    stage = el;
    if (!home) {
      home = window.sessionStorage.getItem(HOME_KEY) ||
        window.location.pathname + window.location.search;
      window.sessionStorage.removeItem(HOME_KEY);
    }
    st = {step: 0, paused: false, version: el.getAttribute("data-version"),
          view: el.getAttribute("data-view"), href: window.location.href,
          rotate: setting(el, "rotate"), refresh: setting(el, "refresh"),
          idle: setting(el, "idle")};
    fit();
    show(0);
    tick();
    restartRotation();
    schedule(st, st.refresh);
    touched();
    planReload(setting(el, "reload"));
  }

  function watch() {
    var el = document.querySelector(".screen-stage");
    if (el !== stage || (el && st && el.getAttribute("data-view") !== st.view)) {
      if (el) { start(el); } else { stop(); stage = null; }
    } else if (el) {
      fit();
    }
  }

  new MutationObserver(watch).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener("resize", fit);
  window.addEventListener("keydown", onKey);
  document.addEventListener("touchstart", onTouchStart, {passive: true});
  document.addEventListener("touchend", onTouchEnd, {passive: false});
  ["pointerdown", "keydown", "touchstart", "wheel"].forEach(function (name) {
    window.addEventListener(name, touched, {passive: true, capture: true});
  });
  window.setInterval(tick, 1000);
  watch();
})();
