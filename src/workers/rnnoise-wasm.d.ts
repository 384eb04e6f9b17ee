/** The RNNoise 0.2 build of @jitsi/rnnoise-wasm (WASM inlined); the package ships no types. */
declare module '@jitsi/rnnoise-wasm/dist/rnnoise-sync.js' {
  export interface RnnoiseModule {
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    _rnnoise_create(model?: number): number;
    _rnnoise_destroy(state: number): void;
    _rnnoise_process_frame(state: number, out: number, input: number): number;
  }
  const createRNNWasmModuleSync: (options?: object) => RnnoiseModule | Promise<RnnoiseModule>;
  export default createRNNWasmModuleSync;
}
