/* Cell renderers of the task tables (dash-ag-grid). Text is always given to React as text,
   never as HTML. Other topics may add their own renderers to the same registry. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
  window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.TaskLink = function (props) {
  if (!props.data || !props.data.href) { return props.value; }
  var href = props.data.href;
  return React.createElement("a", {
    href: href,
    className: "task-grid-link",
    onClick: function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      window.history.pushState({}, "", href);
      window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
      window.scrollTo(0, 0);
    }
  }, props.value);
};

dagcomponentfuncs.TaskProgress = function (props) {
  if (props.value === null || props.value === undefined) { return "—"; }
  var value = Number(props.value);
  var width = Math.max(0, Math.min(100, value));
  var colour = (props.data && props.data.status_colour) || "#1b5aa0";
  var title = "进度 " + value.toFixed(1) + "%";
  if (props.data && props.data.elapsed !== undefined) {
    title += "，时间进度 " + Number(props.data.elapsed).toFixed(1) + "%";
  }
  return React.createElement("div", { className: "task-progress", title: title }, [
    React.createElement("div", { key: "bar", className: "task-progress-bar" },
      React.createElement("div", {
        className: "task-progress-fill", style: { width: width + "%", backgroundColor: colour }
      })),
    React.createElement("span", { key: "text", className: "task-progress-text" },
      value.toFixed(1) + "%")
  ]);
};

/* The status column holds the status's rank (so it sorts from 逾期 to 已完成) and shows
   the status's symbol and word. */
dagcomponentfuncs.TaskStatus = function (props) {
  if (!props.data) { return props.value; }
  return React.createElement("span", {
    className: "light task-status-badge",
    style: { backgroundColor: props.data.status_colour, color: props.data.status_ink }
  }, [
    React.createElement("span", { key: "s", className: "light-symbol", "aria-hidden": "true" },
      props.data.status_symbol),
    React.createElement("span", { key: "w" }, props.data.status_word)
  ]);
};

