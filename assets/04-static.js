/* Plain HTML sent as one component (components/static.py): {t: tag, p: props, c: children},
   drawn by React without a Dash component per element. A link moves within the app as Dash's
   own links do (a click without a modifier key: the history, then Dash's address bars). */
(function () {
  "use strict";
  var React = window.React;
  if (!React) { return; }

  function safe(href) {
    return typeof href === "string" && /^(\/|https?:)/.test(href) ? href : undefined;
  }

  function follow(event) {
    if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey || event.button) {
      return;
    }
    var target = event.currentTarget.getAttribute("target");
    if (target && target !== "_self") { return; }
    event.preventDefault();
    window.history.pushState({}, "", event.currentTarget.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function build(node, key) {
    if (node === null || node === undefined) { return null; }
    if (typeof node !== "object") { return String(node); }
    if (Array.isArray(node)) {
      return node.map(function (child, i) { return build(child, i); });
    }
    var props = Object.assign({key: key}, node.p);
    if (node.link) {
      props.href = safe(props.href);
      props.onClick = follow;
    }
    var children = node.c;
    var built = Array.isArray(children) ? children.map(function (child, i) {
      return build(child, i);
    }) : build(children);
    return React.createElement(node.t, props, built);
  }

  function Static(props) {
    return React.useMemo(function () { return build(props.tree); }, [props.tree]);
  }

  window.cockpit_components = Object.assign(window.cockpit_components || {}, {Static: Static});
})();
