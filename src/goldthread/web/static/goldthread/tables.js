// "Select all on this page" for tables whose row boxes belong to a bulk-action form (their `form` attribute).
// Without JavaScript the box stays hidden and each row is ticked by hand.
(function () {
  "use strict";

  function rows(box) {
    return document.querySelectorAll('input[type="checkbox"][form="' + box.dataset.selectAll + '"]');
  }

  function reveal(root) {
    root.querySelectorAll("input[data-select-all]").forEach(function (box) {
      box.hidden = false;
      var all = rows(box);
      box.checked = all.length > 0 && Array.prototype.every.call(all, function (row) { return row.checked; });
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("input[data-select-all]")) {
      rows(box).forEach(function (row) { row.checked = box.checked; });
    } else if (box.matches('input[type="checkbox"][form]')) {
      var all = document.querySelector('input[data-select-all="' + box.getAttribute("form") + '"]');
      if (all) { reveal(all.closest("table") || document); }
    }
  });
  // The event list swaps its table in place (htmx): the new table's box is revealed too.
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
  reveal(document);
})();
