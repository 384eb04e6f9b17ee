/**
 * The local model behind Timbre's search. Around the current centre x_c, everything the score
 * is computed from is modelled as linear in the coordinates:
 *   e_T(x) ~ e_T(x_c) + J_T (x - x_c)   target-probe speaker embedding (unit length)
 *   e_S(x) ~ e_S(x_c) + J_S (x - x_c)   self-probe speaker embedding (unit length)
 *   f(x)   ~ f(x_c)   + J_F (x - x_c)   voice-feature comparison vector of the target rendering
 * each J fitted by distance-weighted ridge least squares on the archive of evaluated
 * candidates. Every evaluation teaches the model ~560 numbers, not one: that is why it needs
 * so few of them. The model's score is the scorer's own formula on the modelled quantities
 * (target = the pooled cos(e_T/|e_T| + e_S/|e_S|, reference), self = cos(e_T, e_S),
 * features = featureSimilarity(f, reference features)), maximised inside the trust region by
 * projected gradient ascent.
 */
import { featureSimilarity, type VoiceFeatures } from '../audio/features';
import { cholesky, choleskySolve, unit } from './linalg';
import { SIMILARITY_FLOOR, type ScoreWeights } from './score';

export interface ArchivePoint {
  x: number[];
  target: number[];
  self: number[] | null;
  features: number[] | null;
}

type Channel = 'target' | 'self' | 'features';
const CHANNELS: readonly Channel[] = ['target', 'self', 'features'];

interface ChannelModel {
  centre: Float64Array;
  /** width x dim, row-major. */
  jacobian: Float64Array;
  width: number;
}

export interface LocalModel {
  dim: number;
  target: ChannelModel;
  self: ChannelModel;
  /** Absent when the renderings carried no voice features: the centre's feature similarity is then held. */
  features: ChannelModel | undefined;
}

export interface ModelObjective {
  /** Unit reference direction (the scorer's centroid). */
  reference: Float32Array;
  /** The reference's voice-feature comparison vector. */
  referenceFeatures: Float32Array;
  weights: ScoreWeights;
}

/** featureSimilarity on comparison vectors (it reads nothing else of VoiceFeatures). */
export function vectorFeatureSimilarity(a: Float32Array, b: Float32Array): number {
  return featureSimilarity({ vector: a } as VoiceFeatures, { vector: b } as VoiceFeatures);
}

const RIDGE = 1e-3;

/** J minimising sum_i w_i |Y_i - J D_i|^2 + ridge |J|^2, or undefined when it cannot be fitted. */
function fitJacobian(
  displacements: Float64Array[],
  outputs: Float64Array[],
  weights: number[],
  dim: number,
  width: number,
): Float64Array | undefined {
  const gram = new Float64Array(dim * dim);
  displacements.forEach((d, i) => {
    const w = weights[i] as number;
    for (let a = 0; a < dim; a++)
      for (let b = 0; b < dim; b++)
        gram[a * dim + b] = (gram[a * dim + b] as number) + w * (d[a] as number) * (d[b] as number);
  });
  let trace = 0;
  for (let a = 0; a < dim; a++) trace += gram[a * dim + a] as number;
  const ridge = RIDGE * Math.max(trace / dim, 1e-12);
  for (let a = 0; a < dim; a++) gram[a * dim + a] = (gram[a * dim + a] as number) + ridge;
  const factor = cholesky(gram, dim);
  if (!factor) return undefined;
  const jacobian = new Float64Array(width * dim);
  const rhs = new Float64Array(dim);
  for (let row = 0; row < width; row++) {
    rhs.fill(0);
    displacements.forEach((d, i) => {
      const wy = (weights[i] as number) * ((outputs[i] as Float64Array)[row] as number);
      for (let a = 0; a < dim; a++) rhs[a] = (rhs[a] as number) + wy * (d[a] as number);
    });
    const solved = choleskySolve(factor, dim, rhs);
    for (let a = 0; a < dim; a++) jacobian[row * dim + a] = solved[a] as number;
  }
  return jacobian;
}

function channelValue(point: ArchivePoint, channel: Channel): Float64Array | undefined {
  const raw = point[channel];
  if (!raw) return undefined;
  return channel === 'features' ? Float64Array.from(raw) : Float64Array.from(unit(raw));
}

/**
 * Fits the local model around `centre` from archive points (weights fall off as a Gaussian of
 * the distance with scale `scale`). Undefined while fewer than `minPoints` (default d) carry weight.
 *
 * (A prior from a global fit over the instant map's training renderings was tried, so the
 * model could step before any local data: on the fixture it misled the search as often as
 * it helped, so the local finite differences are worth their ~d evaluations.)
 */
export function fitLocalModel(
  centre: ArchivePoint,
  archive: readonly ArchivePoint[],
  scale: number,
  minPoints = centre.x.length,
): LocalModel | undefined {
  const dim = centre.x.length;
  const fitted: Partial<Record<Channel, ChannelModel>> = {};
  for (const channel of CHANNELS) {
    const centreValue = channelValue(centre, channel);
    if (!centreValue) continue;
    const displacements: Float64Array[] = [];
    const outputs: Float64Array[] = [];
    const weights: number[] = [];
    for (const point of archive) {
      const value = channelValue(point, channel);
      if (!value) continue;
      const d = Float64Array.from(point.x, (v, i) => v - (centre.x[i] as number));
      const squared = d.reduce((s, v) => s + v * v, 0);
      if (squared === 0) continue;
      const w = Math.exp(-squared / (2 * scale * scale));
      if (w < 1e-6) continue;
      displacements.push(d);
      outputs.push(value.map((v, i) => v - (centreValue[i] as number)));
      weights.push(w);
    }
    if (displacements.length < Math.min(minPoints, dim)) continue;
    const jacobian = fitJacobian(displacements, outputs, weights, dim, centreValue.length);
    if (jacobian) fitted[channel] = { centre: centreValue, jacobian, width: centreValue.length };
  }
  if (!fitted.target) return undefined;
  // Without enough complete neighbours the self embedding is assumed to move like the target one.
  const self =
    fitted.self ??
    (centre.self ? { ...fitted.target, centre: channelValue(centre, 'self') as Float64Array } : undefined);
  if (!self) return undefined;
  return { dim, target: fitted.target, self, features: fitted.features };
}

function predict(channel: ChannelModel, delta: ArrayLike<number>, dim: number): Float64Array {
  const out = Float64Array.from(channel.centre);
  for (let row = 0; row < channel.width; row++) {
    let sum = 0;
    for (let a = 0; a < dim; a++) sum += (channel.jacobian[row * dim + a] as number) * (delta[a] as number);
    out[row] = (out[row] as number) + sum;
  }
  return out;
}

/** Adds scale * J^T g to `gradient`. */
function addTransposed(gradient: Float64Array, channel: ChannelModel, g: Float64Array, dim: number): void {
  for (let row = 0; row < channel.width; row++) {
    const value = g[row] as number;
    if (value === 0) continue;
    for (let a = 0; a < dim; a++)
      gradient[a] = (gradient[a] as number) + value * (channel.jacobian[row * dim + a] as number);
  }
}

const dotOf = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
};

const FEATURE_STEP = 1e-4;

/** Model score at displacement `delta` and its gradient. */
export function evaluateModel(
  model: LocalModel,
  delta: ArrayLike<number>,
  objective: ModelObjective,
  heldFeatureSimilarity: number,
): { score: number; gradient: Float64Array; parts: [number, number, number] } {
  const { dim } = model;
  const u = predict(model.target, delta, dim);
  const v = predict(model.self, delta, dim);
  const r = objective.reference;
  const uu = dotOf(u, u);
  const vv = dotOf(v, v);
  const nu = Math.sqrt(uu);
  const nv = Math.sqrt(vv);
  const nr = Math.sqrt(dotOf(r, r));
  // Pooled target similarity (score.ts): the reference against m = u/|u| + v/|v|.
  const m = u.map((ui, i) => ui / nu + (v[i] as number) / nv);
  const nm = Math.sqrt(dotOf(m, m));
  const target = dotOf(m, r) / (nm * nr);
  const self = dotOf(u, v) / (nu * nv);

  let feature = heldFeatureSimilarity;
  let featureGradient: Float64Array | undefined;
  if (model.features) {
    const f = Float32Array.from(predict(model.features, delta, dim));
    feature = vectorFeatureSimilarity(f, objective.referenceFeatures);
    // Central differences in the feature domain (the similarity is cheap; its weights are private).
    featureGradient = new Float64Array(f.length);
    for (let i = 0; i < f.length; i++) {
      const saved = f[i] as number;
      f[i] = saved + FEATURE_STEP;
      const up = vectorFeatureSimilarity(f, objective.referenceFeatures);
      f[i] = saved - FEATURE_STEP;
      const down = vectorFeatureSimilarity(f, objective.referenceFeatures);
      f[i] = saved;
      featureGradient[i] = (up - down) / (2 * FEATURE_STEP);
    }
  }

  const values: [number, number, number] = [target, self, feature];
  const w = [objective.weights.target, objective.weights.self, objective.weights.feature];
  const weightSum = w.reduce((a, b) => a + b, 0);
  let denominator = 0;
  values.forEach((value, k) => {
    if ((w[k] as number) > 0) denominator += (w[k] as number) / Math.max(value, SIMILARITY_FLOOR);
  });
  const score = weightSum / denominator;
  // dH/dx_k = H^2 w_k / (W x_k^2) above the floor, 0 below it.
  const slope = (k: number) => {
    const value = values[k] as number;
    return value > SIMILARITY_FLOOR ? (score * score * (w[k] as number)) / (weightSum * value * value) : 0;
  };
  const dTarget = slope(0);
  const dSelf = slope(1);
  // d target / d m, then through m's unit directions: d(u/|u|)/du = (I - a a^T) / |u|, a = u/|u|.
  const gm = m.map((mi, i) => (r[i] as number) / (nm * nr) - (target * mi) / (nm * nm));
  let gmDotA = 0;
  let gmDotB = 0;
  for (let i = 0; i < u.length; i++) {
    gmDotA += (gm[i] as number) * ((u[i] as number) / nu);
    gmDotB += (gm[i] as number) * ((v[i] as number) / nv);
  }
  const gradU = new Float64Array(u.length);
  const gradV = new Float64Array(v.length);
  for (let i = 0; i < u.length; i++) {
    const ui = u[i] as number;
    const vi = v[i] as number;
    const g = gm[i] as number;
    gradU[i] = (dTarget * (g - (ui / nu) * gmDotA)) / nu + dSelf * (vi / (nu * nv) - (self * ui) / uu);
    gradV[i] = (dTarget * (g - (vi / nv) * gmDotB)) / nv + dSelf * (ui / (nu * nv) - (self * vi) / vv);
  }
  const gradient = new Float64Array(dim);
  addTransposed(gradient, model.target, gradU, dim);
  addTransposed(gradient, model.self, gradV, dim);
  if (model.features && featureGradient)
    addTransposed(
      gradient,
      model.features,
      featureGradient.map((g) => slope(2) * g),
      dim,
    );
  return { score, gradient, parts: values };
}

const ASCENT_ITERATIONS = 60;

/** Maximises the model score over |delta| <= radius by projected, normalised gradient ascent. */
export function maximiseModel(
  model: LocalModel,
  radius: number,
  objective: ModelObjective,
  heldFeatureSimilarity: number,
): { delta: Float64Array; score: number } {
  let delta = new Float64Array(model.dim);
  let current = evaluateModel(model, delta, objective, heldFeatureSimilarity);
  let step = radius / 2;
  for (let iteration = 0; iteration < ASCENT_ITERATIONS && step > radius * 1e-4; iteration++) {
    const g = current.gradient;
    const length = Math.sqrt(dotOf(g, g));
    if (length === 0) break;
    const next = Float64Array.from(delta, (v, i) => v + (step * (g[i] as number)) / length);
    const nextLength = Math.sqrt(dotOf(next, next));
    if (nextLength > radius)
      for (let i = 0; i < next.length; i++) next[i] = ((next[i] as number) * radius) / nextLength;
    const evaluated = evaluateModel(model, next, objective, heldFeatureSimilarity);
    if (evaluated.score > current.score) {
      delta = next;
      current = evaluated;
      step *= 1.2;
    } else {
      step /= 2;
    }
  }
  return { delta, score: current.score };
}
