import { useStudio } from '../store/studio-store';

/** Standing notices: fixture models, WebGPU fallback. */
export function Notices() {
  const status = useStudio((s) => s.status);
  const backendNotice = useStudio((s) => s.backendNotice);
  return (
    <>
      {status?.manifest.fixture && (
        <div
          role="status"
          data-testid="fixture-banner"
          className="bg-fuchsia-900 px-6 py-2 text-sm text-fuchsia-50"
        >
          Test fixture models from {status.source}: this is not Kokoro and does not sound like speech.
        </div>
      )}
      {backendNotice && (
        <div role="status" data-testid="backend-notice" className="bg-sky-950 px-6 py-2 text-sm text-sky-100">
          {backendNotice}
        </div>
      )}
    </>
  );
}
