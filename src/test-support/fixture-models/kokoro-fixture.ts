/**
 * The fixture Kokoro: a tiny ONNX graph with Kokoro-82M's exact I/O contract
 * (input_ids int64 [1, N+2], style float32 [1, 256], speed float32 [1] -> waveform
 * float32 [1, samples] at 24 kHz) that behaves like it in the ways the studio relies on:
 *
 * - style[:, :128] (timbre) sets a spectral envelope over frequency and nothing else;
 * - style[:, 128:] (prosody) sets f0 (90..280 Hz) and the tempo (samples per token);
 * - each token has its own loudness and spectral shape (vowels, consonants, pauses, silent
 *   pads) and a small intonation offset; more tokens make longer audio;
 * - speed divides the length.
 *
 * Synthesis: every token gets the same number of samples (`hop`), so the waveform is a
 * [L, hop] grid. The sound is a sum of HARMONIC_COUNT harmonics whose amplitudes crossfade
 * between neighbouring tokens near the token boundaries (no clicks), with a phase that is
 * the running sum of f0 / SR (continuous across tokens).
 */
import { GraphBuilder, type WeightStorage } from '../../engine/onnx/graph';
import { DataType } from '../../engine/onnx/onnx-proto';
import { SeededRandom } from './prng';
import { PAD_ID, tokenClasses, VOCAB_SIZE, type TokenClass } from './token-classes';
import { calibrate, genderDirection, HALF_DIM, loadStockVoices, type Projection } from './voice-stats';

export const KOKORO_SAMPLE_RATE_HZ = 24_000;
export const HARMONIC_COUNT = 48;
/** Harmonics are synthesised in groups so no intermediate holds all of them per sample. */
const HARMONIC_GROUP = 24;
/** Harmonics fade out towards this frequency (below Nyquist: no aliasing). */
const HARMONIC_CUTOFF_HZ = 10_000;
const HARMONIC_CUTOFF_FADE_HZ = 1_500;
const HARMONIC_NUMBERS = Array.from({ length: HARMONIC_COUNT }, (_, h) => h + 1);
/** Samples per token at tempo 1 and speed 1 (90 ms; Kokoro's frames are 600 samples). */
export const BASE_HOP_SAMPLES = 2160;
export const F0_MIN_HZ = 90;
export const F0_MAX_HZ = 280;
export const TEMPO_MIN = 0.72;
export const TEMPO_MAX = 1.28;
const HOP_MIN_SAMPLES = 120;
const HOP_MAX_SAMPLES = 24_000;
/** Fraction of a token on each side of a boundary over which neighbours crossfade. */
const CROSSFADE_FRACTION = 0.15;
/** Sum of harmonic amplitudes of a full-loudness token (bounds the peak). */
const AMPLITUDE_SUM = 0.62;
/** Centres of the spectral-envelope bumps (Hz); widths grow with the centre. */
const ENVELOPE_CENTRES_HZ = [200, 350, 550, 800, 1100, 1500, 2000, 2600, 3300, 4200];
const ENVELOPE_WIDTH_HZ = (centre: number) => 100 + 0.3 * centre;
const ENVELOPE_BUMPS = ENVELOPE_CENTRES_HZ.length;
/** Across the stock voices, std of each envelope logit and of the brightness tilt. */
const ENVELOPE_GAIN = 0.9;
const BRIGHTNESS_GAIN = 1.2;
/** Across the stock voices, std of the sigmoid inputs for pitch and tempo. */
const PITCH_GAIN = 1.2;
const TEMPO_GAIN = 1.4;
/** Phrase declination: f0 factor goes from START to START - SPAN over the utterance. */
const DECLINATION_START = 1.03;
const DECLINATION_SPAN = 0.06;
const SEED = 0x6b6f6b6f;

const CLASS_LOUDNESS: Record<TokenClass, number> = {
  pad: 0,
  pause: 0,
  space: 0.45,
  vowel: 1,
  voiced: 0.6,
  unvoiced: 0.3,
  modifier: 0.8,
  unused: 0.5,
};

export type KokoroFixtureVariant = 'fp32' | 'q8' | 'fp16';
export const KOKORO_FIXTURE_VARIANTS: readonly KokoroFixtureVariant[] = ['fp32', 'q8', 'fp16'];

export interface FixtureKokoroOptions {
  /** How the larger weight matrices are stored: float32, int8 + DequantizeLinear, or float16 + Cast. Default fp32. */
  variant?: KokoroFixtureVariant;
}

interface KokoroTables {
  loudness: Float32Array; // [VOCAB]
  intonation: Float32Array; // [VOCAB]
  tokenShape: Float32Array; // [VOCAB, BUMPS]
  envelope: Float32Array; // [HALF, BUMPS]
  envelopeBias: Float32Array; // [BUMPS]
  pitch: Projection;
  tempo: Projection;
}

/** Per-token tables and style read-outs, calibrated on the stock voices. */
function buildTables(): KokoroTables {
  const rng = new SeededRandom(SEED);
  const classes = tokenClasses();
  const loudness = Float32Array.from(classes, (c) => CLASS_LOUDNESS[c]);
  const intonation = Float32Array.from(classes, (c) =>
    c === 'vowel' ? 1 + 0.05 * Math.tanh(rng.gaussian()) : 1,
  );
  const tokenShape = new Float32Array(VOCAB_SIZE * ENVELOPE_BUMPS);
  classes.forEach((tokenClass, id) => {
    if (id === PAD_ID) return;
    ENVELOPE_CENTRES_HZ.forEach((centre, k) => {
      let logit = 0.7 * rng.gaussian();
      if (tokenClass === 'vowel') logit += centre < 1500 ? 0.8 : -0.2;
      if (tokenClass === 'voiced') logit += centre < 600 ? 0.6 : 0;
      if (tokenClass === 'unvoiced') logit += centre >= 2000 ? 1.4 : -0.8;
      tokenShape[id * ENVELOPE_BUMPS + k] = logit;
    });
  });

  const voices = loadStockVoices();
  const timbres = voices.map((v) => v.timbreMean);
  const prosodies = voices.map((v) => v.prosodyMean);
  const envelope = new Float32Array(HALF_DIM * ENVELOPE_BUMPS);
  const envelopeBias = new Float32Array(ENVELOPE_BUMPS);
  const brightness = calibrate(
    mix(
      genderDirection(voices, (v) => v.timbreMean),
      rng.gaussians(HALF_DIM),
      0.5,
    ),
    timbres,
    BRIGHTNESS_GAIN,
  );
  for (let k = 0; k < ENVELOPE_BUMPS; k++) {
    const column = calibrate(rng.gaussians(HALF_DIM), timbres, ENVELOPE_GAIN);
    const tilt = (2 * k) / (ENVELOPE_BUMPS - 1) - 1; // -1 (low bumps) .. 1 (high bumps)
    for (let i = 0; i < HALF_DIM; i++) {
      envelope[i * ENVELOPE_BUMPS + k] = column.weights[i]! + tilt * brightness.weights[i]!;
    }
    envelopeBias[k] = column.bias + tilt * brightness.bias + 0.4 - 0.12 * k;
  }
  // Pitch follows the female-minus-male direction of the prosody half (plus a random part).
  const gender = calibrate(
    genderDirection(voices, (v) => v.prosodyMean),
    prosodies,
    1,
  );
  const other = calibrate(rng.gaussians(HALF_DIM), prosodies, 1);
  const pitch = calibrate(mix(gender.weights, other.weights, 0.6), prosodies, PITCH_GAIN);
  const tempo = calibrate(rng.gaussians(HALF_DIM), prosodies, TEMPO_GAIN);
  return { loudness, intonation, tokenShape, envelope, envelopeBias, pitch, tempo };
}

function mix(a: ArrayLike<number>, b: ArrayLike<number>, weightB: number): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i]! + weightB * b[i]!);
}

/** `Concat([x[0:1], x[0:-1]])` and `Concat([x[1:], x[-1:]])` along axis 0: neighbours, clamped at the ends. */
function neighbours(g: GraphBuilder, x: string): { prev: string; next: string } {
  const MAX = Number.MAX_SAFE_INTEGER;
  return {
    prev: g.op('Concat', [g.slice(x, 0, 0, 1), g.slice(x, 0, 0, -1)], { axis: 0 }),
    next: g.op('Concat', [g.slice(x, 0, 1, MAX), g.slice(x, 0, -1, MAX)], { axis: 0 }),
  };
}

/** `value * sigmoid(x) * (max - min) + min` for a [1, 128] half through a calibrated read-out. */
function sigmoidReadout(
  g: GraphBuilder,
  half: string,
  projection: Projection,
  min: number,
  max: number,
  stem: string,
): string {
  const z = g.add(
    g.matmul(half, g.float(projection.weights, [HALF_DIM, 1], `${stem}_w`)),
    g.scalar(projection.bias, `${stem}_b`),
  );
  return g.add(g.mul(g.op('Sigmoid', [z]), g.scalar(max - min)), g.scalar(min));
}

/** Builds the fixture Kokoro model (ONNX bytes). */
export function buildFixtureKokoro(options: FixtureKokoroOptions = {}): Uint8Array {
  return buildKokoroGraph(options).encode({
    docString:
      'Timbre test fixture, NOT Kokoro-82M: a tiny additive synthesiser with the Kokoro ONNX I/O contract ' +
      '(written by scripts/make-fixtures.ts). Timbre half of style = spectral envelope; prosody half = f0 and tempo.',
    metadata: { timbre_fixture: 'true', model: 'kokoro', variant: options.variant ?? 'fp32' },
  });
}

/** softplus(x) = relu(x) + log(1 + exp(-|x|)): no overflow for any style, however far out. */
function softplus(g: GraphBuilder, x: string): string {
  const tail = g.op('Log', [g.add(g.op('Exp', [g.op('Neg', [g.op('Abs', [x])])]), g.scalar(1))]);
  return g.add(g.op('Relu', [x]), tail);
}

interface TokenTiming {
  /** Samples per token, a float scalar. */
  hop: string;
  /** Position inside a token, (0, 1), shape [hop]. */
  position: string;
  /** Crossfade weights towards the previous / next token, [hop]; zero in the token's middle. */
  towardsPrev: string;
  towardsNext: string;
}

/** Samples per token from tempo and speed, and where each sample sits inside its token. */
function tokenTiming(g: GraphBuilder, tempo: string, speed: string): TokenTiming {
  const hopRaw = g.div(g.mul(tempo, g.scalar(BASE_HOP_SAMPLES)), speed);
  const hopRounded = g.op('Floor', [g.add(hopRaw, g.scalar(0.5))]);
  const hop = g.reshape(g.op('Clip', [hopRounded, g.scalar(HOP_MIN_SAMPLES), g.scalar(HOP_MAX_SAMPLES)]), []);
  const position = g.div(g.add(g.op('Range', [g.scalar(0), hop, g.scalar(1)]), g.scalar(0.5)), hop);
  const fade = g.scalar(1 / (2 * CROSSFADE_FRACTION));
  const towardsPrev = g.op('Relu', [g.mul(g.sub(g.scalar(CROSSFADE_FRACTION), position), fade)]);
  const towardsNext = g.op('Relu', [g.mul(g.sub(position, g.scalar(1 - CROSSFADE_FRACTION)), fade)]);
  return { hop, position, towardsPrev, towardsNext };
}

/**
 * Phase in cycles, [L, hop]. Each token's f0 factor crossfades linearly into its
 * neighbours' near the boundaries (like the amplitudes), so the phase inside a token is the
 * closed-form integral of a piecewise-linear frequency: no per-sample CumSum, which WebGPU
 * runs in quadratic time. Whole tokens' cycles are summed over the (short) token axis and
 * kept as fractions in [0, 1) so float32 stays precise however long the audio.
 */
function phaseCycles(
  g: GraphBuilder,
  ids: string,
  f0: string,
  timing: TokenTiming,
  intonationTable: Float32Array,
): string {
  // Per-token f0 factor: intonation of the token times a falling phrase line.
  const tokenCount = g.op('Cast', [g.op('Gather', [g.op('Shape', [ids]), g.int64([0], [])])], {
    to: DataType.FLOAT,
  });
  const ramp = g.div(g.op('Range', [g.scalar(0), tokenCount, g.scalar(1)]), tokenCount); // [L]
  const declination = g.sub(g.scalar(DECLINATION_START), g.mul(ramp, g.scalar(DECLINATION_SPAN)));
  const perToken = g.mul(
    g.op('Gather', [g.float(intonationTable, [VOCAB_SIZE], 'intonation'), ids]),
    declination,
  );
  const factor = g.reshape(perToken, [-1, 1]); // [L, 1]
  const { prev, next } = neighbours(g, factor);

  // Integrals over [0, u] of the crossfade weights relu(X - u) / 2X and relu(u - 1 + X) / 2X.
  const X = CROSSFADE_FRACTION;
  const square = (x: string) => g.mul(x, x);
  const early = g.op('Relu', [g.sub(g.scalar(X), timing.position)]);
  const late = g.op('Relu', [g.sub(timing.position, g.scalar(1 - X))]);
  const prevArea = g.div(g.sub(g.scalar(X * X), square(early)), g.scalar(4 * X)); // [hop]
  const nextArea = g.div(square(late), g.scalar(4 * X));
  const cyclesPerToken = g.mul(g.div(f0, g.scalar(KOKORO_SAMPLE_RATE_HZ)), timing.hop); // at factor 1
  const integral = (u: string, areaPrev: string, areaNext: string) =>
    g.mul(
      g.add(
        g.add(g.mul(factor, u), g.mul(g.sub(prev, factor), areaPrev)),
        g.mul(g.sub(next, factor), areaNext),
      ),
      cyclesPerToken,
    );
  const within = integral(timing.position, prevArea, nextArea); // [L, hop]
  const whole = integral(g.scalar(1), g.scalar(X / 4), g.scalar(X / 4)); // [L, 1]
  const before = g.op('CumSum', [g.fract(whole), g.int64([0], [])], { exclusive: 1 });
  return g.fract(g.add(within, g.fract(before)));
}

/**
 * Harmonic amplitudes per token, [L, H]: a spectral envelope over frequency (bumps whose
 * weights come from the timbre half plus the token) sampled at h * f0, normalised so the
 * amplitudes of a token sum to its loudness.
 */
function harmonicAmplitudes(
  g: GraphBuilder,
  ids: string,
  timbre: string,
  f0: string,
  t: KokoroTables,
  storage: WeightStorage,
): string {
  const tokenShape = g.weights(t.tokenShape, [VOCAB_SIZE, ENVELOPE_BUMPS], 'token_shape', storage);
  const timbreEnvelope = g.weights(t.envelope, [HALF_DIM, ENVELOPE_BUMPS], 'timbre_envelope', storage);
  const timbreLogits = g.add(
    g.matmul(timbre, timbreEnvelope),
    g.float(t.envelopeBias, [ENVELOPE_BUMPS], 'timbre_envelope_b'),
  );
  const bumpWeights = softplus(g, g.add(g.op('Gather', [tokenShape, ids]), timbreLogits)); // [L, K]

  const harmonicHz = g.mul(f0, g.float(HARMONIC_NUMBERS, [1, HARMONIC_COUNT], 'harmonic_numbers')); // [1, H]
  const centres = g.float(ENVELOPE_CENTRES_HZ, [ENVELOPE_BUMPS, 1], 'bump_centres_hz');
  const widths = g.float(ENVELOPE_CENTRES_HZ.map(ENVELOPE_WIDTH_HZ), [ENVELOPE_BUMPS, 1], 'bump_widths_hz');
  const distance = g.div(g.sub(harmonicHz, centres), widths); // [K, H]
  const belowCutoff = g.div(
    g.sub(g.scalar(HARMONIC_CUTOFF_HZ), harmonicHz),
    g.scalar(HARMONIC_CUTOFF_FADE_HZ),
  );
  const inBand = g.op('Clip', [belowCutoff, g.scalar(0), g.scalar(1)]);
  const bumps = g.mul(g.op('Exp', [g.op('Neg', [g.mul(distance, distance)])]), inBand); // [K, H]

  const shape = g.matmul(bumpWeights, bumps); // [L, H]
  const shapeSum = g.add(g.reduce('ReduceSum', shape, [1], true), g.scalar(1e-6));
  const loudness = g.reshape(g.op('Gather', [g.float(t.loudness, [VOCAB_SIZE], 'loudness'), ids]), [-1, 1]);
  return g.mul(g.div(shape, shapeSum), g.mul(loudness, g.scalar(AMPLITUDE_SUM)));
}

/** Sum of sin(2 pi h phase) with amplitudes crossfaded between neighbouring tokens, [L, hop]. */
function synthesise(g: GraphBuilder, phase: string, amplitudes: string, timing: TokenTiming): string {
  // wave = sum_h P_h (A_h + (Aprev_h - A_h) towardsPrev + (Anext_h - A_h) towardsNext) with
  // P = partials [L, hop, H], computed per group of harmonics as three weighted sums over h.
  // (A batched MatMul does the same on WASM but crawls on WebGPU.)
  const { prev, next } = neighbours(g, amplitudes);
  const perToken = [amplitudes, g.sub(prev, amplitudes), g.sub(next, amplitudes)].map((a) =>
    g.unsqueeze(a, [1]),
  ); // [L, 1, H]
  const phase3 = g.unsqueeze(phase, [2]); // [L, hop, 1]
  let wave = '';
  for (let first = 0; first < HARMONIC_COUNT; first += HARMONIC_GROUP) {
    const group = HARMONIC_NUMBERS.slice(first, first + HARMONIC_GROUP);
    const radians = g.float(
      group.map((h) => 2 * Math.PI * h),
      [group.length],
      'harmonic_radians',
    );
    const partials = g.op('Sin', [g.mul(phase3, radians)]); // [L, hop, group]
    const [steady, fromPrev, fromNext] = perToken.map((a) =>
      g.reduce('ReduceSum', g.mul(partials, g.slice(a, 2, first, first + group.length)), [2], false),
    ) as [string, string, string]; // each [L, hop]
    const part = g.add(
      g.add(steady, g.mul(fromPrev, timing.towardsPrev)),
      g.mul(fromNext, timing.towardsNext),
    );
    wave = wave ? g.add(wave, part) : part;
  }
  return wave;
}

export function buildKokoroGraph(options: FixtureKokoroOptions = {}): GraphBuilder {
  const tables = buildTables();
  const g = new GraphBuilder('timbre_fixture_kokoro');
  const inputIds = g.input('input_ids', DataType.INT64, [1, 'sequence_length']);
  const style = g.input('style', DataType.FLOAT, [1, 256]);
  const speed = g.input('speed', DataType.FLOAT, [1]);

  const ids = g.reshape(inputIds, [-1]); // [L]
  const timbre = g.slice(style, 1, 0, HALF_DIM);
  const prosody = g.slice(style, 1, HALF_DIM, 2 * HALF_DIM);
  // The prosody half sets f0 [1, 1] and the tempo; the timbre half only the envelope.
  const f0 = sigmoidReadout(g, prosody, tables.pitch, F0_MIN_HZ, F0_MAX_HZ, 'pitch');
  const tempo = sigmoidReadout(g, prosody, tables.tempo, TEMPO_MIN, TEMPO_MAX, 'tempo');
  const timing = tokenTiming(g, tempo, speed);
  const phase = phaseCycles(g, ids, f0, timing, tables.intonation);
  const amplitudes = harmonicAmplitudes(g, ids, timbre, f0, tables, options.variant ?? 'fp32');
  const wave = synthesise(g, phase, amplitudes, timing); // [L, hop]
  g.output(g.reshape(wave, [1, -1]), 'waveform', DataType.FLOAT, [1, 'num_samples']);
  return g;
}
