// Starts GOV.UK Frontend's components (error summary focus, service navigation toggle,
// notification banners, character counts) once the page has loaded.
import { initAll } from "../build/govuk/govuk-frontend.min.js";

initAll();
