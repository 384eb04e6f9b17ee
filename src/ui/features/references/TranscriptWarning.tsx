import type { ReactNode } from 'react';
import type { TranscriptLengthWarning } from '../../../engine/reference/transcript-check';

/** An amber warning box (the transcript's, and the Clone tab's short-speech ones). */
export const warningBox = 'rounded border border-amber-500/50 bg-amber-950/40 p-3 text-xs text-amber-100';

/**
 * "Check the transcript.": its length does not fit the seconds of speech in the clips. `id` is
 * for the field or button it describes; `children` (after the message) say what to do.
 */
export function TranscriptWarning({
  id,
  warning,
  testId,
  children,
}: {
  id: string;
  warning: TranscriptLengthWarning;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <p id={id} className={warningBox} data-testid={testId} data-kind={warning.kind}>
      <strong>Check the transcript.</strong> {warning.message}
      {children ? <> {children}</> : null}
    </p>
  );
}
