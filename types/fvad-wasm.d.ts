/** @echogarden/fvad-wasm: libfvad (WebRTC's VAD) as an Emscripten module. */
declare module '@echogarden/fvad-wasm' {
  export interface FvadModule {
    _fvad_new(): number;
    _fvad_free(handle: number): void;
    _fvad_reset(handle: number): void;
    _fvad_set_mode(handle: number, mode: number): number;
    _fvad_set_sample_rate(handle: number, rate: number): number;
    _fvad_process(handle: number, framePointer: number, length: number): number;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    HEAP16: Int16Array;
  }
  export default function createFvad(options?: {
    locateFile?: (path: string, scriptDirectory: string) => string;
  }): Promise<FvadModule>;
}
