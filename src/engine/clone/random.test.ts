import { describe, expect, it } from 'vitest';
import { SeededRandom } from './random';

describe('SeededRandom', () => {
  it('repeats a stream for the same seed and differs for another', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new SeededRandom(7)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new SeededRandom(7)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new SeededRandom(8)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('continues exactly from a saved state (after a JSON round-trip)', () => {
    const rng = new SeededRandom(1);
    for (let i = 0; i < 10; i++) rng.next();
    const copy = new SeededRandom(
      JSON.parse(JSON.stringify(rng.state())) as [number, number, number, number],
    );
    const left = new Float64Array(9);
    const right = new Float64Array(9);
    rng.fillGaussian(left);
    copy.fillGaussian(right);
    expect(right).toEqual(left);
    expect(copy.next()).toBe(rng.next());
  });

  it('draws uniforms in [0, 1) and standard normals with mean 0 and std 1', () => {
    const rng = new SeededRandom(2);
    const uniforms = Array.from({ length: 20000 }, () => rng.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    const normals = new Float64Array(20000);
    rng.fillGaussian(normals);
    const mean = normals.reduce((s, v) => s + v, 0) / normals.length;
    const variance = normals.reduce((s, v) => s + (v - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });

  it('samples distinct indices and Dirichlet weights that sum to one', () => {
    const rng = new SeededRandom(3);
    const picked = rng.sample(10, 4);
    expect(new Set(picked).size).toBe(4);
    for (const i of picked) expect(i >= 0 && i < 10).toBe(true);
    for (const alpha of [0.5, 1, 3]) {
      const weights = rng.dirichlet(3, alpha);
      expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
      for (const w of weights) expect(w).toBeGreaterThan(0);
    }
  });
});
