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
