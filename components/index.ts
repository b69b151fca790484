// Public component resources; one export line per component module.
export {};
