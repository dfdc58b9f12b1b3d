/* AG Grid, fetched only where a table is drawn (components/lazy_scripts.py leaves its 1.3 MB
   bundle out of every page). Until its table is drawn, a grid is an empty box of the grid's own
   size and class, so the page does not move when the table appears. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="cockpit-grid-src"]');
  if (!meta || window.dash_ag_grid || !window.React) { return; }
  var React = window.React;
  var loading = null;
  var real = null;  // AG Grid's own component, once its bundle has run

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = meta.getAttribute("content");
        script.onload = function () {
          // The bundle replaced window.dash_ag_grid: keep its functions (getApi…), but let
          // Dash go on drawing every grid through LazyAgGrid, so that a grid drawn before is
          // never unmounted and drawn anew as another kind of component.
          var bundle = window.dash_ag_grid;
          real = bundle.AgGrid;
          LazyAgGrid.defaultProps = real.defaultProps;
          LazyAgGrid.dashPersistence = real.dashPersistence;
          window.dash_ag_grid = Object.assign({}, bundle, {AgGrid: LazyAgGrid});
          resolve(real);
        };
        script.onerror = function () { loading = null; reject(new Error("AG Grid 未能加载")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function LazyAgGrid(props) {
    var state = React.useState(function () { return real; });
    var Grid = state[0];
    var setGrid = state[1];
    React.useEffect(function () {
      if (real) { return undefined; }
      var alive = true;
      load().then(function (real) { if (alive) { setGrid(function () { return real; }); } });
      return function () { alive = false; };
    }, []);
    // The box keeps its place until the grid's own table is drawn (AG Grid draws nothing while
    // its second chunk loads): a box that follows the grid is hidden (assets/10-cockpit.css).
    var style = Object.assign({height: 400, width: "100%"}, props.style || {});
    var box = React.createElement("div", {
      className: "lazy-grid-box " + (props.className || ""), style: style, "aria-busy": "true",
    });
    return React.createElement("div", {className: "lazy-grid"},
                               Grid ? React.createElement(Grid, props) : null, box);
  }

  window.dash_ag_grid = {
    AgGrid: LazyAgGrid,
    getApiAsync: function (id) { return load().then(function () { return window.dash_ag_grid.getApiAsync(id); }); },
  };
})();
