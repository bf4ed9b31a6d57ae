import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { EMBEDDED_S3_CREDENTIALS } from '../../src/dev/embedded-s3.js';

const client = new S3Client({
  region: 'us-east-1',
  endpoint: inject('s3Endpoint'),
  forcePathStyle: true,
  credentials: EMBEDDED_S3_CREDENTIALS,
});

/** Keys stored under a tenant's prefix: how tests prove an upload left nothing behind. */
export async function objectKeysOf(tenantId: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: inject('s3Bucket'), Prefix: `${tenantId}/` }));
  return (listed.Contents ?? []).map((object) => object.Key!);
}
