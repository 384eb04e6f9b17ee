/**
 * The one Kokoro runner: a Kokoro v1.0 ONNX session (onnxruntime-web in the workers,
 * onnxruntime-node in tests and benchmarks) behind the engine's KokoroRunner interface.
 *
 * Public exports disagree on names and dtypes, so nothing is guessed: the contract is read
 * from the session's own metadata when it is created.
 *   - onnx-community (`model*.onnx`): `input_ids` int64 [1, n], `style` float32 [1, 256],
 *     `speed` float32 [1] -> `waveform` float32 [1, samples];
 *   - kokoro-onnx (`kokoro-v1.0*.onnx`): `tokens` int64 [1, n], `style`, `speed` float32 [1]
 *     -> `audio` float32 [samples];
 *   - exports whose `speed` is int32 (kokoro-onnx feeds those an integer speed).
 * Anything else is refused with the file's name and what it does have.
 *
 * This file imports onnxruntime only as types: the caller passes its Tensor constructor, so
 * the same code runs over onnxruntime-web and onnxruntime-node.
 */
import type * as ort from 'onnxruntime-web';
import type { Backend, KokoroRunner } from '../../engine/tts/types';
import { sessionScheduler, type ScheduleOptions } from './session-scheduler';

type TensorType = 'int64' | 'int32' | 'float32';

/** `new ort.Tensor(type, data, dims)` of whichever onnxruntime package the caller uses. */
export type TensorConstructor = new (
  type: TensorType,
  data: BigInt64Array | Int32Array | Float32Array,
  dims: readonly number[],
) => unknown;

/** What the runner needs of an inference session (onnxruntime-web's and -node's both fit). */
export interface KokoroSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly ort.InferenceSession.ValueMetadata[];
  readonly outputMetadata?: readonly ort.InferenceSession.ValueMetadata[];
  run(feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>>;
  release(): Promise<void>;
}

/** The names and dtypes one export uses. */
export interface KokoroContract {
  ids: 'input_ids' | 'tokens';
  speedType: 'float32' | 'int32';
  output: 'waveform' | 'audio';
}

export class KokoroContractError extends Error {
  override readonly name = 'KokoroContractError';
}

const STYLE_DIM = 256;

function describeValue(meta: ort.InferenceSession.ValueMetadata | undefined, name: string): string {
  if (!meta || !meta.isTensor) return name;
  const shape = meta.shape.length ? ` [${meta.shape.join(', ')}]` : '';
  return `${name} (${meta.type}${shape})`;
}

function metaOf(
  list: readonly ort.InferenceSession.ValueMetadata[] | undefined,
  name: string,
): ort.InferenceSession.TensorValueMetadata | undefined {
  const meta = list?.find((m) => m.name === name);
  return meta && meta.isTensor ? meta : undefined;
}

/** Reads which Kokoro export `session` is, or throws a KokoroContractError naming `fileName`. */
export function readKokoroContract(session: KokoroSession, fileName: string): KokoroContract {
  const inputs = session.inputNames;
  const outputs = session.outputNames;
  const has = (name: string) => inputs.includes(name);
  const ids = has('input_ids') ? 'input_ids' : has('tokens') ? 'tokens' : undefined;
  const output = outputs.includes('waveform') ? 'waveform' : outputs.includes('audio') ? 'audio' : undefined;
  const problems: string[] = [];
  if (!ids) problems.push('no `input_ids` or `tokens` input');
  if (!has('style')) problems.push('no `style` input');
  if (!has('speed')) problems.push('no `speed` input');
  if (!output) problems.push('no `waveform` or `audio` output');
  const extra = inputs.filter((name) => name !== ids && name !== 'style' && name !== 'speed');
  if (extra.length) problems.push(`inputs it would need that the studio does not feed: ${extra.join(', ')}`);

  const idsMeta = ids ? metaOf(session.inputMetadata, ids) : undefined;
  if (idsMeta && idsMeta.type !== 'int64') problems.push(`\`${ids}\` is ${idsMeta.type}, expected int64`);
  const styleMeta = metaOf(session.inputMetadata, 'style');
  if (styleMeta) {
    if (styleMeta.type !== 'float32') problems.push(`\`style\` is ${styleMeta.type}, expected float32`);
    const last = styleMeta.shape.at(-1);
    if (typeof last === 'number' && last !== STYLE_DIM)
      problems.push(`\`style\` has ${last} values per row, expected ${STYLE_DIM}`);
  }
  const speedMeta = metaOf(session.inputMetadata, 'speed');
  const speedType = speedMeta?.type ?? 'float32';
  if (speedType !== 'float32' && speedType !== 'int32')
    problems.push(`\`speed\` is ${speedType}, expected float32 or int32`);
  const outMeta = output ? metaOf(session.outputMetadata, output) : undefined;
  if (outMeta && outMeta.type !== 'float32')
    problems.push(`\`${output}\` is ${outMeta.type}, expected float32`);

  if (problems.length > 0 || !ids || !output) {
    const inputList = inputs.map((n) => describeValue(metaOf(session.inputMetadata, n), n)).join(', ');
    const outputList = outputs.map((n) => describeValue(metaOf(session.outputMetadata, n), n)).join(', ');
    throw new KokoroContractError(
      `${fileName} is not a Kokoro v1.0 model this studio can run: ${problems.join('; ')}. ` +
        `It has inputs ${inputList || 'none'} and outputs ${outputList || 'none'}; ` +
        'a Kokoro v1.0 export takes input_ids or tokens (int64), style (float32 [1, 256]) and speed, ' +
        'and gives waveform or audio.',
    );
  }
  return { ids, speedType: speedType as KokoroContract['speedType'], output };
}

/**
 * A Kokoro session behind the engine's KokoroRunner interface. Its runs go through the realm's
 * one session scheduler (ort/session-scheduler.ts): one inference at a time across every
 * session, interactive before background.
 */
export class KokoroSessionRunner implements KokoroRunner {
  readonly contract: KokoroContract;
  private released = false;
  private releasing: Promise<void> | undefined;

  /**
   * @param fileName names the model in error messages (its manifest path or file name).
   * @throws KokoroContractError when the session is not a Kokoro v1.0 export.
   */
  constructor(
    readonly backend: Backend,
    readonly variant: string,
    private readonly session: KokoroSession,
    private readonly Tensor: TensorConstructor,
    readonly fileName: string,
  ) {
    this.contract = readKokoroContract(session, fileName);
  }

  /** One inference; `options` give its priority (default interactive) and a signal that cancels it while queued. */
  run(
    inputIds: readonly number[],
    style: Float32Array,
    speed: number,
    options: ScheduleOptions = {},
  ): Promise<Float32Array> {
    const { Tensor, contract } = this;
    if (this.releasing)
      return Promise.reject(new Error(`The Kokoro session (${this.fileName}) was released.`));
    return sessionScheduler.schedule(async () => {
      if (this.released) throw new Error(`The Kokoro session (${this.fileName}) was released.`);
      const speedData =
        contract.speedType === 'int32'
          ? Int32Array.of(Math.max(1, Math.round(speed)))
          : Float32Array.of(speed);
      const feeds = {
        [contract.ids]: new Tensor(
          'int64',
          BigInt64Array.from(inputIds, (id) => BigInt(id)),
          [1, inputIds.length],
        ),
        style: new Tensor('float32', style, [1, style.length]),
        speed: new Tensor(contract.speedType, speedData, [1]),
      } as unknown as Record<string, ort.Tensor>;
      const outputs = await this.session.run(feeds);
      try {
        const wave = outputs[contract.output];
        if (!wave) throw new KokoroContractError(`${this.fileName} gave no \`${contract.output}\` output.`);
        // Copy out of the tensor (GPU-backed data may be reused) before the tensors are freed.
        const data = typeof wave.getData === 'function' ? await wave.getData() : wave.data;
        return new Float32Array(data as Float32Array);
      } finally {
        for (const tensor of Object.values(outputs)) tensor.dispose?.();
      }
    }, options);
  }

  /**
   * Releases the session after the runs already queued (and the one under way); runs asked for
   * later fail. Twice is once.
   */
  release(): Promise<void> {
    this.releasing ??= sessionScheduler.schedule(
      async () => {
        if (this.released) return;
        this.released = true;
        await this.session.release();
      },
      { priority: 'background' },
    );
    return this.releasing;
  }

  /** True once release() was asked for. */
  get isReleased(): boolean {
    return this.releasing !== undefined;
  }
}

/**
 * Binds every run of a request to its `signal`: a run still waiting in the scheduler's queue
 * (behind a clone evaluation, say) leaves it at once when the request is stopped, instead of
 * running to be thrown away. Bind the runner a WebGPU failure swaps in as well, or the rest of
 * the request could no longer be stopped while queued.
 */
export function cancellableBy(signal: AbortSignal): (runner: KokoroSessionRunner) => KokoroRunner {
  return (runner) => ({
    backend: runner.backend,
    run: (inputIds, style, speed) => runner.run(inputIds, style, speed, { signal }),
  });
}
