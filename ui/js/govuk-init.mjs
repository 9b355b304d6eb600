// Starts GOV.UK Frontend's components (error summary focus, notification banners, the header's
// menu on small screens, conditional reveals). A module script, so it runs only in browsers that
// GOV.UK Frontend supports; the class it sets replaces GOV.UK's inline snippet, which the
// Content-Security-Policy would refuse.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
