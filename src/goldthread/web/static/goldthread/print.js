// A closed disclosure prints as its summary alone, so what it holds would be missing from the paper. Printing opens
// every closed <details>, and closes again only those it opened: the page on screen stays as the reader left it.
"use strict";

const OPENED_FOR_PRINT = "data-opened-for-print";

window.addEventListener("beforeprint", () => {
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.setAttribute(OPENED_FOR_PRINT, "");
    details.open = true;
  }
});

window.addEventListener("afterprint", () => {
  for (const details of document.querySelectorAll(`details[${OPENED_FOR_PRINT}]`)) {
    details.removeAttribute(OPENED_FOR_PRINT);
    details.open = false;
  }
});
