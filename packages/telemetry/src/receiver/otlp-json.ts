/**
 * OTLP/HTTP JSON, as `@opentelemetry/exporter-*-otlp-http` sends it, decoded into flat records:
 * one per span, one per metric data point.
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */

export type AttributeValue = string | number | boolean | null | AttributeValue[];

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** `internal`, `server`, `client`, `producer` or `consumer`. */
  kind: string;
  /** Epoch milliseconds (fractional). */
  startMs: number;
  durationMs: number;
  /** `unset`, `ok` or `error`. */
  status: string;
  statusMessage?: string;
  attributes: Record<string, AttributeValue>;
  events: Array<{ name: string; attributes: Record<string, AttributeValue> }>;
}

export interface ReceivedMetricPoint {
  service: string;
  name: string;
  unit?: string;
  attributes: Record<string, AttributeValue>;
  /** Sum or gauge value. */
  value?: number;
  /** Histogram count and sum. */
  count?: number;
  sum?: number;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}

const spanKinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statusCodes = ['unset', 'ok', 'error'];

function valueOf(value: AnyValue | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return JSON.stringify(attributesOf(value.kvlistValue.values));
  return null;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

function serviceOf(resource: { attributes?: KeyValue[] } | undefined): string {
  const name = attributesOf(resource?.attributes)['service.name'];
  return typeof name === 'string' ? name : 'unknown_service';
}

/** Nanoseconds as OTLP JSON writes them (a string or a number) to milliseconds. */
function nanosToMs(value: string | number | undefined): number {
  if (value === undefined) return 0;
  return Number(BigInt(value) / 1000n) / 1000;
}

interface TracesRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind?: number;
        startTimeUnixNano?: string | number;
        endTimeUnixNano?: string | number;
        attributes?: KeyValue[];
        events?: Array<{ name: string; attributes?: KeyValue[] }>;
        status?: { code?: number; message?: string };
      }>;
    }>;
  }>;
}

/** The spans of an OTLP `ExportTraceServiceRequest` in JSON. */
export function decodeTraces(body: unknown): ReceivedSpan[] {
  const request = body as TracesRequest;
  if (typeof request !== 'object' || request === null || !Array.isArray(request.resourceSpans)) {
    throw new TypeError('not an OTLP traces request: no resourceSpans array');
  }
  return request.resourceSpans.flatMap((resourceSpans) => {
    const service = serviceOf(resourceSpans.resource);
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span): ReceivedSpan => {
        const startMs = nanosToMs(span.startTimeUnixNano);
        return {
          service,
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          name: span.name,
          kind: spanKinds[span.kind ?? 0] ?? 'unspecified',
          startMs,
          durationMs: nanosToMs(span.endTimeUnixNano) - startMs,
          status: statusCodes[span.status?.code ?? 0] ?? 'unset',
          ...(span.status?.message ? { statusMessage: span.status.message } : {}),
          attributes: attributesOf(span.attributes),
          events: (span.events ?? []).map((event) => ({
            name: event.name,
            attributes: attributesOf(event.attributes),
          })),
        };
      }),
    );
  });
}

interface DataPoint {
  attributes?: KeyValue[];
  asInt?: number | string;
  asDouble?: number;
  count?: number | string;
  sum?: number;
}
interface MetricsRequest {
  resourceMetrics?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeMetrics?: Array<{
      metrics?: Array<{
        name: string;
        unit?: string;
        sum?: { dataPoints?: DataPoint[] };
        gauge?: { dataPoints?: DataPoint[] };
        histogram?: { dataPoints?: DataPoint[] };
      }>;
    }>;
  }>;
}

/** The data points of an OTLP `ExportMetricsServiceRequest` in JSON. */
export function decodeMetrics(body: unknown): ReceivedMetricPoint[] {
  const request = body as MetricsRequest;
  if (typeof request !== 'object' || request === null || !Array.isArray(request.resourceMetrics)) {
    throw new TypeError('not an OTLP metrics request: no resourceMetrics array');
  }
  return request.resourceMetrics.flatMap((resourceMetrics) => {
    const service = serviceOf(resourceMetrics.resource);
    return (resourceMetrics.scopeMetrics ?? []).flatMap((scope) =>
      (scope.metrics ?? []).flatMap((metric) => {
        const points = metric.sum?.dataPoints ?? metric.gauge?.dataPoints ?? [];
        const histogram = metric.histogram?.dataPoints ?? [];
        const base = { service, name: metric.name, ...(metric.unit ? { unit: metric.unit } : {}) };
        return [
          ...points.map((point) => ({
            ...base,
            attributes: attributesOf(point.attributes),
            value: Number(point.asInt ?? point.asDouble ?? 0),
          })),
          ...histogram.map((point) => ({
            ...base,
            attributes: attributesOf(point.attributes),
            count: Number(point.count ?? 0),
            sum: point.sum ?? 0,
          })),
        ];
      }),
    );
  });
}
