// Starts GOV.UK Frontend's components on every page (error summary focus, the service
// navigation's menu on small screens, preventing double-submitted buttons, ...).
// A module, so browsers too old for GOV.UK Frontend's JavaScript skip it (they get the
// server-rendered pages, which work without it).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
