/**
 * Hidden target voices for the clone benchmark: none of them is in the library.
 * Each is a Dirichlet blend of three random stock packs, plus a perturbation that leaves the
 * span of the library: a shared offset on every row (half the stock spread of the mean
 * styles, random direction) and element-wise noise (a fifth of the element-wise stock std).
 */
import { SeededRandom } from '../../src/engine/clone/random';
import { elementwiseMeanStd } from '../../src/engine/clone/walk';
import type { NamedPack } from '../../src/engine/clone/types';
import { STYLE_DIM } from '../../src/engine/voices/pack';
import { meanStyle } from '../../src/engine/voices/pca';

export const OFFSET_SCALE = 0.5;
export const NOISE_SCALE = 0.2;
export const BLEND_PARTS = 3;

export interface HiddenTarget {
  name: string;
  pack: Float32Array;
  recipe: string;
}

export function makeHiddenTargets(stock: readonly NamedPack[], count: number, seed: number): HiddenTarget[] {
  const elementStd = elementwiseMeanStd(stock.map((voice) => voice.pack)).std;
  const styleStd = elementwiseMeanStd(stock.map((voice) => meanStyle(voice.pack))).std;
  return Array.from({ length: count }, (_, t) => {
    const rng = new SeededRandom(seed * 1000 + t);
    const parts = rng.sample(stock.length, BLEND_PARTS);
    const weights = rng.dirichlet(BLEND_PARTS);
    const pack = new Float32Array(elementStd.length);
    parts.forEach((index, p) => {
      const source = stock[index]!.pack;
      for (let i = 0; i < pack.length; i++) pack[i] = pack[i]! + weights[p]! * source[i]!;
    });
    const offset = Float32Array.from(styleStd, (std) => OFFSET_SCALE * std * rng.gaussian());
    for (let i = 0; i < pack.length; i++)
      pack[i] = pack[i]! + offset[i % STYLE_DIM]! + NOISE_SCALE * elementStd[i]! * rng.gaussian();
    const recipe = parts.map((index, p) => `${weights[p]!.toFixed(2)}*${stock[index]!.id}`).join(' + ');
    return { name: `hidden-${t + 1}`, pack, recipe: `${recipe} + offset + noise` };
  });
}
