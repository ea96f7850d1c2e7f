// Opens the search dialog and loads Pagefind's UI on first use (nothing is fetched before).
(function () {
  "use strict";
  var button = document.querySelector("[data-ka-search-open]");
  var dialog = document.querySelector(".ka-search-dialog");
  if (!button || !dialog) return;
  // absolute, because Pagefind imports its modules from it ("pagefind/x.js" alone is no valid module path)
  var bundle = new URL(button.getAttribute("data-bundle"), document.baseURI).href;
  var loaded = null;

  function load() {
    if (loaded) return loaded;
    loaded = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = bundle + "pagefind-ui.css";
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = bundle + "pagefind-ui.js";
      script.onload = function () {
        new window.PagefindUI({
          element: "#ka-search",
          bundlePath: bundle,
          baseUrl: button.getAttribute("data-base"),
          showSubResults: true,
          showImages: false,
          resetStyles: false,
          autofocus: true
        });
        resolve();
      };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loaded;
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    load().then(function () {
      var input = dialog.querySelector(".pagefind-ui__search-input");
      if (input) input.focus();
    });
  }

  button.addEventListener("click", open);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !dialog.open) {
      event.preventDefault();
      open();
    }
  });
  // A click on the backdrop closes the dialog.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
})();
