import { describe, expect, it } from 'vitest';
import { chatJobs, checkConformanceJobs } from './jobs.ts';

describe("the worker suite's jobs", () => {
  it('takes the chat job, and jobs that carry their text with refused ones that name a reason', () => {
    expect(() => checkConformanceJobs(chatJobs)).not.toThrow();
    expect(() =>
      checkConformanceJobs({
        valid: (id, text) => ({ id, text }),
        invalid: [{ job: { id: 'no-text' }, reason: 'text:' }],
      }),
    ).not.toThrow();
  });

  it('refuses valid jobs that drop their text, which would leave the model and trace checks empty', () => {
    expect(() =>
      checkConformanceJobs({
        valid: (id) => ({ id, url: 'https://example.invalid' }),
        invalid: [{ job: { id: 'no-url' }, reason: 'url:' }],
      }),
    ).toThrow('jobs.valid(id, text) must put `text` in the job');
  });

  it('refuses refused jobs without a reason to look for', () => {
    expect(() =>
      checkConformanceJobs({
        valid: (id, text) => ({ id, text }),
        invalid: [{ job: { id: 'no-text' }, reason: ' ' }],
      }),
    ).toThrow("jobs.invalid needs at least one job the handler's schema refuses");
  });
});
