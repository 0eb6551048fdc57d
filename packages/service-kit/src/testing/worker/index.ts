// Conformance suite of the worker kind: filled in by the service-kit work (issue 11).
export {};
