/** Azure's content-filter annotations for content that passed every filter (the emulator never filters). */
const safe = { filtered: false, severity: 'safe' } as const;
const notDetected = { filtered: false, detected: false } as const;

export function promptFilterResults(): unknown[] {
  return [
    {
      prompt_index: 0,
      content_filter_results: {
        hate: safe,
        jailbreak: notDetected,
        self_harm: safe,
        sexual: safe,
        violence: safe,
      },
    },
  ];
}

export function choiceFilterResults(): Record<string, unknown> {
  return {
    hate: safe,
    protected_material_code: notDetected,
    protected_material_text: notDetected,
    self_harm: safe,
    sexual: safe,
    violence: safe,
  };
}
