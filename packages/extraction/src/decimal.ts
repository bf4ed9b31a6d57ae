/** Exact arithmetic on dot-decimal strings ("1234.56"), as BigInt millionths. */
const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);

/** Money cross-checks allow one cent for rounding on the printed document. */
const CENT = FACTOR / 100n;

export function toUnits(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const units = BigInt(whole || '0') * FACTOR + BigInt(fraction.padEnd(SCALE, '0').slice(0, SCALE));
  return negative ? -units : units;
}

export function multiply(a: bigint, b: bigint): bigint {
  return (a * b) / FACTOR;
}

function sum(values: bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

export function closeTo(a: bigint, b: bigint): boolean {
  const difference = a - b;
  return (difference < 0n ? -difference : difference) <= CENT;
}

/** Adds up decimal strings exactly, keeping the most decimals among the inputs. */
export function addDecimals(values: string[]): string {
  const decimals = Math.max(0, ...values.map((value) => value.split('.')[1]?.length ?? 0));
  const total = sum(values.map(toUnits));
  const negative = total < 0n;
  const digits = ((negative ? -total : total) / 10n ** BigInt(SCALE - decimals)).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}
