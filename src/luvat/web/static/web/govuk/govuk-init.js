// Starts GOV.UK Frontend's components (error summary focus, notification banners, the header's
// menu on small screens, conditional reveals). A module script, so it runs only in browsers that
// GOV.UK Frontend supports; the class it sets replaces GOV.UK's inline snippet, which the
// Content-Security-Policy would refuse.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Tables not written to reflow get their column names on each cell, so that on a phone each row
// shows as a block of labelled values (luvat.css, .responsive-table). Without JavaScript such a
// table scrolls inside itself instead.
for (const table of document.querySelectorAll("main table:not(.responsive-table)")) {
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  if (!headers.length) continue;
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, index) => {
      if (cell.tagName === "TD" && headers[index] && !cell.dataset.label) cell.dataset.label = headers[index];
    });
  }
  table.classList.add("responsive-table");
}
