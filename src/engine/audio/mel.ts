/**
 * Triangular mel filterbanks built the Kaldi way: the triangles are straight lines in mel
 * space (mel = 1127 ln(1 + f/700)), not in Hz, which is what torchaudio.compliance.kaldi
 * does and what WeSpeaker models were trained on. Filters are stored sparsely (first bin +
 * weights) because each one covers only a few FFT bins.
 */

export function hzToMel(frequencyHz: number): number {
  return 1127 * Math.log(1 + frequencyHz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

export interface MelFilter {
  /** FFT bin of the first weight. */
  firstBin: number;
  weights: Float64Array;
}

export interface MelFilterbank {
  fftSize: number;
  sampleRateHz: number;
  filters: MelFilter[];
}

export interface MelFilterbankOptions {
  fftSize: number;
  sampleRateHz: number;
  melBinCount: number;
  lowHz: number;
  /** Upper edge of the last filter; defaults to the Nyquist frequency. */
  highHz?: number;
}

export function createMelFilterbank(options: MelFilterbankOptions): MelFilterbank {
  const { fftSize, sampleRateHz, melBinCount, lowHz } = options;
  const nyquistHz = sampleRateHz / 2;
  const highHz = options.highHz ?? nyquistHz;
  if (!(lowHz >= 0 && lowHz < highHz && highHz <= nyquistHz)) {
    throw new RangeError(
      `createMelFilterbank: need 0 <= lowHz < highHz <= ${nyquistHz}, got ${lowHz}..${highHz}`,
    );
  }
  const melLow = hzToMel(lowHz);
  const melDelta = (hzToMel(highHz) - melLow) / (melBinCount + 1);
  const binWidthHz = sampleRateHz / fftSize;
  const binCount = fftSize / 2 + 1;
  const binMel = new Float64Array(binCount);
  for (let k = 0; k < binCount; k++) binMel[k] = hzToMel(k * binWidthHz);

  const filters: MelFilter[] = [];
  for (let m = 0; m < melBinCount; m++) {
    const leftMel = melLow + m * melDelta;
    const centreMel = leftMel + melDelta;
    const rightMel = centreMel + melDelta;
    let firstBin = -1;
    const weights: number[] = [];
    for (let k = 0; k < binCount; k++) {
      const mel = binMel[k]!;
      // Strictly inside the triangle, as Kaldi does: edge bins get weight 0 and are dropped.
      if (mel <= leftMel || mel >= rightMel) continue;
      const weight = mel <= centreMel ? (mel - leftMel) / melDelta : (rightMel - mel) / melDelta;
      if (firstBin < 0) firstBin = k;
      weights.push(weight);
    }
    filters.push({ firstBin: Math.max(firstBin, 0), weights: Float64Array.from(weights) });
  }
  return { fftSize, sampleRateHz, filters };
}

/** Mel energies of one power spectrum (fftSize/2 + 1 bins) into `out` (melBinCount values). */
export function applyMelFilterbank(
  filterbank: MelFilterbank,
  power: Float64Array,
  out: Float64Array,
): Float64Array {
  const { filters } = filterbank;
  for (let m = 0; m < filters.length; m++) {
    const { firstBin, weights } = filters[m]!;
    let energy = 0;
    for (let j = 0; j < weights.length; j++) energy += weights[j]! * power[firstBin + j]!;
    out[m] = energy;
  }
  return out;
}
