/** A stored response and the conversation it closes, for GET and for `previous_response_id`. */
export interface StoredResponse {
  body: Record<string, unknown>;
  /** Every item of the conversation up to and including this response's output, in order. */
  conversation: readonly Record<string, unknown>[];
}

export interface ResponseStore {
  get(id: string): StoredResponse | undefined;
  put(id: string, stored: StoredResponse): void;
  delete(id: string): boolean;
}

/**
 * Stored responses, in memory, oldest dropped first past `limit` so a long benchmark or a busy
 * development day cannot grow the emulator without bound (Azure keeps them 30 days).
 */
export function createResponseStore(limit = 10_000): ResponseStore {
  const responses = new Map<string, StoredResponse>();
  return {
    get: (id) => responses.get(id),
    put(id, stored) {
      responses.set(id, stored);
      if (responses.size > limit) {
        const oldest = responses.keys().next().value;
        if (oldest !== undefined) responses.delete(oldest);
      }
    },
    delete: (id) => responses.delete(id),
  };
}
