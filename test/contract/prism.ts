import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../net.ts';

const PRISM = fileURLToPath(
  new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url),
);
const DOCUMENT = fileURLToPath(new URL('../../docs/api/openapi.yaml', import.meta.url));

export interface PrismMock {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the Prism mock server on the committed OpenAPI document, the same thing
 * `npm run api:mock` runs on port 4010, here on a free port. Resolves once it listens.
 */
export async function startPrism(timeoutMs = 30_000): Promise<PrismMock> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [PRISM, 'mock', DOCUMENT, '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Prism did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const hear = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', hear);
    child.stderr?.on('data', hear);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
