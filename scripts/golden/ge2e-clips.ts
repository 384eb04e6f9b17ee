/** Writes the GE2E golden clips (src/test-support/ge2e-clips.ts) into a folder: tsx scripts/golden/ge2e-clips.ts DIR */
import { resolve } from 'node:path';
import { GE2E_GOLDEN_CLIPS, makeGe2eClip } from '../../src/test-support/ge2e-clips';

const dir = resolve(process.argv[2] ?? '.golden-clips');
for (const spec of GE2E_GOLDEN_CLIPS) console.log(makeGe2eClip(spec, dir));
