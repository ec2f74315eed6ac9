import { parseLabels } from './labelText';

describe('parseLabels', () => {
  it('reads comma-separated key=value pairs, trimming each', () => {
    expect(
      parseLabels(' region=eu-west-1, environment = production ,'),
    ).toEqual({ labels: { region: 'eu-west-1', environment: 'production' } });
  });

  it('reads empty text as no labels', () => {
    expect(parseLabels('  ')).toEqual({ labels: {} });
  });

  it('keeps an empty value, which the schema allows', () => {
    expect(parseLabels('gpu=')).toEqual({ labels: { gpu: '' } });
  });

  it.each([
    ['region', '"region" is not a key=value pair'],
    ['=eu', '"=eu" is not a key=value pair'],
    ['region=eu, region=us', 'region is given twice'],
  ])('refuses %s', (text, error) => {
    expect(parseLabels(text)).toEqual({ error });
  });

  it('keeps a key such as __proto__ as a label for the schema to refuse', () => {
    const parsed = parseLabels('__proto__=x');
    expect(Object.keys(parsed.labels!)).toEqual(['__proto__']);
  });
});
