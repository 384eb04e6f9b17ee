import { describe, expect, it } from 'vitest';
import { micConstraints, micErrorMessage } from './mic';

function domError(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

describe('micErrorMessage', () => {
  const CASES = [
    { name: 'NotAllowedError', says: ['denied', 'set Microphone to Allow', 'upload a recording'] },
    { name: 'SecurityError', says: ['denied'] },
    { name: 'NotFoundError', says: ['No microphone was found', 'Plug one in'] },
    { name: 'OverconstrainedError', says: ['no longer available', 'Pick another'] },
    { name: 'NotReadableError', says: ['another application'] },
    { name: 'NoMediaDevices', says: ['https'] },
    { name: 'WeirdError', says: ['WeirdError happened', 'Try again'] },
  ];
  it.each(CASES)('$name', ({ name, says }) => {
    const message = micErrorMessage(domError(name));
    for (const text of says) expect(message).toContain(text);
  });
});

describe('micConstraints', () => {
  it('turns the browser processing off by default and picks the device exactly', () => {
    expect(micConstraints('dev-1', false)).toEqual({
      deviceId: { exact: 'dev-1' },
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
    });
  });
  it('uses the default device and can turn processing on', () => {
    expect(micConstraints(undefined, true)).toEqual({
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    });
  });
});
