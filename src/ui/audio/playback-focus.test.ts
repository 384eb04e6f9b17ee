/**
 * One voice at a time: a player that starts stops the one holding the output, claims are
 * idempotent, a release by a player that no longer holds the output changes nothing, and a
 * stop that releases (as every player's does) does not undo the new claim.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  claimedSince,
  claimPlayback,
  playbackClaims,
  playbackHolder,
  releasePlayback,
  type PlaybackOwner,
} from './playback-focus';

class Player implements PlaybackOwner {
  stops = 0;
  stop(): void {
    this.stops++;
    releasePlayback(this); // as the real players do when they fall silent
  }
}

afterEach(() => {
  const holder = playbackHolder();
  if (holder) releasePlayback(holder);
});

describe('playback focus', () => {
  it('the player that starts last is heard: the one before is stopped once', () => {
    const a = new Player();
    const b = new Player();
    claimPlayback(a);
    expect(a.stops).toBe(0);
    claimPlayback(b);
    expect(a.stops).toBe(1);
    expect(b.stops).toBe(0);
    expect(playbackHolder()).toBe(b); // a's release inside its stop did not undo b's claim
  });

  it('claiming again while holding the output stops nothing', () => {
    const a = new Player();
    claimPlayback(a);
    claimPlayback(a);
    expect(a.stops).toBe(0);
    expect(playbackHolder()).toBe(a);
  });

  it('a player that fell silent by itself is not stopped when the next one starts', () => {
    const a = new Player();
    const b = new Player();
    claimPlayback(a);
    releasePlayback(a); // ended
    claimPlayback(b);
    expect(a.stops).toBe(0);
    expect(playbackHolder()).toBe(b);
  });

  it('a release by a player that lost the output leaves the holder alone', () => {
    const a = new Player();
    const b = new Player();
    const c = new Player();
    claimPlayback(a);
    claimPlayback(b);
    releasePlayback(a);
    expect(playbackHolder()).toBe(b);
    claimPlayback(c);
    expect(b.stops).toBe(1);
    expect(a.stops).toBe(1);
  });

  it('a player that sounds later stays quiet if the user started another one since it was asked for', () => {
    const preview = new Player();
    const take = new Player();
    // Nothing claimed since the slider moved: the render may play when it arrives.
    let mark = playbackClaims();
    expect(claimedSince(mark, preview)).toBe(false);
    claimPlayback(preview);
    // The preview itself playing meanwhile (an earlier render) does not count against it.
    mark = playbackClaims();
    claimPlayback(preview);
    expect(claimedSince(mark, preview)).toBe(false);
    // The user plays the take before the render arrives: the render stays quiet...
    claimPlayback(take);
    expect(claimedSince(mark, preview)).toBe(true);
    // ...even once the take has ended.
    releasePlayback(take);
    expect(claimedSince(mark, preview)).toBe(true);
  });
});
