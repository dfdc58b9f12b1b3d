/* Dash 4's dropdown is reached with Tab through a hidden input (aria-hidden, yet focusable)
   that hands the focus on to the dropdown's button: a screen reader's user lands on an element
   hidden from it (axe: aria-hidden-focus). Here the button itself takes the focus (it already
   carries the dropdown's name, its value and aria-haspopup, and opens with Enter or the down
   arrow), and the hidden input is taken out of the page's focus order for good (inert). */
(function () {
  "use strict";
  var stands = document.getElementsByClassName("dash-dropdown-focus-target");  // kept current
  function mend() {
    for (var i = 0; i < stands.length; i++) {
      var stand = stands[i];
      var button = stand.nextElementSibling;
      if (stand.inert || !button || button.tagName !== "BUTTON") { continue; }
      stand.inert = true;
      stand.tabIndex = -1;
      if (!button.disabled) { button.tabIndex = 0; }
    }
  }
  // Dash gives the hidden input its place in the focus order back whenever the button loses the
  // focus: taken again (this listener runs after React's, which listens lower down).
  document.addEventListener("focusout", function (event) {
    var stand = event.target && event.target.previousElementSibling;
    if (stand && stand.classList && stand.classList.contains("dash-dropdown-focus-target")) {
      stand.tabIndex = -1;
    }
  });
  new MutationObserver(mend).observe(document.documentElement, {childList: true, subtree: true});
})();
