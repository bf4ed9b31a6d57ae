import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../config.js';

export function createS3Client(config: Config): S3Client {
  return new S3Client({
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
    // Checksums only where S3 requires them: MinIO, R2 and s3rver differ in what they accept.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

/** The encryption S3 applies to every object written (S3_SSE); empty: the bucket's default. */
export type ServerSideEncryption = Pick<PutObjectCommandInput, 'ServerSideEncryption' | 'SSEKMSKeyId'>;

export function serverSideEncryption(config: Pick<Config, 'S3_SSE' | 'S3_SSE_KMS_KEY_ID'>): ServerSideEncryption {
  if (config.S3_SSE === 'none') return {};
  return { ServerSideEncryption: config.S3_SSE, ...(config.S3_SSE_KMS_KEY_ID ? { SSEKMSKeyId: config.S3_SSE_KMS_KEY_ID } : {}) };
}

export function createObjectStorage(config: Config): ObjectStorage {
  return new ObjectStorage(createS3Client(config), config.S3_BUCKET, serverSideEncryption(config));
}

/** What the caller knows of a body it stores. */
export interface KnownBody {
  contentLength: number;
  /**
   * Its SHA-256 (hex), sent as the signed payload hash: the SDK does not hash the body a second
   * time, and S3 refuses the object when the bytes it received hash otherwise.
   */
  sha256?: string;
}

function isMissingObject(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404);
}

/** The bucket that holds original files. Keys never contain user input. */
export class ObjectStorage {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    private readonly encryption: ServerSideEncryption = {},
  ) {}

  /**
   * Streams the body to S3 with its encryption. With its length known (up to S3's 5 GiB), one
   * PutObject streams it as it is read; without, lib-storage's Upload buffers it in 5 MiB parts
   * (multipart above 5 MiB; an error aborts the multipart upload).
   */
  async put(key: string, body: Readable | Buffer, contentType: string, metadata: Record<string, string>, known?: KnownBody): Promise<void> {
    const params = { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType, Metadata: metadata, ...this.encryption };
    if (known) {
      const command = new PutObjectCommand({ ...params, ContentLength: known.contentLength });
      const { sha256 } = known;
      if (sha256) {
        command.middlewareStack.add(
          (next) => (args) => {
            // By the build step the serializer has made the HTTP request; the signer takes a payload hash it finds there.
            (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = sha256;
            return next(args);
          },
          { step: 'build', name: 'knownPayloadHash' },
        );
      }
      await this.client.send(command);
      return;
    }
    const upload = new Upload({ client: this.client, params, queueSize: 1, partSize: 5 * 1024 * 1024, leavePartsOnError: false });
    await upload.done();
  }

  /** Reads a whole object, refusing more than maxBytes (the upload limit bounds what can be there); null when it does not exist. */
  async read(key: string, maxBytes: number, signal?: AbortSignal): Promise<Buffer | null> {
    let response;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal: signal });
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.Body as Readable) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new Error(`object ${key} exceeds ${maxBytes} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: 'bytes=0-0' }));
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!(error instanceof S3ServiceException) || error.$metadata.httpStatusCode !== 404) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
  }
}
