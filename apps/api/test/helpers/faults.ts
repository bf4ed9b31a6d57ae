import type { ObjectStorage } from '../../src/services/object-storage.js';

/** The real storage, except that its first `failures` calls of `method` fail like a flaky network or a passing S3 error. */
function failing(method: 'read' | 'put', failures: number, message: string) {
  return (storage: ObjectStorage): ObjectStorage =>
    Object.assign(Object.create(storage) as ObjectStorage, {
      [method]: async (...args: unknown[]) => {
        if (failures-- > 0) throw new Error(message);
        return Reflect.apply(storage[method], storage, args) as Promise<unknown>;
      },
    });
}

/** The first `failures` reads fail like a flaky network. */
export const failingReads = (failures: number) => failing('read', failures, 'S3 read timed out');

/** The first `failures` writes fail like a passing S3 error. */
export const failingWrites = (failures: number) => failing('put', failures, 'S3 answered 503 SlowDown');
