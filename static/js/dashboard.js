// Optional helpers of the coordination pages; everything works without this file.
(function () {
  "use strict";
  // Progress page: reload while a bulk job runs (the "Aktualisieren" link does the same).
  var refresh = document.querySelector("[data-refresh]");
  if (refresh) {
    window.setTimeout(function () { window.location.reload(); }, 3000);
  }
})();
