// Public resource classes; one export line per resource module.
export { CspResource } from "./cspResource";
