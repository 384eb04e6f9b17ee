/** Microphone access: constraints, devices, and what to tell the user when it fails. */

export interface MicDevice {
  deviceId: string;
  label: string;
}

/**
 * The browser's echo cancellation, noise suppression and automatic gain make calls clearer
 * but change the timbre of a voice, so they are off unless the user turns them on.
 */
export function micConstraints(
  deviceId: string | undefined,
  browserProcessing: boolean,
): MediaTrackConstraints {
  return {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: browserProcessing,
    noiseSuppression: browserProcessing,
    autoGainControl: browserProcessing,
  };
}

export async function listMicrophones(): Promise<MicDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'audioinput' && d.deviceId)
    .map((d, index) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${index + 1}` }));
}

const HOW_TO_ALLOW =
  'To allow it: click the site-settings icon at the left of the address bar, set Microphone to Allow, then reload the page. ' +
  'If the browser itself is blocked, allow it in your system settings (macOS: System Settings > Privacy & Security > Microphone; Windows: Settings > Privacy > Microphone).';

/** A message that says what went wrong and how to fix it. */
export function micErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return `Microphone access was denied, so Timbre cannot record. ${HOW_TO_ALLOW} You can also upload a recording instead.`;
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'No microphone was found. Plug one in (or enable it in your system sound settings), then try again, or upload a recording instead.';
    case 'OverconstrainedError':
      return 'The chosen microphone is no longer available. Pick another one in the list and try again.';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'The microphone could not be started: another application may be using it. Close that application (or pick another microphone) and try again.';
    case 'NoMediaDevices':
      return 'This page cannot use a microphone: the browser allows it only on secure pages (https or localhost). Open Timbre over https, or upload a recording instead.';
    default:
      return `The microphone could not be used (${error instanceof Error ? error.message : String(error)}). Try again, pick another microphone, or upload a recording instead.`;
  }
}

/** getUserMedia with the studio's constraints; errors keep their DOMException name for micErrorMessage. */
export async function openMicrophone(
  deviceId: string | undefined,
  browserProcessing: boolean,
): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    const error = new Error('navigator.mediaDevices is unavailable');
    error.name = 'NoMediaDevices';
    throw error;
  }
  return navigator.mediaDevices.getUserMedia({ audio: micConstraints(deviceId, browserProcessing) });
}
