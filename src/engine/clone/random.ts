/**
 * A seeded, serialisable PRNG for the searches: xoshiro128** (32-bit state words, so the
 * whole state is four plain numbers that survive JSON exactly). Seeds are spread over the
 * state with splitmix32 so nearby seeds give unrelated streams.
 *
 * Gaussians use Box-Muller and return both values of a pair inside one call (`fillGaussian`)
 * or drop the second (`gaussian`): no spare value is carried between calls, so the state
 * really is just the four words and a checkpoint restores the stream exactly.
 */

export type RandomState = [number, number, number, number];

const TWO_PI = 2 * Math.PI;
const UINT32_SCALE = 2 ** -32;

function splitmix32(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

export class SeededRandom {
  private s: RandomState;

  constructor(seedOrState: number | RandomState) {
    if (typeof seedOrState === 'number') {
      const next = splitmix32(seedOrState);
      this.s = [next(), next(), next(), next()];
      if (this.s.every((word) => word === 0)) this.s[0] = 1; // the all-zero state is a fixed point
    } else {
      this.s = [...seedOrState];
    }
  }

  /** The state to store in a checkpoint; `new SeededRandom(state)` continues the same stream. */
  state(): RandomState {
    return [...this.s];
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() * UINT32_SCALE;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One standard normal value. */
  gaussian(): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(TWO_PI * this.next());
  }

  /** Fills `out` with standard normal values (both values of each Box-Muller pair are used). */
  fillGaussian(out: Float32Array | Float64Array): void {
    for (let i = 0; i < out.length; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
      const angle = TWO_PI * this.next();
      out[i] = radius * Math.cos(angle);
      if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
    }
  }

  /** `count` distinct indices from [0, n), in random order. */
  sample(n: number, count: number): number[] {
    const pool = Array.from({ length: n }, (_, i) => i);
    const k = Math.min(count, n);
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, k);
  }

  /** Weights from a flat Dirichlet(alpha) over `count` parts (sum 1). */
  dirichlet(count: number, alpha = 1): number[] {
    // alpha = 1 only needs exponentials; other alphas use Marsaglia-Tsang.
    const draws = Array.from({ length: count }, () => this.gammaDraw(alpha));
    const total = draws.reduce((a, b) => a + b, 0);
    return draws.map((d) => d / total);
  }

  private gammaDraw(alpha: number): number {
    if (alpha === 1) return -Math.log(1 - this.next());
    if (alpha < 1) return this.gammaDraw(alpha + 1) * Math.pow(1 - this.next(), 1 / alpha);
    const d = alpha - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.gaussian();
      const v = (1 + c * x) ** 3;
      if (v <= 0) continue;
      const u = 1 - this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
}
