// s3rver in its own Node process: it makes continuation tokens with a cipher that OpenSSL 3 only
// offers through its legacy provider, a switch we do not want in the test process itself.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3rverProcess {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startS3rver(buckets: readonly string[]): Promise<S3rverProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'slipway-s3rver-'));
  const script = `const S3rver = require('s3rver');
    const [directory, ...buckets] = process.argv.slice(1);
    new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) })
      .run().then(({ port }) => console.log(port));`;
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--no-deprecation', '-e', script, folder, ...buckets],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
