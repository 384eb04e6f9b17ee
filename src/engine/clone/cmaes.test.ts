import { describe, expect, it } from 'vitest';
import {
  defaultLambda,
  initialCmaState,
  sampleGeneration,
  searchReach,
  updateCma,
  type CmaState,
} from './cmaes';
import { SeededRandom } from './random';

const CENTRE = [0.5, -1, 2, 0, 1.5, -0.5, 0.25, 1];

function run(
  state: CmaState,
  rng: SeededRandom,
  generations: number,
  fitness: (x: Float64Array) => number,
): CmaState {
  let current = state;
  for (let g = 0; g < generations; g++) {
    const points = sampleGeneration(current, rng);
    current = updateCma(current, points, points.map(fitness));
  }
  return current;
}

const sphere = (x: Float64Array) => -x.reduce((sum, v, i) => sum + (v - CENTRE[i]!) ** 2, 0);
/** Ill-conditioned: axis i weighted 10^(i/2); only a learned covariance solves it quickly. */
const ellipsoid = (x: Float64Array) =>
  -x.reduce((sum, v, i) => sum + 10 ** (i / 2) * (v - CENTRE[i]!) ** 2, 0);

const CASES = [
  { name: 'sphere', fitness: sphere, generations: 120, tolerance: 1e-3 },
  { name: 'ellipsoid (condition 1e3.5)', fitness: ellipsoid, generations: 250, tolerance: 1e-3 },
];

describe('CMA-ES', () => {
  it.each(CASES)('maximises the negative $name', ({ fitness, generations, tolerance }) => {
    const final = run(initialCmaState(new Array(8).fill(0), 0.5), new SeededRandom(3), generations, fitness);
    final.mean.forEach((m, i) => expect(Math.abs(m - CENTRE[i]!)).toBeLessThan(tolerance));
    expect(searchReach(final)).toBeLessThan(0.01);
  });

  it('uses the default population 4 + floor(3 ln d)', () => {
    expect(defaultLambda(8)).toBe(10);
    expect(defaultLambda(32)).toBe(14);
    expect(initialCmaState([0, 0, 0], 1).lambda).toBe(7);
  });

  it('continues identically from a JSON round-trip of its state', () => {
    const rng = new SeededRandom(11);
    const mid = run(initialCmaState(new Array(8).fill(0), 0.5), rng, 10, ellipsoid);
    const copy = JSON.parse(JSON.stringify(mid)) as CmaState;
    const rngCopy = new SeededRandom(
      JSON.parse(JSON.stringify(rng.state())) as [number, number, number, number],
    );
    const a = run(mid, rng, 5, ellipsoid);
    const b = run(copy, rngCopy, 5, ellipsoid);
    expect(b).toEqual(a);
  });

  it('grows the step size while steps keep pointing the same way (linear fitness)', () => {
    const final = run(initialCmaState(new Array(8).fill(0), 0.1), new SeededRandom(5), 20, (x) => x[0]!);
    expect(final.sigma).toBeGreaterThan(0.3);
    expect(final.mean[0]).toBeGreaterThan(1);
  });
});
