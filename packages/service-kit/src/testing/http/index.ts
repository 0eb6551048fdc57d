// Conformance suite of the http kind: `describeHttpServiceConformance({ name, main, stack })`
// from a service's own test file.
export { describeHttpServiceConformance } from './conformance.ts';
export type { ConformanceStack, HttpConformanceOptions } from './conformance.ts';
