import type { ObjectStorage } from '../../src/services/object-storage.js';

/** The real storage, except that its first `failures` reads fail like a flaky network. */
export function failingReads(failures: number) {
  return (storage: ObjectStorage): ObjectStorage =>
    Object.assign(Object.create(storage) as ObjectStorage, {
      read: async (...args: Parameters<ObjectStorage['read']>) => {
        if (failures-- > 0) throw new Error('S3 read timed out');
        return storage.read(...args);
      },
    });
}

/** The real storage, except that its first `failures` writes fail like a passing S3 error. */
export function failingWrites(failures: number) {
  return (storage: ObjectStorage): ObjectStorage =>
    Object.assign(Object.create(storage) as ObjectStorage, {
      put: async (...args: Parameters<ObjectStorage['put']>) => {
        if (failures-- > 0) throw new Error('S3 answered 503 SlowDown');
        return storage.put(...args);
      },
    });
}
