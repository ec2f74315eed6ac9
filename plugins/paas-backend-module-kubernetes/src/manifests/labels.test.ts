import { InputError } from '@backstage/errors';
import {
  assertUserLabelKey,
  isDnsLabel,
  isLabelValue,
  toLabelValue,
} from './labels';

describe('toLabelValue', () => {
  it.each([
    'checkout',
    'Acme_Corp.eu',
    '3f6c2a8e-1d2b-4c5e-9f0a-7b8c9d0e1f2a',
    '',
  ])('keeps the valid label value %j as it is', value => {
    expect(toLabelValue(value)).toBe(value);
  });

  it.each([
    'Acme Corp.',
    'acme/vision:training',
    '-leading-and-trailing-',
    'ü',
    'x'.repeat(64),
    `${'a'.repeat(60)}...${'b'.repeat(10)}`,
  ])('turns %j into a valid label value', value => {
    const label = toLabelValue(value);
    expect(isLabelValue(label)).toBe(true);
    expect(label).not.toBe(value);
    expect(toLabelValue(value)).toBe(label);
  });

  it('keeps apart values that only differ in what had to be replaced', () => {
    expect(toLabelValue('acme/vision')).not.toBe(toLabelValue('acme:vision'));
    expect(toLabelValue(`${'x'.repeat(70)}1`)).not.toBe(
      toLabelValue(`${'x'.repeat(70)}2`),
    );
  });
});

describe('isDnsLabel', () => {
  it.each([
    ['checkout-dev', true],
    ['a', true],
    ['Checkout', false],
    ['-dev', false],
    ['dev-', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['../x', false],
  ])('%j is a DNS label: %s', (name, expected) => {
    expect(isDnsLabel(name)).toBe(expected);
  });
});

describe('assertUserLabelKey', () => {
  it.each([
    'cost-center',
    'acme.io/cost-center',
    'paasport.io/team',
    'a.b-c_d',
  ])('accepts %j', key => {
    expect(() => assertUserLabelKey(key)).not.toThrow();
  });

  it.each([
    'paasport:owner',
    'has space',
    'Acme.io/x',
    '/x',
    'a/b/c',
    `${'k'.repeat(64)}`,
    'kubernetes.io/metadata.name',
    'pod-security.kubernetes.io/enforce',
    'node.k8s.io/x',
  ])('refuses %j with an InputError', key => {
    expect(() => assertUserLabelKey(key)).toThrow(InputError);
  });
});
