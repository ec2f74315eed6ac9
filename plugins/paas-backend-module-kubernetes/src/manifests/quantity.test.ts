import { InputError } from '@backstage/errors';
import { assertCount, parseQuantity } from './quantity';

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
