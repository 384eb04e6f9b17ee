/** Audio DSP of the engine: WAV I/O, resampling, levels, Kaldi fbank, model-free voice features. */
export {
  AudioFileError,
  decodeWav,
  durationSeconds,
  encodeWav,
  type DecodedAudio,
  type DecodeWavOptions,
} from './wav';
export { resample, resampledLength, type ResampleOptions, type ResampleQuality } from './resample';
export {
  CLIP_THRESHOLD,
  dbToGain,
  detectClipping,
  downmixToMono,
  gainToDb,
  loudnessNormalise,
  measureLoudnessDbfs,
  peakAbs,
  peakNormalise,
  rmsDbfs,
  type LoudnessNormaliseOptions,
} from './mix';
export {
  computeFbank,
  fbankFrameCount,
  meanNormalise,
  FBANK_FRAME_SAMPLES,
  FBANK_MEL_BINS,
  FBANK_SAMPLE_RATE_HZ,
  FBANK_SHIFT_SAMPLES,
  type Fbank,
} from './fbank';
export {
  extractVoiceFeatures,
  FEATURE_SAMPLE_RATE_HZ,
  featureSimilarity,
  MFCC_COUNT,
  VOICE_FEATURE_NAMES,
  type VoiceFeatures,
} from './features';
export { trackPitch, type PitchTrack } from './pitch';
