import { afterEach, describe, expect, it, vi } from 'vitest';
import { importVoiceFile, VoiceFileError } from '../../engine/voices/formats';
import type { ParseOutcome } from '../../workers/voice-file-protocol';
import { ParseRunner, type ParseWorkerHandle } from './voice-file-client';

/** A stand-in for the worker: `parse` decides what each parse does; starts and ends are counted. */
function fakeWorkers(parse: (fileName: string, bytes: Uint8Array) => Promise<ParseOutcome<never[]>>) {
  const log = { started: 0, terminated: 0 };
  const failures: ((why: string) => void)[] = [];
  const start = (): ParseWorkerHandle => {
    log.started += 1;
    return {
      api: {
        parseVoiceFile: (fileName, bytes) => parse(fileName, bytes),
        parseRecipe: () => Promise.resolve({ ok: false, message: 'unused' }),
      },
      terminate: () => void (log.terminated += 1),
      failed: new Promise((resolve) => failures.push(resolve)),
    };
  };
  return { log, start, failures };
}

afterEach(() => void vi.useRealTimers());

describe('ParseRunner: a parse that hangs or kills its worker never reaches the library', () => {
  it('a parse past the time cap ends the worker with a message naming the file; the next parse gets a new worker', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const { log, start } = fakeWorkers(() => {
      calls += 1;
      return calls === 1 ? new Promise(() => {}) : Promise.resolve({ ok: true, value: [] });
    });
    const runner = new ParseRunner(start, 5_000);
    const stuck = runner.parseVoiceFile('hang.pt', new Uint8Array(4));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(log.terminated).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await expect(stuck).resolves.toEqual({
      ok: false,
      message:
        'hang.pt: reading it took longer than 5 s, so it was stopped: the file is damaged or built to hang a reader. Nothing was imported; your library is unchanged.',
    });
    expect(log).toEqual({ started: 1, terminated: 1 });
    await expect(runner.parseVoiceFile('fine.pt', new Uint8Array(4))).resolves.toEqual({
      ok: true,
      value: [],
    });
    expect(log).toEqual({ started: 2, terminated: 1 });
  });

  it('a worker that dies mid-parse (out of memory) ends the parse at once', async () => {
    const { log, start, failures } = fakeWorkers(() => new Promise(() => {}));
    const runner = new ParseRunner(start, 60_000);
    const dying = runner.parseVoiceFile('oom.pt', new Uint8Array(4));
    await vi.waitFor(() => expect(failures).toHaveLength(1)); // the parse has started its worker
    failures[0]?.('Uncaught RangeError: Array buffer allocation failed');
    await expect(dying).resolves.toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^oom\.pt: the reader stopped \(Uncaught RangeError.*library is unchanged\.$/,
      ),
    });
    expect(log.terminated).toBe(1);
  });

  it('parses run one at a time: a hung parse does not take a waiting one down, whose clock starts at its turn', async () => {
    vi.useFakeTimers();
    const started: string[] = [];
    const { log, start } = fakeWorkers((fileName) => {
      started.push(fileName);
      return fileName === 'hang.pt' ? new Promise(() => {}) : Promise.resolve({ ok: true, value: [] });
    });
    const runner = new ParseRunner(start, 5_000);
    const stuck = runner.parseVoiceFile('hang.pt', new Uint8Array(4));
    const waiting = runner.parseVoiceFile('good.pt', new Uint8Array(4));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual(['hang.pt']);
    await vi.advanceTimersByTimeAsync(4_000);
    await expect(stuck).resolves.toMatchObject({ ok: false });
    await expect(waiting).resolves.toEqual({ ok: true, value: [] });
    expect(started).toEqual(['hang.pt', 'good.pt']);
    expect(log).toEqual({ started: 2, terminated: 1 });
  });

  it("the parser's own refusals come back as they are, and the worker is kept", async () => {
    const { log, start } = fakeWorkers(async (fileName, bytes) => {
      try {
        importVoiceFile(fileName, bytes);
        return { ok: true, value: [] };
      } catch (error) {
        if (!(error instanceof VoiceFileError)) throw error;
        return { ok: false, message: error.message };
      }
    });
    const runner = new ParseRunner(start);
    const marks = new Uint8Array(10_000).fill(0x28);
    marks.set([0x80, 0x02]);
    await expect(runner.parseVoiceFile('marks.pt', marks)).resolves.toEqual({
      ok: false,
      message: expect.stringContaining(
        'marks.pt: refused: the tensor description (pickle) nests more than 64 levels deep',
      ),
    });
    await runner.parseVoiceFile('empty.pt', new Uint8Array(0));
    expect(log).toEqual({ started: 1, terminated: 0 });
  });
});
