/**
 * The draft being cleaned (recorded or uploaded audio not saved yet), kept out of the store:
 * the ingested 24 kHz audio (the "before") and the latest clean-up result (the "after").
 */
import type { CleanedClip, IngestedAudio } from '../../../workers/audio-cleanup-protocol';

interface Draft {
  ingested: IngestedAudio;
  cleaned?: CleanedClip;
}

let draft: Draft | undefined;

export function setDraftAudio(ingested: IngestedAudio): void {
  draft = { ingested };
}

export function setDraftCleaned(cleaned: CleanedClip): void {
  if (draft) draft.cleaned = cleaned;
}

export function draftAudio(): IngestedAudio | undefined {
  return draft?.ingested;
}

export function draftCleaned(): CleanedClip | undefined {
  return draft?.cleaned;
}

export function clearDraft(): void {
  draft = undefined;
}
