import { InputError } from '@backstage/errors';

const QUANTITY =
  /^\+?(\d+(?:\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;

const SCALE: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/**
 * Reads a non-negative Kubernetes quantity (`250m`, `2`, `8Gi`, `1e3`) as a number, for
 * comparisons. Throws an `InputError` naming `field` when it is not one.
 */
export function parseQuantity(field: string, value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) {
    throw new InputError(
      `${field} must be a non-negative Kubernetes quantity such as 500m, 2 or 8Gi; got '${value}'`,
    );
  }
  const [, digits, suffix] = match;
  if (!suffix) {
    return Number(digits);
  }
  if (/^[eE]/.test(suffix)) {
    return Number(`${digits}${suffix}`);
  }
  return Number(digits) * SCALE[suffix];
}

/** Throws an `InputError` naming `field` unless `value` is a whole number ≥ 0. */
export function assertCount(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InputError(
      `${field} must be a whole number of at least 0; got ${value}`,
    );
  }
}

/** Millicores as a CPU quantity: `500m`, or whole CPUs such as `2` when it divides. */
export function cpuQuantity(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** MiB as a memory quantity: `1536Mi`, or `Gi` such as `64Gi` when it divides. */
export function memoryQuantity(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}
