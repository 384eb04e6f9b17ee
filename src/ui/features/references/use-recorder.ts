/**
 * Recording from a microphone: the live waveform (wavesurfer's record plugin renders the
 * stream), a level meter with clipping detection, a timer that stops at 60 s, and
 * MediaRecorder for the audio. getUserMedia is called here, not by the plugin, so a refusal
 * keeps its DOMException name and the user gets the right explanation.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RecordPlugin from 'wavesurfer.js/dist/plugins/record.esm.js';
import { MAX_RECORDING_S } from '../../../engine/reference/clip-policy';
import { claimPlayback, releasePlayback, type PlaybackOwner } from '../../audio/playback-focus';
import { studio } from '../../store/studio-store';
import { decodeAudio } from './decode-audio';
import { startDraft } from './draft-actions';
import { listMicrophones, micErrorMessage, openMicrophone, type MicDevice } from './mic';
import { errorText } from './reference-actions';

/** Peak at or above this counts as clipping on the meter. */
const CLIP_LEVEL = 0.99;
const METER_FLOOR_DB = -60;
const RECORDER_MIME_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];
/** Opus at this rate is transparent for speech; the encoder's default (~32 kb/s) is not. */
const RECORDER_BITS_PER_SECOND = 256_000;

interface Session {
  stream: MediaStream;
  mic: { onDestroy(): void };
  context: AudioContext;
  analyser: AnalyserNode;
  recorder: MediaRecorder;
  chunks: Blob[];
  startedAt: number;
  frame: number;
}

export interface RecorderState {
  devices: MicDevice[];
  elapsedS: number;
  levelDb: number;
  /** The input hit full scale during this take. */
  clipped: boolean;
  busy: boolean;
}

export function useRecorder(container: RefObject<HTMLDivElement | null>) {
  const plugin = useRef<RecordPlugin | null>(null);
  const session = useRef<Session | null>(null);
  const [state, setState] = useState<RecorderState>({
    devices: [],
    elapsedS: 0,
    levelDb: METER_FLOOR_DB,
    clipped: false,
    busy: false,
  });

  const refreshDevices = useCallback(() => {
    // Listing devices is a convenience; recording still works with the default device.
    listMicrophones().then(
      (devices) => setState((s) => ({ ...s, devices })),
      () => undefined,
    );
  }, []);

  useEffect(() => {
    if (!container.current) return;
    const ws = WaveSurfer.create({
      container: container.current,
      height: 72,
      waveColor: '#fbbf24',
      progressColor: '#fbbf24',
      interact: false,
    });
    plugin.current = ws.registerPlugin(
      RecordPlugin.create({
        scrollingWaveform: true,
        scrollingWaveformWindow: 6,
        renderRecordedAudio: false,
      }),
    );
    refreshDevices();
    navigator.mediaDevices?.addEventListener?.('devicechange', refreshDevices);
    return () => {
      navigator.mediaDevices?.removeEventListener?.('devicechange', refreshDevices);
      teardown(session.current);
      session.current = null;
      ws.destroy();
      plugin.current = null;
    };
  }, [container, refreshDevices]);

  const stop = useCallback(() => {
    const current = session.current;
    if (current && current.recorder.state !== 'inactive') current.recorder.stop();
  }, []);

  const finish = useCallback(async (current: Session) => {
    teardown(current);
    if (session.current === current) session.current = null;
    studio.set({ refRecording: false });
    setState((s) => ({ ...s, levelDb: METER_FLOOR_DB }));
    const blob = new Blob(current.chunks, { type: current.recorder.mimeType });
    try {
      const decoded = await decodeAudio(await blob.arrayBuffer(), 'The recording');
      await startDraft(decoded, 'recording');
    } catch (error) {
      studio.set({ refMicError: `The recording could not be used: ${errorText(error)}` });
    }
  }, []);

  const start = useCallback(async () => {
    if (session.current || !plugin.current) return;
    const { refMicDeviceId, refBrowserProcessing } = studio.get();
    studio.set({ refMicError: undefined });
    setState((s) => ({ ...s, busy: true }));
    let stream: MediaStream;
    try {
      stream = await openMicrophone(refMicDeviceId, refBrowserProcessing);
    } catch (error) {
      studio.set({ refMicError: micErrorMessage(error) });
      setState((s) => ({ ...s, busy: false }));
      return;
    }
    refreshDevices(); // labels appear once access is granted
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    const mimeType = RECORDER_MIME_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(stream, {
      ...(mimeType ? { mimeType } : {}),
      audioBitsPerSecond: RECORDER_BITS_PER_SECOND,
    });
    const current: Session = {
      stream,
      mic: plugin.current.renderMicStream(stream),
      context,
      analyser,
      recorder,
      chunks: [],
      startedAt: performance.now(),
      frame: 0,
    };
    session.current = current;
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) current.chunks.push(event.data);
    };
    recorder.onstop = () => void finish(current);
    recorder.start();
    claimPlayback(recordingFocus);
    studio.set({ refRecording: true });
    setState((s) => ({ ...s, busy: false, elapsedS: 0, clipped: false }));

    const samples = new Float32Array(analyser.fftSize);
    const tick = () => {
      if (session.current !== current) return;
      const elapsedS = (performance.now() - current.startedAt) / 1000;
      analyser.getFloatTimeDomainData(samples);
      let peak = 0;
      for (const x of samples) peak = Math.max(peak, Math.abs(x));
      const levelDb = Math.max(METER_FLOOR_DB, 20 * Math.log10(peak || 1e-9));
      setState((s) => ({ ...s, elapsedS, levelDb, clipped: s.clipped || peak >= CLIP_LEVEL }));
      if (elapsedS >= MAX_RECORDING_S) stop();
      else current.frame = requestAnimationFrame(tick);
    };
    current.frame = requestAnimationFrame(tick);
  }, [finish, refreshDevices, stop]);

  return { ...state, start, stop };
}

/**
 * Recording takes the output too: whatever the studio plays stops, so the microphone does not
 * pick it up. A player the user starts during the recording plays (their choice); the recording
 * goes on.
 */
const recordingFocus: PlaybackOwner = { stop: () => undefined };

function teardown(current: Session | null): void {
  if (!current) return;
  releasePlayback(recordingFocus);
  cancelAnimationFrame(current.frame);
  current.mic.onDestroy();
  for (const track of current.stream.getTracks()) track.stop();
  if (current.recorder.state !== 'inactive') {
    current.recorder.onstop = null;
    current.recorder.stop();
  }
  void current.context.close().catch(() => undefined);
}
