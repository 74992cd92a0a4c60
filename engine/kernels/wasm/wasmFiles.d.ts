/**
 * A `.wasm` file imported as its bytes: esbuild's binary loader in every Node bundle
 * (esbuild.config.mjs) and the same in vitest (vitest.config.ts), so a bundle carries our
 * kernel modules and reads no file at run time (simdModule.ts).
 */
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
