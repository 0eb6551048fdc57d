export { startOtlpReceiver } from './receiver.ts';
export type { OtlpReceiver, OtlpReceiverOptions } from './receiver.ts';
export { decodeTraces, decodeMetrics } from './otlp-json.ts';
export type { AttributeValue, ReceivedMetricPoint, ReceivedSpan } from './otlp-json.ts';
