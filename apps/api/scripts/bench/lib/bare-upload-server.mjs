/**
 * Bench child: the baseline the upload benchmark compares Billflow with. Fastify +
 * @fastify/multipart with Billflow's limits and one route, POST /upload, that either
 * discards the file (BARE_MODE=discard) or streams it to S3 with Billflow's own
 * ObjectStorage (createObjectStorage, put) (BARE_MODE=s3), and nothing else.
 *
 * Plain JavaScript on the production build (apps/api/dist), run by plain `node`, as
 * Billflow itself is in the benchmarks: no TypeScript loader in either process.
 */
import { randomUUID } from 'node:crypto';
import { finished } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { loadConfig } from '../../../dist/config.js';
import { createObjectStorage } from '../../../dist/services/object-storage.js';

const config = loadConfig();
const storage = process.env.BARE_MODE === 's3' ? createObjectStorage(config) : null;

const app = Fastify();
await app.register(multipart, { limits: { fileSize: config.MAX_UPLOAD_BYTES + 1, files: 1 } });
app.post('/upload', async (request, reply) => {
  const part = await request.file();
  if (!part) return reply.status(400).send({ error: 'no file' });
  const key = `bare/${randomUUID()}`;
  if (storage) await storage.put(key, part.file, 'application/pdf', {});
  else await finished(part.file.resume());
  return reply.status(202).send({ key });
});
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
// The line spawnBenchChild waits for (announceListening in bench-child.ts).
console.log(`listening ${await app.listen({ host: '127.0.0.1', port: 0 })}`);
