/** vitest global setup for the real-model tests: the same step as `npm run models:real`. */
import { ensureRealModels } from './models-real';

export default async function setup(): Promise<void> {
  const result = await ensureRealModels({ log: (line) => console.log(`models:real: ${line}`) });
  if (result.written.length > 0)
    console.log(`models:real: wrote ${result.written.length} files into ${result.outDir}`);
}
