/** Bench child: the embedded S3 server (s3rver) in its own process, keeping objects under BENCH_S3_DIR. */
import { startEmbeddedS3 } from '../../../src/dev/embedded-s3.js';
import { announceListening } from './bench-child.js';

const s3 = await startEmbeddedS3({ directory: process.env.BENCH_S3_DIR!, port: 0, bucket: process.env.S3_BUCKET! });
process.once('SIGTERM', () => void s3.close().then(() => process.exit(0)));
announceListening(s3.endpoint);
