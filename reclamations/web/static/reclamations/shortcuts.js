// Keyboard shortcuts of the register and the complaint page (listed on /aide/raccourcis/).
// Loaded as a file (the CSP allows no inline script); the pages work the same without it.
// The addresses come from the script element's data-* attributes.
(function () {
  "use strict";
  var script = document.currentScript;
  var urls = {
    register: script.getAttribute("data-register-url"),
    newComplaint: script.getAttribute("data-new-url"),
    help: script.getAttribute("data-help-url")
  };
  var pendingG = false;

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function rowLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("table.register tbody tr th a"));
  }

  function moveRow(step) {
    var links = rowLinks();
    if (!links.length) return;
    var index = links.indexOf(document.activeElement);
    var next = index === -1 ? (step > 0 ? 0 : links.length - 1) : index + step;
    next = Math.max(0, Math.min(links.length - 1, next));
    links.forEach(function (link) { link.closest("tr").classList.remove("row-current"); });
    links[next].closest("tr").classList.add("row-current");
    links[next].focus();  // Entrée then follows the link, as it always does
  }

  function go(url) {
    if (url) window.location.assign(url);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    var key = event.key;
    if (pendingG) {
      pendingG = false;
      if (key === "r") { event.preventDefault(); go(urls.register); }
      return;
    }
    var handled = true;
    if (key === "/") {
      var search = document.getElementById("id_q");
      if (search) search.focus(); else handled = false;
    } else if (key === "j") {
      moveRow(1);
    } else if (key === "k") {
      moveRow(-1);
    } else if (key === "n" && urls.newComplaint) {
      go(urls.newComplaint);
    } else if (key === "r") {
      var first = document.querySelector("nav.next-step a.button-primary");
      if (first) first.click(); else handled = false;
    } else if (key === "g") {
      pendingG = true;
      window.setTimeout(function () { pendingG = false; }, 1500);
    } else if (key === "?") {
      go(urls.help);
    } else {
      handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
