import type { ModelResponse } from './responses.ts';

type Item = Record<string, unknown>;

export interface ResponseEvent {
  event: Record<string, unknown> & { type: string };
  /** Token events are paced by the emulator's per-token latency. */
  isToken: boolean;
}

/**
 * The Responses stream of one response, in OpenAI's and Azure's order: `response.created`,
 * `response.in_progress`, `response.output_item.added`, then for a message
 * `response.content_part.added`, one `response.output_text.delta` per token,
 * `response.output_text.done`, `response.content_part.done` (for a function call
 * `response.function_call_arguments.delta`s and `.done`), `response.output_item.done`, and
 * `response.completed` (or `response.incomplete`), each with its `sequence_number`.
 */
export function* responseEvents(response: ModelResponse): Generator<ResponseEvent> {
  let sequence = 0;
  const make = (type: string, fields: Record<string, unknown>, isToken = false): ResponseEvent => ({
    event: { type, ...fields, sequence_number: sequence++ },
    isToken,
  });
  const final = response.body;
  // Usage is only known at the end; the spec types it as an object, so it is left out until then.
  const unfinished = { ...final };
  delete unfinished.usage;
  const started = {
    ...unfinished,
    status: 'in_progress',
    completed_at: null,
    incomplete_details: null,
    output: [],
  };
  yield make('response.created', { response: started });
  yield make('response.in_progress', { response: started });

  const outputs = final.output as Item[];
  for (const [outputIndex, item] of outputs.entries()) {
    const itemId = String(item.id);
    if (item.type === 'function_call') {
      yield make('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (const token of response.tokens) {
        yield make(
          'response.function_call_arguments.delta',
          { item_id: itemId, output_index: outputIndex, delta: token },
          true,
        );
      }
      yield make('response.function_call_arguments.done', {
        item_id: itemId,
        name: item.name,
        output_index: outputIndex,
        arguments: item.arguments,
      });
    } else {
      const part = (item.content as Item[])[0] ?? {};
      const at = { item_id: itemId, output_index: outputIndex, content_index: 0 };
      yield make('response.output_item.added', {
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      });
      yield make('response.content_part.added', { ...at, part: { ...part, text: '' } });
      for (const token of response.tokens) {
        yield make('response.output_text.delta', { ...at, delta: token, logprobs: [] }, true);
      }
      yield make('response.output_text.done', { ...at, text: part.text, logprobs: [] });
      yield make('response.content_part.done', { ...at, part });
    }
    yield make('response.output_item.done', { output_index: outputIndex, item });
  }
  yield make(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
    response: final,
  });
}
