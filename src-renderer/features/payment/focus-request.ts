import { useEffect, useRef, useState } from 'react';

/** Anything the payment screen can put the cursor in (an antd input ref or a plain element). */
export interface Focusable {
  focus(): void;
}

/**
 * Moves the cursor to a named field after the render that the same action caused.
 *
 * The request is React state, not a ref: it is batched with the draft change that asked for it, so
 * it is only seen by the render that also shows that change. A ref would be read by whatever effect
 * runs next — an earlier render's effects can still be pending when a key is handled — which focused
 * the field the change was about to replace (a cash row's kind select moving into the legend) and
 * left the cursor nowhere. A request whose field is not rendered yet (F6 pressed before the manual
 * split exists) waits for the render that adds it.
 */
export function useFocusRequest(fields: {
  readonly current: ReadonlyMap<string, Focusable | null>;
}) {
  const [request, setRequest] = useState<{ field: string; seq: number } | null>(null);
  const done = useRef(0);
  useEffect(() => {
    if (!request || done.current === request.seq) return;
    const el = fields.current.get(request.field);
    if (el) {
      el.focus();
      done.current = request.seq;
    }
  });
  return {
    /** Whether an action has asked for a field (the first focus must then leave the cursor alone). */
    requested: request !== null,
    focus(field: string) {
      setRequest((r) => ({ field, seq: (r?.seq ?? 0) + 1 }));
    },
  };
}
