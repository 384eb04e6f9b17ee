import { describe, expect, it } from 'vitest';
import { STOCK_VOICE_NAMES, readStockVoice } from '../../test-support/shared';
import {
  AMERICAN_BRITISH,
  FEMALE_MALE,
  applyDirections,
  builtInDirections,
  directionBetween,
  directionCoordinate,
  groupMean,
  parseStockVoiceId,
  type VoiceDirection,
} from './directions';
import { HALF_DIM, PACK_LENGTH, PACK_ROWS, STYLE_DIM } from './pack';
import { fitPca, meanStyle, project } from './pca';

const STOCK = new Map(STOCK_VOICE_NAMES.map((name) => [name, readStockVoice(name)]));
const stock = (name: string): Float32Array => STOCK.get(name) as Float32Array;
const DIRECTIONS = builtInDirections(STOCK);
const direction = (name: string): VoiceDirection => DIRECTIONS.find((d) => d.name === name) as VoiceDirection;

const ENGLISH_FEMALE = STOCK_VOICE_NAMES.filter((n) => /^[ab]f_/.test(n));
const ENGLISH_MALE = STOCK_VOICE_NAMES.filter((n) => /^[ab]m_/.test(n));

function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(sum);
}

/** Independent mean: plain loops over the named packs. */
function meanOf(names: readonly string[]): Float64Array {
  const mean = new Float64Array(PACK_LENGTH);
  for (const name of names) {
    const pack = stock(name);
    for (let i = 0; i < PACK_LENGTH; i++) mean[i] = (mean[i] as number) + (pack[i] as number) / names.length;
  }
  return mean;
}

describe('parseStockVoiceId', () => {
  it.each([
    { id: 'af_heart', info: { language: 'a', gender: 'female' } },
    { id: 'bm_lewis', info: { language: 'b', gender: 'male' } },
    { id: 'zf_xiaoxiao', info: { language: 'z', gender: 'female' } },
    { id: 'my clone', info: undefined },
    { id: 'ax_thing', info: undefined },
  ])('$id', ({ id, info }) => {
    expect(parseStockVoiceId(id)).toEqual(info);
  });
});

describe('group means and built-in directions', () => {
  it('groupMean averages the packs the predicate picks', () => {
    const mean = groupMean(STOCK, (n) => n === 'af_bella' || n === 'am_adam');
    const bella = stock('af_bella');
    const adam = stock('am_adam');
    for (const i of [0, 1000, 65_000, PACK_LENGTH - 1])
      expect(mean[i]).toBeCloseTo(((bella[i] as number) + (adam[i] as number)) / 2, 6);
    expect(() => groupMean(STOCK, () => false)).toThrow(/no voice/);
  });

  const DEFINITIONS = [
    { name: FEMALE_MALE, positive: ENGLISH_FEMALE, negative: ENGLISH_MALE },
    {
      name: AMERICAN_BRITISH,
      positive: STOCK_VOICE_NAMES.filter((n) => n.startsWith('a')),
      negative: STOCK_VOICE_NAMES.filter((n) => n.startsWith('b')),
    },
  ];

  it.each(DEFINITIONS)(
    '$name = mean(positive group) - mean(negative group)',
    ({ name, positive, negative }) => {
      const negativeMean = meanOf(negative);
      const expected = meanOf(positive).map((x, i) => x - (negativeMean[i] as number));
      let worst = 0;
      for (let i = 0; i < PACK_LENGTH; i++)
        worst = Math.max(worst, Math.abs((direction(name).vector[i] as number) - (expected[i] as number)));
      expect(worst).toBeLessThan(1e-5);
      expect(positive.length).toBeGreaterThan(7);
      expect(negative.length).toBeGreaterThan(7);
    },
  );

  it('female-male sorts the English voices by gender (>= 26 of 28, as measured elsewhere)', () => {
    const coordinate = (n: string): number => directionCoordinate(stock(n), direction(FEMALE_MALE));
    const femaleMean = ENGLISH_FEMALE.reduce((t, n) => t + coordinate(n), 0) / ENGLISH_FEMALE.length;
    const maleMean = ENGLISH_MALE.reduce((t, n) => t + coordinate(n), 0) / ENGLISH_MALE.length;
    // By construction the two group means are exactly one direction apart.
    expect(femaleMean - maleMean).toBeCloseTo(1, 5);
    const threshold = (femaleMean + maleMean) / 2;
    const correct =
      ENGLISH_FEMALE.filter((n) => coordinate(n) > threshold).length +
      ENGLISH_MALE.filter((n) => coordinate(n) < threshold).length;
    expect(correct).toBeGreaterThanOrEqual(26);
  });
});

describe('applyDirections', () => {
  it('female-male moves every English male voice toward the female group mean', () => {
    const femaleMean = groupMean(STOCK, (n) => ENGLISH_FEMALE.includes(n));
    for (const name of ENGLISH_MALE) {
      const moved = applyDirections(stock(name), [{ direction: direction(FEMALE_MALE), amount: 1 }]);
      expect(distance(moved, femaleMean), name).toBeLessThan(distance(stock(name), femaleMean));
      expect(
        directionCoordinate(moved, direction(FEMALE_MALE)) -
          directionCoordinate(stock(name), direction(FEMALE_MALE)),
      ).toBeCloseTo(1, 4);
    }
  });

  it('female-male moves am_adam toward the female mean on the PCA map', () => {
    const pca = fitPca(
      STOCK_VOICE_NAMES.map((n) => meanStyle(stock(n))),
      2,
    );
    const target = project(
      pca,
      groupMean(STOCK, (n) => ENGLISH_FEMALE.includes(n)),
    );
    const mapDistance = (pack: Float32Array): number => {
      const [x, y] = project(pca, pack) as [number, number];
      return Math.hypot(x - (target[0] as number), y - (target[1] as number));
    };
    const before = mapDistance(stock('am_adam'));
    const after = mapDistance(
      applyDirections(stock('am_adam'), [{ direction: direction(FEMALE_MALE), amount: 1 }]),
    );
    expect(after).toBeLessThan(before * 0.8);
  });

  it('a user direction A - B carries B to A, and amounts add up', () => {
    const brighter = directionBetween('bella-from-sky', stock('af_bella'), stock('af_sky'));
    expect(
      distance(applyDirections(stock('af_sky'), [{ direction: brighter, amount: 1 }]), stock('af_bella')),
    ).toBeLessThan(1e-3);
    const twice = applyDirections(stock('af_sky'), [{ direction: brighter, amount: 2 }]);
    const stepwise = applyDirections(stock('af_sky'), [
      { direction: brighter, amount: 0.5 },
      { direction: brighter, amount: 1.5 },
    ]);
    expect(distance(twice, stepwise)).toBeLessThan(1e-3);
  });

  it('amount 0 returns an equal copy; part limits the move to one half', () => {
    const heart = stock('af_heart');
    const same = applyDirections(heart, [{ direction: direction(AMERICAN_BRITISH), amount: 0 }]);
    expect(same).not.toBe(heart);
    expect(same).toEqual(heart);
    const timbreOnly = applyDirections(
      heart,
      [{ direction: direction(AMERICAN_BRITISH), amount: -1.5 }],
      'timbre',
    );
    let prosodyChanged = 0;
    let timbreChanged = 0;
    for (let row = 0; row < PACK_ROWS; row++) {
      for (let i = 0; i < STYLE_DIM; i++) {
        const index = row * STYLE_DIM + i;
        if (timbreOnly[index] === heart[index]) continue;
        if (i < HALF_DIM) timbreChanged++;
        else prosodyChanged++;
      }
    }
    expect(prosodyChanged).toBe(0);
    expect(timbreChanged).toBeGreaterThan(60_000);
  });

  it.each([
    {
      moves: [{ direction: { name: 'short', vector: new Float32Array(3) }, amount: 1 }],
      error: /direction 'short'/,
    },
    {
      moves: [{ direction: { name: 'x', vector: new Float32Array(PACK_LENGTH) }, amount: Number.NaN }],
      error: /amount of 'x' is NaN/,
    },
  ])('rejects $error', ({ moves, error }) => {
    expect(() => applyDirections(stock('af_heart'), moves)).toThrow(error);
  });
});
