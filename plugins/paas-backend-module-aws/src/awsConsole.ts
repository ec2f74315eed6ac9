/** The AWS partition of a region: its ARNs and console differ. */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) {
    return 'aws-cn';
  }
  if (region.startsWith('us-gov-')) {
    return 'aws-us-gov';
  }
  return 'aws';
}

/**
 * A link into the AWS console of the region's partition. `path` starts after the host,
 * such as `dynamodbv2/home`; `fragment` is the single-page route after `#`.
 */
export function consoleUrl(
  region: string,
  path: string,
  fragment: string,
): string {
  const host = {
    aws: `${region}.console.aws.amazon.com`,
    'aws-cn': 'console.amazonaws.cn',
    'aws-us-gov': 'console.amazonaws-us-gov.com',
  }[partitionOf(region)];
  return `https://${host}/${path}?region=${encodeURIComponent(
    region,
  )}#${fragment}`;
}
