// "In die Zwischenablage kopieren" next to an article's BibTeX entry.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-ka-copy]");
    if (!button) return;
    var code = button.closest(".ka-citation__bibtex").querySelector("code");
    navigator.clipboard.writeText(code.textContent).then(function () {
      button.textContent = "Kopiert";
    }, function () {
      button.textContent = "Kopieren nicht möglich – bitte markieren";
    });
  });
})();
