export interface Config {
  /** Configuration of the Paasport backend plugin. */
  paas?: {
    /**
     * Where the AWS resource providers create resources. Credentials are not set here: they
     * come from the `aws` section of Backstage's AWS integration (main account, accounts,
     * assumed roles), looked up for `accountId`.
     */
    aws?: {
      /**
       * The region new resources are created in, such as `eu-west-1`.
       * @default us-east-1
       */
      region?: string;
      /**
       * A custom endpoint URL for every AWS call: an emulator in development and tests, an
       * S3-compatible store or a private (VPC) endpoint. AWS's public endpoints when unset.
       */
      endpoint?: string;
      /**
       * Address S3 buckets in the path (`endpoint/bucket`) instead of the host name
       * (`bucket.endpoint`). Emulators and most S3-compatible stores need `true`.
       * @default false
       */
      forcePathStyle?: boolean;
      /**
       * The 12-digit AWS account resources live in. Its credentials are looked up in the `aws`
       * section; the main account's are used when unset. When set, calls on an existing
       * bucket also require this account to own it.
       */
      accountId?: string;
      /**
       * How many times the AWS SDK tries each call, the first try included, in its `standard`
       * retry mode (exponential back-off with jitter; throttling is retried). From 1 to 10.
       * @default 3
       */
      maxAttempts?: number;
    };
  };
}
