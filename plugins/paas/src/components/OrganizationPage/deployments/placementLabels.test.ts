import { parsePlacement } from './placementLabels';

describe('parsePlacement', () => {
  it('reads comma-separated key=value pairs, trimming each', () => {
    expect(
      parsePlacement(' region=eu-west-1, environment = production ,'),
    ).toEqual({ labels: { region: 'eu-west-1', environment: 'production' } });
  });

  it('reads empty text as no labels', () => {
    expect(parsePlacement('  ')).toEqual({ labels: {} });
  });

  it('keeps an empty value, which the schema allows', () => {
    expect(parsePlacement('gpu=')).toEqual({ labels: { gpu: '' } });
  });

  it.each([
    ['region', '"region" is not a key=value pair'],
    ['=eu', '"=eu" is not a key=value pair'],
    ['region=eu, region=us', 'region is given twice'],
  ])('refuses %s', (text, error) => {
    expect(parsePlacement(text)).toEqual({ error });
  });

  it('keeps a key such as __proto__ as a label for the schema to refuse', () => {
    const parsed = parsePlacement('__proto__=x');
    expect(Object.keys(parsed.labels!)).toEqual(['__proto__']);
  });
});
