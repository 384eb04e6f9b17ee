import { describe, expect, it } from 'vitest';
import { KVOICEWALK_TRANSCRIPT } from '../../test-support/shared';
import { createBenchFrontend, createDiskLexiconLoader } from '../../test-support/text-frontend';
import { TRANSCRIPT_PROBE_MAX_TOKENS, transcriptProbeTokens } from './config';

describe('the transcript probe', () => {
  it('is the transcript cut to the app’s length by default, and to another length when asked', async () => {
    const frontend = await createBenchFrontend(createDiskLexiconLoader());
    const app = (await transcriptProbeTokens(frontend, KVOICEWALK_TRANSCRIPT, 'en-us'))!;
    const explicit = await transcriptProbeTokens(
      frontend,
      KVOICEWALK_TRANSCRIPT,
      'en-us',
      TRANSCRIPT_PROBE_MAX_TOKENS,
    );
    expect(explicit).toEqual(app);
    expect(app.length).toBeLessThanOrEqual(TRANSCRIPT_PROBE_MAX_TOKENS);
    const short = (await transcriptProbeTokens(frontend, KVOICEWALK_TRANSCRIPT, 'en-us', 32))!;
    const long = (await transcriptProbeTokens(frontend, KVOICEWALK_TRANSCRIPT, 'en-us', 128))!;
    expect(short.length).toBeLessThanOrEqual(32);
    expect(short.length).toBeLessThan(app.length);
    expect(long.length).toBeGreaterThan(app.length);
    expect(long.length).toBeLessThanOrEqual(128);
    expect(await transcriptProbeTokens(frontend, '   ', 'en-us')).toBeUndefined();
  });
});
