import type { BuildOptions } from 'esbuild';

export declare const nodeBundleOptions: BuildOptions;
export declare const entries: Record<'cli' | 'web' | 'worker' | 'bench' | 'electron/main' | 'electron/preload', string>;
