import { multipartBody } from './multipart.js';

/** A small seeded PRNG (mulberry32): the same seed replays the same inputs. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return {
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    bytes: (length: number): Buffer => Buffer.from(Array.from({ length }, () => int(256))),
  };
}
export type Random = ReturnType<typeof seededRandom>;

export interface FuzzInput {
  /** What was generated, for the failure message. */
  label: string;
  payload: Buffer;
  headers: Record<string, string>;
}

const CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/html', 'application/octet-stream', '', 'x'.repeat(2_000), 'application/pdf; charset="\u0000"'];
const FILENAMES = ['invoice.pdf', '../../etc/passwd', 'a\u202Efdp.exe', 'x'.repeat(5_000), '', '"', '%00.pdf', 'ünïcödé.pdf', '\u0007\u001b[2J'];

/** A seed file changed the way fuzzers do: bit flips, truncation, splices, repeated chunks, random bytes inserted. */
export function mutate(random: Random, seeds: readonly Buffer[]): { label: string; file: Buffer } {
  const seed = random.pick(seeds);
  const at = () => random.int(seed.length + 1);
  switch (random.int(6)) {
    case 0: {
      const file = Buffer.from(seed);
      const flips = 1 + random.int(32);
      for (let i = 0; i < flips; i++) {
        const index = random.int(file.length);
        file[index] = file[index]! ^ (1 << random.int(8));
      }
      return { label: `${flips} bit flips`, file };
    }
    case 1: {
      const length = at();
      return { label: `truncated to ${length}`, file: seed.subarray(0, length) };
    }
    case 2: {
      const other = random.pick(seeds);
      const cut = at();
      return { label: `spliced at ${cut}`, file: Buffer.concat([seed.subarray(0, cut), other.subarray(random.int(other.length + 1))]) };
    }
    case 3: {
      const start = at();
      const chunk = seed.subarray(start, start + 1 + random.int(512));
      const copies = 2 + random.int(200);
      return { label: `${copies} copies of a ${chunk.length}-byte chunk`, file: Buffer.concat([seed.subarray(0, start), ...Array<Buffer>(copies).fill(chunk), seed.subarray(start)]) };
    }
    case 4: {
      const index = at();
      return { label: `random bytes inserted at ${index}`, file: Buffer.concat([seed.subarray(0, index), random.bytes(1 + random.int(256)), seed.subarray(index)]) };
    }
    default: {
      const length = random.int(8_192);
      return { label: `${length} random bytes`, file: random.bytes(length) };
    }
  }
}

/** A well-formed multipart body around a mutated file, with a random declared content type and file name. */
export function wellFormedUpload(random: Random, seeds: readonly Buffer[]): FuzzInput {
  const { label, file } = mutate(random, seeds);
  const body = multipartBody(file, { contentType: random.pick(CONTENT_TYPES), filename: random.pick(FILENAMES) });
  return { label, ...body };
}

/** A multipart body (or something claiming to be one) broken in one of the ways clients and attackers break them. */
export function malformedUpload(random: Random, seeds: readonly Buffer[]): FuzzInput {
  const file = mutate(random, seeds).file;
  const boundary = `b${random.int(1e9)}`;
  const type = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const disposition = (name = 'file') => `Content-Disposition: form-data; name="${name}"; filename="invoice.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
  const part = (name?: string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${disposition(name)}`), file, Buffer.from('\r\n')]);
  const close = Buffer.from(`--${boundary}--\r\n`);
  const cases: [string, () => Omit<FuzzInput, 'label'>][] = [
    ['another boundary in the body', () => ({ payload: Buffer.concat([part(), close]), headers: { 'content-type': 'multipart/form-data; boundary=other' } })],
    ['no boundary parameter', () => ({ payload: Buffer.concat([part(), close]), headers: { 'content-type': 'multipart/form-data' } })],
    ['a 70+ character boundary', () => ({ payload: Buffer.concat([part(), close]), headers: { 'content-type': `multipart/form-data; boundary=${'z'.repeat(200)}` } })],
    ['no CRLF after the part headers', () => ({ payload: Buffer.concat([Buffer.from(`--${boundary}\r\n${disposition().trimEnd()}`), file, close]), headers: type })],
    ['a 100 KB part header', () => ({ payload: Buffer.concat([Buffer.from(`--${boundary}\r\nX-Padding: ${'p'.repeat(100_000)}\r\n${disposition()}`), file, Buffer.from('\r\n'), close]), headers: type })],
    ['500 part headers', () => ({ payload: Buffer.concat([Buffer.from(`--${boundary}\r\n${'X-H: v\r\n'.repeat(500)}${disposition()}`), file, Buffer.from('\r\n'), close]), headers: type })],
    ['no closing boundary', () => ({ payload: part(), headers: type })],
    ['the body cut in the middle of the file', () => ({ payload: part().subarray(0, 80 + random.int(Math.max(1, file.length))), headers: type })],
    ['two `file` parts', () => ({ payload: Buffer.concat([part(), part(), close]), headers: type })],
    ['the file in another field', () => ({ payload: Buffer.concat([part('document'), close]), headers: type })],
    ['a part without Content-Disposition', () => ({ payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/pdf\r\n\r\n`), file, Buffer.from('\r\n'), close]), headers: type })],
    ['only the closing boundary', () => ({ payload: close, headers: type })],
    ['an empty body', () => ({ payload: Buffer.alloc(0), headers: type })],
    ['random bytes as the body', () => ({ payload: random.bytes(random.int(4_096)), headers: type })],
    ['30 small fields before the file', () => ({ payload: Buffer.concat([...Array.from({ length: 30 }, (_, i) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`)), part(), close]), headers: type })],
    ['a 10 KB field before the file', () => ({ payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n${'n'.repeat(10_000)}\r\n`), part(), close]), headers: type })],
    ['a field named __proto__', () => ({ payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\nx\r\n`), part(), close]), headers: type })],
    ['a declared length longer than the body', () => ({ payload: Buffer.concat([part(), close]), headers: { ...type, 'content-length': String(file.length + 10_000) } })],
    ['a non-multipart content type', () => ({ payload: file, headers: { 'content-type': random.pick(['application/pdf', 'application/json', 'text/plain', 'application/x-www-form-urlencoded']) } })],
  ];
  const [label, build] = random.pick(cases);
  return { label, ...build() };
}
