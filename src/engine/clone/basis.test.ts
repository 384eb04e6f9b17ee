import { describe, expect, it } from 'vitest';
import { PACK_LENGTH, PACK_ROWS, STYLE_DIM } from '../voices/pack';
import {
  basisDimension,
  coordinatesOfPack,
  fitPackBasis,
  packFromCoordinates,
  principalAxes,
  withComplementAxes,
} from './basis';
import { SeededRandom } from './random';

function randomPacks(count: number, seed: number): Float32Array[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const pack = new Float32Array(PACK_LENGTH);
    rng.fillGaussian(pack);
    return pack.map((v) => 0.2 * v);
  });
}

describe('principalAxes', () => {
  it('finds the axes, spreads and explained variance of data on two known directions', () => {
    const e1 = Float32Array.from({ length: 6 }, (_, i) => (i === 1 ? 1 : 0));
    const e2 = Float32Array.from({ length: 6 }, (_, i) => (i === 4 ? 1 : 0));
    const a = [2, -1, 0.5, -1.5, 0];
    const b = [0.1, 0.2, 0, 0, -0.3]; // centred and uncorrelated with a
    const vectors = a.map((ai, n) =>
      Float32Array.from({ length: 6 }, (_, i) => 1 + ai * e1[i]! + b[n]! * e2[i]!),
    );
    const pca = principalAxes(vectors, 3);
    expect(pca.axes).toHaveLength(2); // the third direction has no variance: dropped
    expect(Math.abs(pca.axes[0]![1]!)).toBeCloseTo(1, 6);
    expect(Math.abs(pca.axes[1]![4]!)).toBeCloseTo(1, 6);
    const meanA = a.reduce((s, v) => s + v, 0) / a.length;
    const stdA = Math.sqrt(a.reduce((s, v) => s + (v - meanA) ** 2, 0) / (a.length - 1));
    expect(pca.stds[0]).toBeCloseTo(stdA, 5);
    expect(pca.explained[0]! + pca.explained[1]!).toBeCloseTo(1, 6);
    expect(pca.mean[0]).toBeCloseTo(1, 6);
  });
});

describe('pack basis', () => {
  const packs = randomPacks(6, 1);
  const basis = fitPackBasis(packs, { packAxes: 5, offsetAxes: 3 });

  it('has pack axes then offset axes as coordinates', () => {
    expect(basisDimension(basis)).toBe(8);
    expect(basis.pack.axes[0]).toHaveLength(PACK_LENGTH);
    expect(basis.offset.axes[0]).toHaveLength(STYLE_DIM);
  });

  it('puts the mean pack at the origin', () => {
    const origin = packFromCoordinates(basis, new Float64Array(8));
    expect(origin).toEqual(basis.pack.mean);
  });

  it('reproduces every fitted pack from its coordinates when all axes are kept (n - 1 of them)', () => {
    for (const pack of packs) {
      const back = packFromCoordinates(basis, coordinatesOfPack(basis, pack));
      let worst = 0;
      for (let i = 0; i < PACK_LENGTH; i++) worst = Math.max(worst, Math.abs(back[i]! - pack[i]!));
      expect(worst).toBeLessThan(1e-4);
    }
  });

  it('round-trips coordinates: coordinatesOfPack(packFromCoordinates(c)) = c', () => {
    const coordinates = [0.5, -1, 0.25, 0, 2, 0.3, -0.7, 1.1];
    const back = coordinatesOfPack(basis, packFromCoordinates(basis, coordinates));
    back.forEach((value, i) => expect(value).toBeCloseTo(coordinates[i]!, 4));
  });

  it('adds the offset to all 510 rows alike', () => {
    const coordinates = [0, 0, 0, 0, 0, 1, 0, 0];
    const pack = packFromCoordinates(basis, coordinates);
    const shift = (row: number, i: number) =>
      pack[row * STYLE_DIM + i]! - basis.pack.mean[row * STYLE_DIM + i]!;
    for (const row of [0, 200, PACK_ROWS - 1]) {
      for (const i of [0, 100, 255])
        expect(shift(row, i)).toBeCloseTo(basis.offset.stds[0]! * basis.offset.axes[0]![i]!, 5);
    }
  });
});

describe('complement axes', () => {
  const packs = randomPacks(6, 2);
  const basis = fitPackBasis(packs, { packAxes: 5, offsetAxes: 3 });
  const full = withComplementAxes(basis, packs);

  it('completes the offset to an orthonormal basis of the 256-d style space', () => {
    expect(full.offset.axes).toHaveLength(STYLE_DIM);
    expect(basisDimension(full)).toBe(5 + STYLE_DIM);
    for (const [a, b] of [
      [0, 1],
      [2, 3],
      [3, 100],
      [50, 255],
    ] as const) {
      const dot = full.offset.axes[a]!.reduce((sum, v, i) => sum + v * full.offset.axes[b]![i]!, 0);
      expect(Math.abs(dot)).toBeLessThan(1e-5);
    }
    for (const index of [0, 3, 255]) {
      expect(Math.hypot(...full.offset.axes[index]!)).toBeCloseTo(1, 5);
    }
  });

  it('keeps the coordinates of the original basis (zeros on the complement)', () => {
    const coordinates = [0.5, -1, 0.25, 0, 2, 0.3, -0.7, 1.1];
    const padded = [...coordinates, ...new Array(STYLE_DIM - 3).fill(0)];
    expect(packFromCoordinates(full, padded)).toEqual(packFromCoordinates(basis, coordinates));
  });

  it('reaches offsets outside the span of the library, and round-trips', () => {
    const coordinates = Array.from({ length: basisDimension(full) }, (_, i) => Math.sin(i));
    const back = coordinatesOfPack(full, packFromCoordinates(full, coordinates));
    back.forEach((value, i) => expect(value).toBeCloseTo(coordinates[i]!, 3));
  });
});
