/**
 * tfjs-backend-wasm with its heap in a SharedArrayBuffer, so our GEMM worker thread can work on
 * tfjs's tensors where they lie instead of copying them into a memory of its own and back (the
 * copies were ~10 % of a convolutional step).
 *
 * tfjs ships such a build (tfjs-backend-wasm-threaded-simd.wasm) for its own threads, but turns
 * it off under Node (tfjs issue #3830): its Emscripten runtime starts a pool of 8 pthread
 * workers from a blob: URL, which Node's worker_threads cannot load. We load it with tfjs's own
 * thread count at 1, so XNNPACK starts no thread and the pool is never used, and answer the
 * pool's start-up handshake ("load" → "loaded") with stand-ins instead of starting workers.
 * Pinned to tfjs 4.22's runtime (package.json pins it exactly); if loading fails in any way the
 * engine loads tfjs's usual build instead (backend.ts), and MODELWRIGHT_SHARED_HEAP=0 skips it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** Stands in for a pthread pool worker that is never given a thread. */
class IdlePoolWorker {
  onmessage: ((e: { data: unknown }) => void) | null = null;
  private readonly listeners: ((data: unknown) => void)[] = [];

  on(event: string, listener: (data: unknown) => void): this {
    if (event === 'message') this.listeners.push(listener);
    return this;
  }

  postMessage(message: { cmd?: string } | null): void {
    if (message?.cmd !== 'load') return;
    setImmediate(() => {
      const data = { cmd: 'loaded' };
      if (this.listeners.length > 0) for (const l of this.listeners) l(data);
      else this.onmessage?.({ data });
    });
  }

  terminate(): void {}
  ref(): void {}
  unref(): void {}
}

export function sharedHeapWanted(): boolean {
  return typeof process !== 'undefined' && process.env['MODELWRIGHT_SHARED_HEAP'] !== '0' && typeof SharedArrayBuffer !== 'undefined';
}

/**
 * Runs `init` (which initialises the wasm backend) with tfjs's threaded SIMD build selected and
 * its worker pool answered by stand-ins; the global `Worker` is what it was afterwards.
 */
export async function withSharedWasmHeap<T>(init: () => Promise<T>): Promise<T> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(1);
  const g = globalThis as { Worker?: unknown };
  const before = Object.getOwnPropertyDescriptor(g, 'Worker');
  // The runtime assigns worker_threads' Worker to the global and then constructs from it.
  Object.defineProperty(g, 'Worker', { configurable: true, get: () => IdlePoolWorker, set: () => undefined });
  try {
    return await init();
  } finally {
    if (before) Object.defineProperty(g, 'Worker', before);
    else delete g.Worker;
  }
}

/** Selects tfjs's usual (unshared) wasm build for the next initialisation. */
export function useUnsharedWasmHeap(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}
