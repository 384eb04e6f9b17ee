/** Reference voices: clean-up pipeline (VAD, RNNoise), clip policy, similarity. */
export * from './clip-policy';
export * from './clean';
export * from './denoise';
export * from './energy-vad';
export * from './silero';
export * from './similarity';
export * from './vad-segments';
export * from './feature-vector';
export * from './transcript-check';
