/**
 * A benchmark's worker processes: the same script run again with more arguments (one ONNX
 * thread each, so targets run side by side on the machine's cores). A child writes each result
 * as one line `<prefix><json>` on stdout; its stderr (progress) goes straight through.
 */
import { spawn } from 'node:child_process';

/** Runs `script` with `args` under this process's Node flags; resolves with the result lines' payloads. */
export function runBenchChild(script: string, args: readonly string[], prefix: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench child ${args.join(' ')} exited with ${code}`));
      resolve(
        output
          .split('\n')
          .filter((line) => line.startsWith(prefix))
          .map((line) => line.slice(prefix.length)),
      );
    });
  });
}
