import { describe, expect, it } from 'vitest';
import { IntegrityError, ModelNetworkError, ModelNotFoundError } from './errors';
import { sourceFromBase } from './sources';

const PATH = 'kokoro/onnx/model.onnx';
const ATTEMPTS = [
  { url: 'http://localhost:5173/models/kokoro/onnx/model.onnx', reason: 'text/html' },
  { url: 'https://huggingface.co/x/resolve/main/onnx/model.onnx', reason: 'HTTP 404' },
];

describe('model errors', () => {
  it('ModelNotFoundError names the file, the URLs tried and how to self-host', () => {
    const error = new ModelNotFoundError(PATH, ATTEMPTS, sourceFromBase());
    expect(error.name).toBe('ModelNotFoundError');
    expect(error.message).toBe(
      'Model file kokoro/onnx/model.onnx was not found. Tried: http://localhost:5173/models/kokoro/onnx/model.onnx (text/html), ' +
        'https://huggingface.co/x/resolve/main/onnx/model.onnx (HTTP 404). ' +
        'To self-host it, run `npm run models:fetch` or put model.onnx at public/models/kokoro/onnx/model.onnx.',
    );
    expect(error.attempts).toEqual(ATTEMPTS);
  });

  it('IntegrityError says what mismatched and that the download was discarded', () => {
    const size = new IntegrityError(PATH, 'https://h/x', 'size', '325532232', '1000');
    expect(size.message).toContain('kokoro/onnx/model.onnx');
    expect(size.message).toContain('its size is 1000 bytes, expected 325532232');
    expect(size.message).toContain('discarded');
    const sha = new IntegrityError(PATH, 'https://h/x', 'sha256', 'aa', 'bb');
    expect(sha.message).toContain('its SHA-256 is bb, expected aa');
    expect(sha.check).toBe('sha256');
  });

  it('ModelNetworkError mentions offline/CORS and the custom base to fill', () => {
    const error = new ModelNetworkError(
      PATH,
      [{ url: 'https://m.example/kokoro/onnx/model.onnx', reason: 'network error' }],
      sourceFromBase('https://m.example'),
    );
    expect(error.message).toMatch(
      /offline, a server error, or the server does not allow cross-origin requests \(CORS\)/,
    );
    expect(error.message).toContain('put model.onnx at https://m.example/kokoro/onnx/model.onnx');
  });
});
