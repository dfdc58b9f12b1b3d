/* The wall screen's address carries its token after the # (never sent to the server or its
   logs): the sign-in form is filled from it and sent, unless the page already says why it was
   refused. A file of its own: the Content-Security-Policy runs no inline script. */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.hash.slice(1));
  var form = document.getElementById("device-form");
  if (form && params.get("token")) {
    form.elements.token.value = params.get("token");
    if (params.get("next")) { form.elements.next.value = params.get("next"); }
    if (form.getAttribute("data-submit") === "yes") { form.submit(); }
  }
})();
