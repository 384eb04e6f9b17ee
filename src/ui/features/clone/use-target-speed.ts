import { useEffect, useState } from 'react';
import type { CloneSpeedEstimate } from '../../../workers/clone-protocol';
import { useStudio } from '../../store/studio-store';
import { speedForTargetProbe } from './budget';
import { transcriptProbeTokens } from './clone-client';

/** The measured speed priced for a target, and what it was priced for. */
export type TargetSpeed = CloneSpeedEstimate & {
  /** 'transcript': the selected target's transcript probe; 'fixed': the fixed probe sentence. */
  pricedFor: 'transcript' | 'fixed';
};

/**
 * This device's measured speed priced for the selected target: with a transcript the search
 * renders its first words instead of the fixed probe sentence, which costs more (or less).
 * Undefined until the speed is measured.
 */
export function useTargetSpeed(): TargetSpeed | undefined {
  const speed = useStudio((s) => s.cloneSpeed);
  const dialect = useStudio((s) => s.dialect);
  const transcript = useStudio(
    (s) => s.refTargets.find((t) => t.id === s.cloneTargetId)?.transcript?.trim() ?? '',
  );
  const [tokens, setTokens] = useState<{ key: string; count: number }>();
  const key = `${dialect}|${transcript}`;
  useEffect(() => {
    if (!speed || !transcript) return;
    let live = true;
    transcriptProbeTokens(transcript, dialect).then(
      (count) => live && setTokens({ key, count }),
      () => undefined, // priced on the fixed probe meanwhile
    );
    return () => {
      live = false;
    };
  }, [speed, transcript, dialect, key]);
  if (!speed) return undefined;
  const targetTokens = transcript && tokens?.key === key ? tokens.count : undefined;
  return { ...speedForTargetProbe(speed, targetTokens), pricedFor: targetTokens ? 'transcript' : 'fixed' };
}
