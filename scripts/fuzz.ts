/**
 * npm run fuzz: mutation and random-bytes fuzzing, with a fixed seed, of every parser and
 * evaluator that takes user input (src/test-support/fuzz/targets.ts).
 *
 *   npm run fuzz                                  10,000 inputs per target, seed 12
 *   npm run fuzz -- --count 500 --target pickle,zip
 *   npm run fuzz -- --seed 7 --from 20000         other inputs
 *   npm run fuzz -- --replay .scratch/fuzz-findings/pickle-123.bin [--minimize]
 *
 * Each target runs in a worker thread with a heap limit; an input still running after 2 s is a
 * hang (the worker is killed after 10 s and the run goes on from the next input), and a worker
 * that dies (out of memory) is a crash. Every crash and hang input is saved, with its error, to
 * .scratch/fuzz-findings/<target>-<input number>.bin/.txt. The last line is
 * `inputs N, crashes C, hangs H`; the exit code is 1 when C or H is not 0.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from '../src/test-support/shared';
import { DEFAULT_SEED, generateInput, HANG_MS, runInput } from '../src/test-support/fuzz/run';
import { targetByName, TARGETS, type FuzzTarget } from '../src/test-support/fuzz/targets';
import {
  countersView,
  FSLOT,
  SLOT,
  sharedCounters,
  type FindingMessage,
  type WorkerJob,
} from '../src/test-support/fuzz/worker';

/** A stuck input is killed after this long, and the run goes on from the next input. */
const KILL_MS = 10_000;
/** Findings saved per target (all are counted). */
const MAX_SAVED_PER_TARGET = 100;
const FINDINGS_DIR = join(REPO_ROOT, '.scratch/fuzz-findings');

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    from: { type: 'string', default: '0' },
    target: { type: 'string', multiple: true },
    'memory-mb': { type: 'string', default: '1024' },
    replay: { type: 'string' },
    variant: { type: 'string' },
    minimize: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
  },
});

const MB = 1024 * 1024;
const mb = (bytes: number): string => (bytes / MB).toFixed(1);

interface Finding {
  kind: 'crash' | 'hang';
  index: number;
  signature: string;
  file?: string;
}

interface TargetStats {
  target: string;
  inputs: number;
  accepted: number;
  rejected: number;
  crashes: number;
  hangs: number;
  slowestMs: number;
  slowestIndex: number;
  peakHeap: number;
  peakHeapIndex: number;
  peakRss: number;
  seconds: number;
  findings: Finding[];
}

function saveFinding(
  target: string,
  seed: number,
  finding: Omit<FindingMessage, 'type'>,
  saved: number,
): string | undefined {
  if (saved >= MAX_SAVED_PER_TARGET) return undefined;
  mkdirSync(FINDINGS_DIR, { recursive: true });
  const base = join(FINDINGS_DIR, `${target}-${finding.index}`);
  writeFileSync(`${base}.bin`, finding.bytes);
  writeFileSync(
    `${base}.txt`,
    [
      `target: ${target}`,
      `kind: ${finding.kind}`,
      `seed: ${seed}`,
      `input: ${finding.index}`,
      `variant: ${finding.variant}`,
      `made by: ${finding.how}`,
      `bytes: ${finding.bytes.length}`,
      `time: ${Math.round(finding.ms)} ms`,
      `signature: ${finding.signature}`,
      `error: ${finding.error}`,
      `replay: npm run fuzz -- --replay ${relative(REPO_ROOT, base)}.bin`,
      '',
      finding.stack,
      '',
    ].join('\n'),
  );
  return `${relative(REPO_ROOT, base)}.bin`;
}

type WorkerEnd =
  | { kind: 'done' }
  | { kind: 'died'; index: number; error: string }
  | { kind: 'killed'; index: number; ms: number };

const TSX_API = import.meta.resolve('tsx/esm/api');
const WORKER_MODULE = new URL('../src/test-support/fuzz/worker.ts', import.meta.url).href;
/** Workers do not inherit tsx's loader for their entry module: register it, then import the TypeScript. */
const BOOTSTRAP = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(TSX_API)}; register(); ` +
      `const worker = await import(${JSON.stringify(WORKER_MODULE)}); worker.fuzzWorkerMain();`,
  )}`,
);

function runWorker(
  job: WorkerJob,
  memoryMb: number,
  onFinding: (message: FindingMessage) => void,
  onSample: (rss: number) => void,
): Promise<WorkerEnd> {
  const { ints, floats } = countersView(job.counters);
  return new Promise((resolve) => {
    let settled = false;
    let warnedIndex = -1;
    const worker = new Worker(BOOTSTRAP, {
      workerData: job,
      execArgv: [],
      // ~the stack of a browser's main thread, so recursion fails here as it would there.
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 1 },
    });
    const finish = (end: WorkerEnd): void => {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      resolve(end);
    };
    const runningIndex = (): number =>
      Atomics.load(ints, SLOT.running) === 1 ? Atomics.load(ints, SLOT.index) : -1;
    const watch = setInterval(() => {
      onSample(process.memoryUsage.rss());
      const index = runningIndex();
      if (index < 0) return;
      const ms = Date.now() - (floats[FSLOT.startedAt] as number);
      if (ms > HANG_MS && warnedIndex !== index) {
        warnedIndex = index;
        console.log(`  ${job.target} #${index}: still running after ${HANG_MS / 1000} s`);
      }
      if (ms > KILL_MS) {
        void worker.terminate();
        finish({ kind: 'killed', index, ms });
      }
    }, 50);
    worker.on('message', (message: FindingMessage | { type: 'done' }) => {
      if (message.type === 'finding') onFinding(message);
      else finish({ kind: 'done' });
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const index = runningIndex();
      if (index < 0) {
        console.error(`${job.target}: the fuzz worker failed outside any input:`, error);
        process.exit(2);
      }
      finish({ kind: 'died', index, error: `${error.code ?? error.name}: ${error.message}` });
    });
    worker.on('exit', (code) => {
      if (settled) return;
      const index = runningIndex();
      if (index < 0) {
        console.error(`${job.target}: the fuzz worker exited (code ${code}) outside any input`);
        process.exit(2);
      }
      finish({ kind: 'died', index, error: `the worker exited with code ${code}` });
    });
  });
}

async function fuzzTarget(
  target: FuzzTarget,
  seed: number,
  from: number,
  count: number,
  memoryMb: number,
): Promise<TargetStats> {
  const started = performance.now();
  const counters = sharedCounters();
  const { ints, floats } = countersView(counters);
  const findings: Finding[] = [];
  let peakRss = 0;
  const record = (message: Omit<FindingMessage, 'type'>): void => {
    const saved = findings.filter((f) => f.file).length;
    const file = saveFinding(target.name, seed, message, saved);
    findings.push({
      kind: message.kind,
      index: message.index,
      signature: message.signature,
      ...(file ? { file } : {}),
    });
  };
  let next = from;
  const end = from + count;
  while (next < end) {
    const outcome = await runWorker(
      { target: target.name, seed, from: next, to: end, counters },
      memoryMb,
      (message) => record(message),
      (rss) => (peakRss = Math.max(peakRss, rss)),
    );
    if (outcome.kind === 'done') break;
    const input = generateInput(target, seed, outcome.index);
    const killed = outcome.kind === 'killed';
    if (killed && outcome.ms > (floats[FSLOT.slowestMs] as number)) {
      floats[FSLOT.slowestMs] = outcome.ms;
      floats[FSLOT.slowestIndex] = outcome.index;
    }
    Atomics.add(ints, killed ? SLOT.hangs : SLOT.crashes, 1);
    Atomics.add(ints, SLOT.done, 1);
    Atomics.store(ints, SLOT.running, 0);
    record({
      kind: killed ? 'hang' : 'crash',
      index: outcome.index,
      variant: input.variant,
      how: input.how,
      ms: killed ? outcome.ms : Date.now() - (floats[FSLOT.startedAt] as number),
      error: killed ? `still running after ${KILL_MS / 1000} s: killed` : outcome.error,
      stack: '',
      signature: killed ? 'hang (killed)' : `worker died: ${outcome.error.split(':')[0]}`,
      bytes: input.bytes,
    });
    console.log(
      `  ${target.name} #${outcome.index}: ${killed ? 'killed after 10 s' : `worker died (${outcome.error})`}; going on from #${outcome.index + 1}`,
    );
    next = outcome.index + 1;
  }
  return {
    target: target.name,
    inputs: Atomics.load(ints, SLOT.done),
    accepted: Atomics.load(ints, SLOT.accepted),
    rejected: Atomics.load(ints, SLOT.rejected),
    crashes: Atomics.load(ints, SLOT.crashes),
    hangs: Atomics.load(ints, SLOT.hangs),
    slowestMs: floats[FSLOT.slowestMs] as number,
    slowestIndex: floats[FSLOT.slowestIndex] as number,
    peakHeap: floats[FSLOT.peakHeap] as number,
    peakHeapIndex: floats[FSLOT.peakHeapIndex] as number,
    peakRss: Math.max(peakRss, floats[FSLOT.peakRss] as number),
    seconds: (performance.now() - started) / 1000,
    findings,
  };
}

function describe(stats: TargetStats): string {
  return [
    stats.target.padEnd(11),
    `inputs ${stats.inputs}`,
    `rejected ${stats.rejected}`,
    `accepted ${stats.accepted}`,
    `crashes ${stats.crashes}`,
    `hangs ${stats.hangs}`,
    `slowest ${stats.slowestMs.toFixed(1)} ms (#${stats.slowestIndex})`,
    `peak heap+buffers ${mb(stats.peakHeap)} MB (#${stats.peakHeapIndex})`,
    `peak RSS ${mb(stats.peakRss)} MB`,
    `${stats.seconds.toFixed(1)} s`,
  ].join('  ');
}

function printFindings(stats: TargetStats): void {
  const bySignature = new Map<string, Finding[]>();
  for (const finding of stats.findings)
    bySignature.set(finding.signature, [...(bySignature.get(finding.signature) ?? []), finding]);
  for (const [signature, group] of bySignature) {
    const example = group.find((f) => f.file)?.file ?? `input #${group[0]?.index}`;
    console.log(`    ${group[0]?.kind} x${group.length}: ${signature} (e.g. ${example})`);
  }
}

/** Runs a saved input in this process: its outcome, and with --minimize a smaller input that fails the same way. */
function replay(path: string): void {
  const sidecar = path.replace(/\.bin$/, '.txt');
  const notes = existsSync(sidecar) ? readFileSync(sidecar, 'utf8') : '';
  const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(notes)?.[1];
  const targetName = args.target?.[0] ?? field('target');
  if (!targetName) throw new Error('--replay needs --target (or the .txt saved beside the input)');
  const target = targetByName(targetName);
  const variant = Number(args.variant ?? field('variant') ?? 0);
  const bytes = new Uint8Array(readFileSync(path));
  const result = runInput(target, { bytes, variant, how: 'replay' });
  console.log(
    `${target.name} (variant ${variant}), ${bytes.length} bytes: ${result.outcome.kind} in ${result.ms.toFixed(1)} ms`,
  );
  if (result.outcome.kind !== 'crash') return;
  console.log(result.outcome.stack || result.outcome.error);
  if (!args.minimize) return;
  const signature = result.outcome.signature;
  const same = (candidate: Uint8Array): boolean => {
    const again = runInput(target, { bytes: candidate, variant, how: 'minimize' });
    return again.outcome.kind === 'crash' && again.outcome.signature === signature && again.ms < HANG_MS;
  };
  let best = bytes;
  // Delete ever smaller chunks while the crash stays the same.
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at < best.length;) {
      const candidate = new Uint8Array(best.length - Math.min(chunk, best.length - at));
      candidate.set(best.subarray(0, at));
      candidate.set(best.subarray(at + chunk), at);
      if (candidate.length < best.length && same(candidate)) best = candidate;
      else at += chunk;
    }
  }
  const out = path.replace(/\.bin$/, '.min.bin');
  writeFileSync(out, best);
  console.log(`minimized to ${best.length} bytes: ${out}\nbase64: ${Buffer.from(best).toString('base64')}`);
}

async function main(): Promise<void> {
  if (args.list) {
    for (const target of TARGETS) console.log(`${target.name.padEnd(11)} ${target.calls}`);
    return;
  }
  if (args.replay) return replay(args.replay);
  const seed = Number(args.seed);
  const count = Number(args.count);
  const from = Number(args.from);
  const memoryMb = Number(args['memory-mb']);
  const targets = (args.target ?? TARGETS.map((t) => t.name))
    .flatMap((list) => list.split(','))
    .map(targetByName);
  // Findings of an earlier run of these targets would be mistaken for this run's.
  if (existsSync(FINDINGS_DIR))
    for (const file of readdirSync(FINDINGS_DIR))
      if (targets.some((t) => file.startsWith(`${t.name}-`))) rmSync(join(FINDINGS_DIR, file));

  console.log(
    `fuzzing ${targets.length} targets, inputs #${from}..#${from + count - 1} each, seed ${seed}, worker heap limit ${memoryMb} MB`,
  );
  const started = performance.now();
  const all: TargetStats[] = [];
  for (const target of targets) {
    const stats = await fuzzTarget(target, seed, from, count, memoryMb);
    all.push(stats);
    console.log(describe(stats));
    printFindings(stats);
  }
  const total = (key: 'inputs' | 'crashes' | 'hangs'): number => all.reduce((n, s) => n + s[key], 0);
  const worstHeap = all.reduce((a, b) => (b.peakHeap > a.peakHeap ? b : a));
  const worstRss = all.reduce((a, b) => (b.peakRss > a.peakRss ? b : a));
  console.log(
    `worst memory: heap+buffers ${mb(worstHeap.peakHeap)} MB (${worstHeap.target} #${worstHeap.peakHeapIndex}), ` +
      `process RSS ${mb(worstRss.peakRss)} MB (during ${worstRss.target}); ${((performance.now() - started) / 1000).toFixed(1)} s in all`,
  );
  if (total('crashes') + total('hangs') > 0)
    console.log(`findings saved in ${relative(REPO_ROOT, FINDINGS_DIR)}/`);
  console.log(`inputs ${total('inputs')}, crashes ${total('crashes')}, hangs ${total('hangs')}`);
  if (total('crashes') + total('hangs') > 0) process.exitCode = 1;
}

await main();
