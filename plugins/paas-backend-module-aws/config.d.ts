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
       * Endpoint URLs of single services. Each overrides `endpoint` for its service only, so
       * S3 can go to one emulator and DynamoDB to another, or one service through a VPC
       * endpoint. Same rules as `endpoint`: an absolute http(s) URL without credentials.
       */
      endpoints?: {
        /** Endpoint of S3 (`aws:s3-bucket`, `aws:s3-prefix`). */
        s3?: string;
        /** Endpoint of DynamoDB (`aws:dynamodb-table`), such as a local dynalite. */
        dynamodb?: string;
        /** Endpoint of SQS (`aws:sqs-queue`). */
        sqs?: string;
        /** Endpoint of Lambda (`aws:lambda-function`). */
        lambda?: string;
        /** Endpoint of RDS (`aws:rds-instance`). */
        rds?: string;
      };
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
       * Organizations whose resources live in an AWS account of their own, keyed by the
       * Paasport organization name (a DNS label), so tenants are isolated by IAM too. The
       * credentials of `accountId` are looked up in the `aws` section like those of the
       * top-level `accountId` (so `aws.accounts` decides the role assumed); it is also the
       * expected owner of the organization's buckets. Organizations not listed use the
       * top-level `accountId`, or the main account. Endpoint overrides, retries and time
       * limits apply to every account.
       */
      organizations?: {
        [organization: string]: {
          /**
           * The organization's 12-digit AWS account id. Required, unless the entry only sets
           * `teamRoles` or `lambdaExecutionRoleArn` (the organization then stays in the
           * shared account).
           */
          accountId?: string;
          /** The region of the organization's new resources; `region` when unset. */
          region?: string;
          /**
           * The IAM role of each team, by team name, such as
           * `checkout: arn:aws:iam::222222222222:role/acme-checkout`: the principal the
           * bucket policy of a shared bucket grants the team's `aws:s3-prefix` resources.
           * A team without a role cannot have S3 prefixes.
           */
          teamRoles?: { [team: string]: string };
          /**
           * The IAM role the organization's `aws:lambda-function` resources run as, such as
           * `arn:aws:iam::222222222222:role/paasport-acme-lambda`: what its functions may
           * reach is then decided by a role of its own, not one every tenant shares.
           * Without it, the organization's functions are refused unless
           * `lambda.allowSharedExecutionRole` is true.
           */
          lambdaExecutionRoleArn?: string;
        };
      };
      /**
       * The buckets the platform team created for sharing: `aws:s3-prefix` resources live in
       * these and no others. Paasport reaches them with the credentials of `accountId` (or
       * the main account), whatever the organization, and writes their bucket policy.
       */
      sharedBuckets?: Array<{
        /** The bucket name. */
        name: string;
        /** The organizations that may put prefixes in it; every organization when unset. */
        organizations?: string[];
      }>;
      /**
       * How many times the AWS SDK tries each call, the first try included, in its `standard`
       * retry mode (exponential back-off with jitter; throttling is retried). From 1 to 10.
       * @default 3
       */
      maxAttempts?: number;
      /**
       * How long one attempt waits for an answer before it fails and is retried, in seconds,
       * from 1 to 900. Connecting is limited to 5 s.
       * @default 60
       */
      requestTimeoutSeconds?: number;
      /** Settings of `aws:s3-bucket` resources. */
      s3?: {
        /**
         * Where the S3 endpoint cannot read bucket tags (s3rver and some S3-compatible
         * stores answer NotImplemented), take an existing bucket under a resource's name as
         * that resource's, shown as an `Owned` condition with status Unknown. Without it such
         * a bucket is refused unless this backend process created it. Only for an emulator or
         * a store nobody else uses: any bucket of the same name would be adopted, and deleted
         * with the resource.
         * @default false
         */
        assumeOwnershipWhenTagsUnreadable?: boolean;
      };
      /** Settings of `aws:dynamodb-table` resources. */
      dynamodb?: {
        /**
         * Take an on-demand backup (`CreateBackup`, named `<table>-final-<resource id>`)
         * before deleting a table. Tables always have deletion protection on; Paasport turns
         * it off right before `DeleteTable`. Backups are kept, and billed, until you delete
         * them. Where the endpoint does not implement backups (dynalite) the table is
         * deleted without one, with a warning in the log.
         * @default true
         */
        backupBeforeDelete?: boolean;
      };
      /** Settings of `aws:lambda-function` resources. */
      lambda?: {
        /**
         * ARN of a shared IAM role functions run as, such as
         * `arn:aws:iam::123456789012:role/paasport-lambda`. Used only for organizations
         * without `organizations.<org>.lambdaExecutionRoleArn`, and only when
         * `allowSharedExecutionRole` is true. Existing functions are switched to the role
         * that applies to them when it changes.
         */
        executionRoleArn?: string;
        /**
         * Let the functions of organizations without a role of their own run as
         * `executionRoleArn`. Every such tenant's functions then have the same permissions.
         * @default false
         */
        allowSharedExecutionRole?: boolean;
        /**
         * The S3 buckets function code may come from (`codeS3Bucket`): bucket names, or
         * prefixes ending in `*` (such as `acme-artifacts-*`; `*` alone allows every bucket,
         * for an emulator only). A spec naming another bucket is refused before any AWS
         * call, naming the field. When unset, every function is refused.
         */
        codeBuckets?: string[];
        /**
         * How function code reaches Lambda. `s3-reference` names the spec's S3 object
         * (`codeS3Bucket`, `codeS3Key`) in CreateFunction and UpdateFunctionCode, and Lambda
         * reads it itself. `upload` makes Paasport read the object with its own S3 client (the
         * S3 providers' endpoint and credentials) and send the bytes (`ZipFile`): for code
         * buckets Lambda cannot read, such as an S3 emulator beside a Lambda emulator, or a
         * bucket in another region or account. Lambda takes at most 50 MB this way; larger
         * objects are refused before they are read.
         * @default s3-reference
         */
        codeDelivery?: 's3-reference' | 'upload';
      };
      /** Settings of `aws:rds-instance` resources. */
      rds?: {
        /**
         * Whether instances are created, and kept, with deletion protection on. Paasport
         * never deletes a protected instance: to delete one, set this to false and apply
         * the resource first (or turn protection off in the console).
         * @default true
         */
        deletionProtection?: boolean;
        /**
         * The DB subnet group new instances are placed in: private subnets of your VPC.
         * The account's default VPC when unset.
         */
        dbSubnetGroupName?: string;
        /**
         * Security groups of new instances, such as `sg-0123456789abcdef0`. The VPC's
         * default security group when unset.
         */
        vpcSecurityGroupIds?: string[];
      };
    };
  };
}
