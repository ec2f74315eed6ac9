import { InputError } from '@backstage/errors';
import {
  assertCount,
  cpuQuantity,
  memoryQuantity,
  parseQuantity,
} from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['4', 4],
    ['500m', 0.5],
    ['0.5', 0.5],
    ['+1', 1],
    ['128Mi', 128 * 2 ** 20],
    ['8Gi', 8 * 2 ** 30],
    ['2k', 2000],
    ['1e3', 1000],
    ['0', 0],
  ])('reads %j as %d', (value, expected) => {
    expect(parseQuantity('field', value)).toBeCloseTo(expected);
  });

  it.each(['-1', '', 'four', '1 Gi', '8GB', '1.2.3', 'Infinity', '0x10'])(
    'refuses %j, naming the field',
    value => {
      expect(() => parseQuantity('quota.requestsCpu', value)).toThrow(
        InputError,
      );
      expect(() => parseQuantity('quota.requestsCpu', value)).toThrow(
        /^quota\.requestsCpu /,
      );
    },
  );
});

describe('assertCount', () => {
  it('accepts whole numbers from 0', () => {
    expect(() => assertCount('pods', 0)).not.toThrow();
    expect(() => assertCount('pods', 500)).not.toThrow();
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %d',
    value => {
      expect(() => assertCount('quota.pods', value)).toThrow(
        /quota\.pods must be a whole number/,
      );
    },
  );
});

describe('cpuQuantity and memoryQuantity', () => {
  it.each([
    [250, '250m'],
    [1000, '1'],
    [1500, '1500m'],
    [8000, '8'],
  ])('writes %d millicores as %j', (millicores, expected) => {
    expect(cpuQuantity(millicores)).toBe(expected);
    expect(parseQuantity('cpu', expected)).toBeCloseTo(millicores / 1000);
  });

  it.each([
    [512, '512Mi'],
    [1024, '1Gi'],
    [1536, '1536Mi'],
    [65536, '64Gi'],
  ])('writes %d MiB as %j', (mebibytes, expected) => {
    expect(memoryQuantity(mebibytes)).toBe(expected);
    expect(parseQuantity('memory', expected)).toBe(mebibytes * 2 ** 20);
  });
});
