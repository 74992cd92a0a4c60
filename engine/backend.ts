/**
 * Picks the fastest tfjs backend present and makes it able to train every block:
 * @tensorflow/tfjs-node-gpu (CUDA) → @tensorflow/tfjs-node → wasm → cpu, the first that loads
 * AND passes a smoke op AND has every kernel training needs. On wasm and cpu our own kernels
 * (engine/kernels) fill what tfjs lacks. The result says which backend and why, for the status
 * bar, the CLI and the run metadata.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle carries and
// registers all of them when it loads, so training anything needs it loaded first.
import '@tensorflow/tfjs-layers';
import {
  REQUIRED_TRAINING_KERNELS,
  installChainedOps,
  installSeededDropout,
  missingKernels,
  registerTrainingKernels,
  setWasmKernelThreads,
  wasmKernelsFuseMultiplyAdd,
  wasmHeapShared,
  wasmKernelsLoad,
} from './kernels';
import { availableParallelism } from 'node:os';
import { english, type WordKey, type WordValue, type Words } from './words';
import { sharedHeapWanted, useUnsharedWasmHeap, withSharedWasmHeap } from './kernels';

/** Which tfjs backend the engine picked, and why. */
export interface BackendInfo {
  /** 'tensorflow' = tfjs-node or tfjs-node-gpu (libtensorflow), 'wasm', 'cpu'. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /** The npm package that provided it, e.g. "@tensorflow/tfjs-node-gpu". */
  package: string;
  /** A sentence for the status bar: what was tried, what loaded, why this one. */
  reason: string;
  /** The reason by key and values (engine/words.ts), for the renderer to say in the user's language. */
  reasonWords?: Words;
  /** Threads the kernels use (wasm/cpu), or undefined where the backend manages its own. */
  threads?: number;
  /** Kernels training needs that were missing and that Modelwright registered itself. */
  customKernels: string[];
}

export type BackendName = BackendInfo['name'];

export interface InitBackendOptions {
  /** Try this backend first, then the usual order. */
  prefer?: BackendName;
  /**
   * Threads our wasm kernels may use: 1, or 2 (large matrix products split over this thread and
   * a worker; results identical). Default: 2 where the machine has 2 or more cores.
   */
  threads?: number;
}

interface Candidate {
  name: BackendName;
  package: string;
  /** Loads the package (registering its backend); throws when it cannot. */
  load(): Promise<void>;
}

/**
 * Optional packages are imported by a computed name so bundlers leave them external and a
 * missing one is a caught error, not a build or start-up failure.
 */
async function importOptional(name: string): Promise<void> {
  // Both libtensorflow packages are tried, and each registers the same kernels with tfjs-core
  // before it loads its native addon: where the first fails there, the second prints ~150 lines
  // of "already registered", which say nothing about why either failed (that is in the reason).
  const warn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (!(args.length === 1 && typeof args[0] === 'string' && DUPLICATE_KERNEL.test(args[0]))) warn(...args);
  };
  try {
    await import(/* @vite-ignore */ name);
  } finally {
    console.warn = warn;
  }
}

/** tfjs-core's warning for a kernel registered a second time under libtensorflow's backend. */
const DUPLICATE_KERNEL = /^The kernel '[^']+' for backend 'tensorflow' is already registered$/;

const CANDIDATES: readonly Candidate[] = [
  { name: 'tensorflow', package: '@tensorflow/tfjs-node-gpu', load: () => importOptional('@tensorflow/tfjs-node-gpu') },
  { name: 'tensorflow', package: '@tensorflow/tfjs-node', load: () => importOptional('@tensorflow/tfjs-node') },
  { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', load: async () => {} },
  { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', load: async () => {} },
];

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;
let pendingPrefer: BackendName | undefined;

/** The backend picked by the last `initBackend`, or undefined before one finished. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/**
 * Picks and initialises the backend; idempotent (a second call returns the same result unless
 * it prefers a different backend than the one in use, which switches).
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  if (pending && (opts.prefer === undefined || opts.prefer === pendingPrefer || opts.prefer === current?.name)) {
    return pending;
  }
  pendingPrefer = opts.prefer;
  pending = pick(opts).then((info) => {
    current = info;
    return info;
  });
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

function ordered(prefer: BackendName | undefined): Candidate[] {
  if (prefer === undefined) return [...CANDIDATES];
  return [...CANDIDATES.filter((c) => c.name === prefer), ...CANDIDATES.filter((c) => c.name !== prefer)];
}

async function pick(opts: InitBackendOptions): Promise<BackendInfo> {
  installChainedOps();
  installSeededDropout();
  const tried: Words[] = [];
  const notUsed = (cand: Candidate, why: Words) => tried.push({ key: 'backend.tried', params: { package: cand.package, why } });
  for (const cand of ordered(opts.prefer)) {
    const why = await tryCandidate(cand);
    if (why !== null) {
      notUsed(cand, why);
      continue;
    }
    if (cand.name === 'wasm' && !wasmKernelsLoad()) {
      notUsed(cand, { key: 'backend.why.noSimd' });
      continue;
    }
    const custom = cand.name === 'tensorflow' ? [] : registerTrainingKernels(cand.name);
    const wanted = opts.threads ?? Math.min(2, availableParallelism());
    const threads = cand.name === 'tensorflow' ? undefined : cand.name === 'wasm' && custom.length > 0 ? setWasmKernelThreads(wanted) : 1;
    const missing = missingKernels(cand.name, REQUIRED_TRAINING_KERNELS);
    if (missing.length > 0) {
      notUsed(cand, { key: 'backend.why.lacksKernels', params: { kernels: missing.join(', ') } });
      continue;
    }
    const own: WordValue = custom.length > 0 ? { key: 'backend.ownKernels', params: { kernels: custom.join(', ') } } : '';
    const inPlace: WordValue = cand.name === 'wasm' && wasmHeapShared() ? { key: 'backend.inPlace' } : '';
    const threadNote: WordValue = threads !== undefined && threads > 1 ? { key: 'backend.threads', params: { threads, inPlace } } : '';
    const fma: WordValue = cand.name === 'wasm' && custom.length > 0 && wasmKernelsFuseMultiplyAdd() ? { key: 'backend.fma' } : '';
    const before: WordValue = tried.length > 0 ? { key: 'backend.notAvailable', params: { tried: listOf(tried) } } : '';
    const reasonWords: Words = { key: 'backend.reason', params: { on: { key: describe(cand) }, before, own, threads: threadNote, fma } };
    return {
      name: cand.name,
      package: cand.package,
      reason: english(reasonWords),
      reasonWords,
      ...(threads !== undefined ? { threads } : {}),
      customKernels: custom,
    };
  }
  throw new Error(`No tfjs backend could train here: ${tried.map(english).join('; ')}`);
}

function describe(c: Candidate): WordKey {
  switch (c.name) {
    case 'tensorflow':
      return c.package.endsWith('-gpu') ? 'backend.on.cuda' : 'backend.on.tfjsNode';
    case 'wasm':
      return tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'backend.on.wasmSimd' : 'backend.on.wasm';
    case 'cpu':
      return 'backend.on.cpu';
  }
}

/**
 * The wasm backend with its heap shared (our worker thread then works on tensors in place; see
 * kernels/wasm/sharedHeap.ts), else tfjs's usual build.
 */
async function setWasmBackend(): Promise<boolean> {
  if (sharedHeapWanted()) {
    try {
      if (await withSharedWasmHeap(() => tf.setBackend('wasm'))) return true;
    } catch {
      // tfjs's usual build below.
    }
    useUnsharedWasmHeap();
  }
  return tf.setBackend('wasm');
}

/** null when the candidate loaded, became the backend and passed the smoke op; else why not. */
async function tryCandidate(c: Candidate): Promise<Words | null> {
  try {
    await c.load();
  } catch (err) {
    const msg = firstLine(err);
    return /Cannot find (package|module)/.test(msg) ? { key: 'backend.why.notInstalled' } : { key: 'backend.why.failedToLoad', params: { detail: msg } };
  }
  try {
    if (tf.findBackendFactory(c.name) === null && tf.findBackend(c.name) === null) return { key: 'backend.why.noBackend' };
    const ok = c.name === 'wasm' ? await setWasmBackend() : await tf.setBackend(c.name);
    if (!ok) return { key: 'backend.why.noInit' };
    await tf.ready();
    const v = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    if (v !== 11) return { key: 'backend.why.smokeWrong', params: { value: String(v) } };
    return null;
  } catch (err) {
    return { key: 'backend.why.smokeFailed', params: { detail: firstLine(err) } };
  }
}

/** `items` as one list ("a; b; c"), each said in the reader's language. */
function listOf(items: readonly Words[]): WordValue {
  return items.reduce<WordValue>((list, item) => (list === '' ? item : { key: 'backend.list', params: { a: list, b: item } }), '');
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n')[0] ?? '').slice(0, 200);
}
