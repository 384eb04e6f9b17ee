import { describe, expect, it } from 'vitest';
import { clearBlocker, type BusyState } from './storage-rules';
import type { StoreId } from './storage-usage';

const IDLE: BusyState = {
  phase: 'ready',
  cloneEnginePhase: 'ready',
  refEncoderPhase: 'ready',
  refComparePhase: 'idle',
  cloneJobState: undefined,
};

/** Which stores each situation blocks (the rest may be cleared). */
const TESTS: { name: string; state: Partial<BusyState>; blocked: StoreId[]; says?: string }[] = [
  { name: 'nothing running', state: {}, blocked: [] },
  { name: 'a finished clone job', state: { cloneJobState: 'done' }, blocked: [] },
  { name: 'a failed clone job', state: { cloneJobState: 'error' }, blocked: [] },
  { name: 'Kokoro loading', state: { phase: 'loading' }, blocked: ['models'], says: 'Kokoro loads' },
  { name: 'the clone models loading', state: { cloneEnginePhase: 'loading' }, blocked: ['models'] },
  { name: 'the speaker encoder loading', state: { refEncoderPhase: 'loading' }, blocked: ['models'] },
  {
    name: 'a clone job running',
    state: { cloneJobState: 'running' },
    blocked: ['models', 'references', 'checkpoints', 'measurements'],
    says: 'clone job',
  },
  {
    name: 'a clone job paused',
    state: { cloneJobState: 'paused' },
    blocked: ['models', 'references', 'checkpoints', 'measurements'],
  },
  {
    name: 'a comparison running',
    state: { refComparePhase: 'running' },
    blocked: ['references', 'measurements'],
    says: 'compares',
  },
];

describe('clearBlocker', () => {
  it.each(TESTS)('$name blocks $blocked', ({ state, blocked, says }) => {
    const ids: StoreId[] = ['models', 'voices', 'references', 'checkpoints', 'measurements'];
    const reasons = Object.fromEntries(ids.map((id) => [id, clearBlocker(id, { ...IDLE, ...state })]));
    expect(ids.filter((id) => reasons[id] !== undefined)).toEqual(blocked);
    if (says) for (const id of blocked) expect(reasons[id]).toContain(says);
  });
});
