import { dnsLabelSchema, entityRefSchema } from './names';

describe('dnsLabelSchema', () => {
  it.each(['a', 'checkout', 'team-42', 'a'.repeat(63)])('accepts %s', name => {
    expect(dnsLabelSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    '',
    'Checkout',
    '4team',
    'team-',
    'a_b',
    'a'.repeat(64),
    "x'; drop table",
  ])('rejects %j', name => {
    expect(dnsLabelSchema.safeParse(name).success).toBe(false);
  });
});

describe('entityRefSchema', () => {
  it('accepts full references only', () => {
    expect(entityRefSchema.safeParse('group:default/checkout').success).toBe(
      true,
    );
    expect(entityRefSchema.safeParse('checkout').success).toBe(false);
    expect(entityRefSchema.safeParse('group:checkout').success).toBe(false);
  });
});
