/**
 * One voice at a time. The studio has several players: Speak's live playback, the finished
 * take in the result panel, the blend preview in Voices, a reference clip and its clean-up in
 * References, the A/B rows in Clone. Each claims the output when it starts to sound, and the
 * player that held it is told to stop: whatever the user started last is what they hear.
 *
 * A player is any object with `stop()` (called at most once per claim taken from it; it must
 * not claim again from inside). It releases the output when it stops or ends by itself, so a
 * finished player is never stopped later by surprise. (Speak's live playback keeps it across
 * the waits between parts, until Stop or another player: a stop while it is idle only keeps
 * the rest of that take quiet.)
 *
 * A player that starts by itself later (the blend preview plays a render when it arrives)
 * notes `playbackClaims()` at the user's action and asks `claimedSince` before it sounds: if
 * the user started another player meanwhile, it stays quiet.
 */
export interface PlaybackOwner {
  /** Another player started: be silent now. */
  stop(): void;
}

let holder: PlaybackOwner | undefined;
/** How many times the output changed hands. */
let claims = 0;

/** `owner` starts to sound: the player that held the output stops first. Claiming again is a no-op. */
export function claimPlayback(owner: PlaybackOwner): void {
  if (holder === owner) return;
  const previous = holder;
  claims++;
  holder = owner; // set first: the previous player's stop may release, which must not undo this
  previous?.stop();
}

/** `owner` is silent again (stopped, paused or ended): nothing to stop when the next player starts. */
export function releasePlayback(owner: PlaybackOwner): void {
  if (holder === owner) holder = undefined;
}

/** A mark for `claimedSince`, taken when the user asks for something that will sound later. */
export function playbackClaims(): number {
  return claims;
}

/** Another player than `owner` took the output after `mark` (whether or not it still plays). */
export function claimedSince(mark: number, owner: PlaybackOwner): boolean {
  return claims !== mark && holder !== owner;
}

/** The player holding the output, if any (tests and diagnostics). */
export function playbackHolder(): PlaybackOwner | undefined {
  return holder;
}

/**
 * An `<audio>` element as a player: it claims the output when it starts to play and releases
 * it when it pauses or ends; another player starting pauses it. Returns the undo.
 */
export function focusMediaElement(element: HTMLMediaElement): () => void {
  const owner: PlaybackOwner = { stop: () => element.pause() };
  const claim = (): void => claimPlayback(owner);
  const release = (): void => releasePlayback(owner);
  element.addEventListener('play', claim);
  element.addEventListener('pause', release);
  element.addEventListener('ended', release);
  return () => {
    element.removeEventListener('play', claim);
    element.removeEventListener('pause', release);
    element.removeEventListener('ended', release);
    release();
  };
}
