/**
 * The fuzzer's small run for `npm test`: the first inputs of every target (the same inputs as
 * `npm run fuzz` with the default seed), in this process. No crash and no hang is allowed; a
 * failure names the input so `npm run fuzz -- --target <name> --from <n> --count 1` saves it.
 */
import { describe, expect, it } from 'vitest';
import { VoiceFileError } from '../../engine/voices/formats/pack';
import { DEFAULT_SEED, generateInput, HANG_MS, runConfirmed, runInput, type FuzzInput } from './run';
import { InvalidResultError, TARGETS, type FuzzTarget } from './targets';

const INPUTS_PER_TARGET = 300;

describe('fuzzing, small run', () => {
  it.each(TARGETS.map((target) => [target.name, target] as const))(
    `%s: ${INPUTS_PER_TARGET} inputs, no crash, none over 2 s`,
    (_name, target) => {
      const problems: string[] = [];
      for (let index = 0; index < INPUTS_PER_TARGET; index++) {
        const input = generateInput(target, DEFAULT_SEED, index);
        const { outcome, ms } = runConfirmed(target, input);
        if (outcome.kind === 'crash')
          problems.push(`#${index} (${input.how}): ${outcome.error.slice(0, 300)}`);
        if (ms > HANG_MS) problems.push(`#${index} (${input.how}): ran ${Math.round(ms)} ms`);
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );
});

describe('the fuzzer itself', () => {
  const fake = (run: FuzzTarget['run']): FuzzTarget => ({
    name: 'fake',
    calls: 'a test double',
    errors: [VoiceFileError],
    dictionary: [],
    seeds: () => [new Uint8Array([1, 2, 3])],
    run,
  });
  const input: FuzzInput = { bytes: new Uint8Array([1]), variant: 0, how: 'test' };

  it("counts the parser's own error as a clean rejection, anything else as a crash", () => {
    const rejecting = fake(() => {
      throw new VoiceFileError('not a voice');
    });
    expect(runInput(rejecting, input).outcome.kind).toBe('rejected');
    const typeError = fake(() => {
      (undefined as unknown as { x: number }).x.toFixed();
    });
    const crash = runInput(typeError, input).outcome;
    expect(crash.kind).toBe('crash');
    expect(crash.kind === 'crash' && crash.signature).toMatch(/^TypeError/);
    const thrownString = fake(() => {
      throw 'oops';
    });
    expect(runInput(thrownString, input).outcome).toMatchObject({
      kind: 'crash',
      signature: expect.stringMatching(/non-Error/),
    });
    const invalid = fake(() => {
      throw new InvalidResultError('accepted, but a pack holds NaN');
    });
    expect(runInput(invalid, input).outcome.kind).toBe('crash');
    expect(
      runInput(
        fake(() => {}),
        input,
      ).outcome.kind,
    ).toBe('accepted');
  });

  it('makes the same input from the same seed and number, and others from others', () => {
    const target = TARGETS.find((t) => t.name === 'expression') as FuzzTarget;
    const a = generateInput(target, DEFAULT_SEED, 5);
    expect(generateInput(target, DEFAULT_SEED, 5)).toEqual(a);
    const others = [generateInput(target, DEFAULT_SEED, 6), generateInput(target, DEFAULT_SEED + 1, 5)];
    for (const other of others) expect(other.bytes).not.toEqual(a.bytes);
  });

  it('covers every parser the issue names', () => {
    expect(TARGETS.map((t) => t.name).sort()).toEqual(
      [
        'bin',
        'checkpoint',
        'expression',
        'manifest',
        'npy',
        'npz',
        'pickle',
        'pt-legacy',
        'pt-zip',
        'recipe',
        'voice-file',
        'wav',
        'zip',
      ].sort(),
    );
  });
});
