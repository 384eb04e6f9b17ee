import { formatBytes } from '../../components/format';
import { ProgressBar } from '../../components/ProgressBar';
import { useStudio } from '../../store/studio-store';
import { retryEncoder, setEncoderVariant } from './analysis-actions';

const WESPEAKER_CREDIT =
  'Speaker encoder: WeSpeaker ResNet34-LM (Wang et al., ICASSP 2023), trained on VoxCeleb, licensed CC BY 4.0.';

/** Credits for the models the References tab runs (their licences ask for attribution). */
function Credits({ credit, ge2e }: { credit?: string; ge2e: boolean }) {
  const link = (href: string, text: string) => (
    <a className="text-zinc-400 underline" href={href} target="_blank" rel="noreferrer">
      {text}
    </a>
  );
  return (
    <div className="flex flex-col gap-1.5 text-xs text-zinc-400" data-testid="model-credits">
      <p>
        {credit ?? WESPEAKER_CREDIT}{' '}
        {ge2e ? (
          <>
            {link('https://www.apache.org/licenses/LICENSE-2.0', 'Apache-2.0')}
            {' · '}
            {link('https://github.com/resemble-ai/Resemblyzer', 'Resemblyzer')}
          </>
        ) : (
          <>
            {link('https://creativecommons.org/licenses/by/4.0/', 'CC BY 4.0')}
            {' · '}
            {link('https://github.com/wenet-e2e/wespeaker', 'WeSpeaker')}
            {' · '}
            {link('https://www.robots.ox.ac.uk/~vgg/data/voxceleb/', 'VoxCeleb')}
          </>
        )}
      </p>
      <p>
        Voice activity: Silero VAD v5 (MIT), shipped in @ricky0123/vad-web (ISC). Noise suppression: RNNoise
        (BSD-3-Clause), WASM build by Jitsi (Apache-2.0).
        {ge2e
          ? ' GE2E silence trim: WebRTC VAD (libfvad, BSD-3-Clause), WASM build @echogarden/fvad-wasm.'
          : ''}
      </p>
    </div>
  );
}

/** The speaker encoder: loading progress, variant, backend, errors with a retry, and credits. */
export function EncoderCard() {
  const phase = useStudio((s) => s.refEncoderPhase);
  const status = useStudio((s) => s.refEncoderStatus);
  const error = useStudio((s) => s.refEncoderError);
  const progress = useStudio((s) => s.refEncoderProgress);
  const variant = useStudio((s) => s.refEncoderVariant);

  let progressText: string | undefined;
  let fraction: number | undefined;
  if (phase === 'loading') {
    progressText = 'Loading the speaker encoder…';
    if (progress?.kind === 'download') {
      fraction = progress.totalBytes > 0 ? progress.loadedBytes / progress.totalBytes : undefined;
      progressText = progress.fromCache
        ? 'Loaded the speaker encoder from the browser cache'
        : `Downloading the speaker encoder: ${formatBytes(progress.loadedBytes)} of ${formatBytes(progress.totalBytes)}`;
    } else if (progress?.kind === 'compile') {
      progressText = `Starting the speaker encoder on ${progress.backend.toUpperCase()}…`;
    }
  }

  return (
    <section
      aria-labelledby="encoder-heading"
      className="flex flex-col gap-3 rounded-lg border border-zinc-800 bg-zinc-900/60 p-4 text-sm"
    >
      <h3 id="encoder-heading" className="font-semibold text-zinc-300">
        Speaker encoder
      </h3>
      <div aria-live="polite" data-testid="encoder-status" data-phase={phase}>
        {phase === 'ready' && status && (
          <p className="text-zinc-300">
            {status.modelName}
            {status.variant === 'ge2e' ? '' : ` · ${status.variant}`} · {status.backend.toUpperCase()}
            {status.fallbackReason ? ` (${status.fallbackReason})` : ''}
          </p>
        )}
        {phase === 'idle' && <p className="text-zinc-400">Loads when you open this tab.</p>}
        {progressText && <p className="text-zinc-300">{progressText}</p>}
      </div>
      {phase === 'loading' && <ProgressBar fraction={fraction} label="Speaker encoder download" />}
      {phase === 'error' && (
        <div
          role="alert"
          className="rounded border border-red-500/50 bg-red-950/60 p-3 text-red-100"
          data-testid="encoder-error"
        >
          <p>
            The speaker encoder could not be loaded, so similarity uses voice features (no model) instead.
            {variant === 'ge2e' ? '' : ' You can also pick another encoder below.'}
          </p>
          <p className="mt-1 whitespace-pre-wrap text-xs">{error}</p>
          <button
            type="button"
            onClick={retryEncoder}
            className="mt-2 rounded bg-red-700 px-3 py-1 text-xs font-medium hover:bg-red-600"
          >
            Try again
          </button>
        </div>
      )}
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-400">Encoder</span>
        <select
          value={variant ?? ''}
          disabled={phase === 'loading'}
          onChange={(e) => setEncoderVariant(e.target.value || undefined)}
          className="rounded border border-zinc-700 bg-zinc-950 px-2 py-1.5"
          data-testid="encoder-variant"
        >
          <option value="">
            Default{status && !variant ? ` (WeSpeaker ${status.variant})` : ' (WeSpeaker)'}
          </option>
          {(
            status?.variants ?? [
              { id: 'fp32', label: 'WeSpeaker fp32 (full precision)', bytes: 0 },
              { id: 'q8', label: 'WeSpeaker q8 (8-bit quantised)', bytes: 0 },
              { id: 'ge2e', label: 'GE2E (Resemblyzer)', bytes: 0 },
            ]
          ).map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
              {v.bytes ? ` · ${formatBytes(v.bytes)}` : ''}
            </option>
          ))}
        </select>
      </label>
      <p className="text-xs text-zinc-400">
        WeSpeaker is the studio's default. GE2E is the encoder KVoiceWalk and Resemblyzer score with: pick it
        to compare with their figures.
      </p>
      <Credits {...(status ? { credit: status.credit } : {})} ge2e={status?.variant === 'ge2e'} />
    </section>
  );
}
