export interface Config {
  paas?: {
    aws?: {
      /**
       * AWS emulators the backend starts on 127.0.0.1 before the AWS providers run, so
       * `aws:s3-bucket` and `aws:dynamodb-table` resources work without an AWS account. For
       * development only: point `paas.aws.endpoints.s3` and `paas.aws.endpoints.dynamodb` at
       * them, and remove this section wherever real AWS is used.
       */
      emulators?: {
        /**
         * Where the emulators keep their data, relative to the backend's working directory
         * (`packages/backend` under `npm start`): S3 buckets and objects in `s3/`, DynamoDB
         * tables in `dynamodb/`. Kept across restarts.
         */
        directory: string;
        /** S3, served by s3rver (or moto, see below). Not started when unset. */
        s3?: {
          /** The loopback port S3 is served on. */
          port: number;
          /**
           * Serve S3 with moto's server (the `moto.command`) on this port when it is
           * installed, and with s3rver otherwise. moto implements public access blocks,
           * encryption, tagging and bucket policies, which s3rver does not, so buckets show
           * those settings verified instead of unknown; it keeps nothing across restarts,
           * so the reconciler makes ready buckets again after one.
           * @default false
           */
          useMotoWhenInstalled?: boolean;
        };
        /** DynamoDB, served by dynalite. Not started when unset. */
        dynamodb?: {
          /** The loopback port dynalite listens on. */
          port: number;
        };
        /**
         * SQS, Lambda and RDS, served by moto's server when it is installed (`pip install
         * 'moto[server]'`; it is not an npm package, so the project cannot install it).
         * Without it the backend logs a warning and those resources fail with a connection
         * error shown on the resource. moto keeps its state in memory only.
         */
        moto?: {
          /** The loopback port moto listens on. */
          port: number;
          /**
           * The command that starts it.
           * @default moto_server
           */
          command?: string;
        };
      };
    };
  };
}
