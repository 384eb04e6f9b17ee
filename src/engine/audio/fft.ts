/**
 * Radix-2 FFT for real input, written for the fixed frame sizes of feature extraction
 * (512 for Kaldi fbank, 1024/2048 for voice features). Twiddles and the bit-reversal
 * permutation are computed once per size; scratch buffers are reused between frames,
 * so one instance must not be shared by concurrent callers (JS is single-threaded per
 * worker, so in practice: do not re-enter from a callback).
 *
 * A real signal of N samples is transformed as a complex signal of N/2 samples
 * (even samples as real part, odd samples as imaginary part) and then split, which halves
 * the work compared to a complex FFT with a zero imaginary part.
 */
export class RealFft {
  readonly size: number;
  /** Number of non-negative frequency bins: size / 2 + 1 (DC to Nyquist). */
  readonly binCount: number;
  private readonly half: number;
  private readonly bitReversed: Uint32Array;
  /** Twiddles of the half-size complex FFT: exp(-2*pi*i*k/half). */
  private readonly halfCos: Float64Array;
  private readonly halfSin: Float64Array;
  /** Twiddles of the split step: exp(-2*pi*i*k/size). */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`RealFft: size must be a power of two >= 4, got ${size}`);
    }
    this.size = size;
    this.half = size / 2;
    this.binCount = this.half + 1;
    const half = this.half;
    const bits = Math.log2(half);
    this.bitReversed = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let reversed = 0;
      for (let b = 0; b < bits; b++) reversed |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReversed[i] = reversed;
    }
    this.halfCos = new Float64Array(half / 2);
    this.halfSin = new Float64Array(half / 2);
    for (let k = 0; k < half / 2; k++) {
      this.halfCos[k] = Math.cos((2 * Math.PI * k) / half);
      this.halfSin[k] = -Math.sin((2 * Math.PI * k) / half);
    }
    this.splitCos = new Float64Array(half + 1);
    this.splitSin = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.splitSin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
  }

  /**
   * Power spectrum |X[k]|^2 for k = 0..size/2 of `input` (length <= size; missing samples
   * are zeros). Writes `binCount` values into `out` and returns it.
   */
  powerSpectrum(input: ArrayLike<number>, out: Float64Array = new Float64Array(this.binCount)): Float64Array {
    this.transform(input);
    const { re, im, half, splitCos, splitSin } = this;
    for (let k = 0; k <= half; k++) {
      // Z[half] wraps to Z[0]; the pair (k, half - k) separates the even and odd halves.
      const zk = k === half ? 0 : k;
      const zm = k === 0 ? 0 : half - k;
      const a = re[zk]!;
      const b = im[zk]!;
      const c = re[zm]!;
      const d = im[zm]!;
      const evenRe = 0.5 * (a + c);
      const evenIm = 0.5 * (b - d);
      const oddRe = 0.5 * (b + d);
      const oddIm = -0.5 * (a - c);
      const wr = splitCos[k]!;
      const wi = splitSin[k]!;
      const xr = evenRe + wr * oddRe - wi * oddIm;
      const xi = evenIm + wr * oddIm + wi * oddRe;
      out[k] = xr * xr + xi * xi;
    }
    return out;
  }

  /** Packs the real input into the half-size complex buffers and runs the complex FFT. */
  private transform(input: ArrayLike<number>): void {
    const { re, im, half, bitReversed } = this;
    if (input.length > this.size)
      throw new RangeError(`RealFft: input of ${input.length} exceeds size ${this.size}`);
    for (let n = 0; n < half; n++) {
      const target = bitReversed[n]!;
      const evenIndex = 2 * n;
      re[target] = evenIndex < input.length ? input[evenIndex]! : 0;
      im[target] = evenIndex + 1 < input.length ? input[evenIndex + 1]! : 0;
    }
    const { halfCos, halfSin } = this;
    for (let span = 1; span < half; span *= 2) {
      const twiddleStride = half / (2 * span);
      for (let start = 0; start < half; start += 2 * span) {
        for (let j = 0; j < span; j++) {
          const wr = halfCos[j * twiddleStride]!;
          const wi = halfSin[j * twiddleStride]!;
          const p = start + j;
          const q = p + span;
          const qr = re[q]! * wr - im[q]! * wi;
          const qi = re[q]! * wi + im[q]! * wr;
          re[q] = re[p]! - qr;
          im[q] = im[p]! - qi;
          re[p] = re[p]! + qr;
          im[p] = im[p]! + qi;
        }
      }
    }
  }
}
