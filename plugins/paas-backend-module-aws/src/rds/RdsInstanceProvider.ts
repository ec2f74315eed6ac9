import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DBInstance,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ResourceCondition,
  ResourceKind,
  ResourceSpec,
} from '@paasport/plugin-paas-common';
import {
  DesiredResource,
  ObservedResource,
  PaasResourceProvider,
} from '@paasport/plugin-paas-node';
import {
  AwsAccountClient,
  AwsClientFor,
  AccountScopedProvider,
} from '../accountClients';
import { callAws, forwardAwsError, isAwsError } from '../awsErrors';
import { RdsOptions } from '../clients';
import { WAITING_REASON } from '../conditions';
import {
  assertOwnedBy,
  desiredTags,
  OWNED_BY_CREATION,
  OWNED_BY_TAG,
  tagList,
  tagRecord,
  tagsToAdd,
} from '../ownership';
import { assertKind, parseSpecOf } from '../resourceInput';
import {
  createInstanceInput,
  finalSnapshotIdentifier,
  instanceConsoleUrl,
  MASTER_USERNAME,
  secureSettingChanges,
} from './instanceSettings';

/** Options of {@link RdsInstanceProvider}. @public */
export interface RdsInstanceProviderOptions extends RdsOptions {
  /**
   * The client, region and account of a resource's organization; clients are built with
   * bounded `standard` retries, see the package README.
   */
  clientFor: AwsClientFor<RDSClient>;
  logger?: LoggerService;
}

/** Options of the provider in one account: the organization's client, region and id. */
type InAccountOptions = Omit<RdsInstanceProviderOptions, 'clientFor'> &
  AwsAccountClient<RDSClient>;

type RdsInstanceSpec = ResourceSpec<'aws:rds-instance'>;

const KIND = 'aws:rds-instance' as const;
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;

/** Statuses from which an instance does not recover without an operator. */
const FAILED_STATUSES = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'restore-error',
  'storage-full',
]);

const NOT_FOUND = ['DBInstanceNotFoundFault', 'DBInstanceNotFound'];
const ALREADY_EXISTS = [
  'DBInstanceAlreadyExistsFault',
  'DBInstanceAlreadyExists',
];
const INVALID_STATE = ['InvalidDBInstanceStateFault', 'InvalidDBInstanceState'];
const SNAPSHOT_EXISTS = [
  'DBSnapshotAlreadyExistsFault',
  'DBSnapshotAlreadyExists',
];

/** The provider's calls in one account, with that account's client, region and id. */
class RdsInstanceProviderInAccount implements PaasResourceProvider {
  readonly id = 'aws-rds';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: InAccountOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const identifier = this.identifier(resource);
    parseSpecOf(KIND, resource, target(identifier));
    const instance = await this.describe(identifier);
    if (!instance) {
      return undefined;
    }
    assertOwnedBy(
      tagRecord(instance.TagList),
      resource.id,
      target(identifier),
      this.options.logger,
    );
    return this.result(identifier, instance, [
      OWNED_BY_TAG,
      ...this.settingConditions(instance),
    ]);
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const identifier = this.identifier(resource);
    const spec = parseSpecOf(KIND, resource, target(identifier));
    const tags = desiredTags(resource.id, resource.tags);

    let instance = await this.describe(identifier);
    if (!instance) {
      const created = await this.create(identifier, spec, tags);
      if (created) {
        return this.result(identifier, created, [
          OWNED_BY_CREATION,
          ...this.settingConditions(created),
        ]);
      }
      // DBInstanceAlreadyExists: created meanwhile; ours only if tagged so.
      instance = await this.describe(identifier);
      if (!instance) {
        throw new ConflictError(
          `RDS instance ${identifier} already exists but cannot be described; apply again`,
        );
      }
    }

    const current = tagRecord(instance.TagList);
    assertOwnedBy(
      current,
      resource.id,
      target(identifier),
      this.options.logger,
    );

    const missingTags = tagsToAdd(tags, current);
    if (Object.keys(missingTags).length > 0) {
      await this.call('tag', identifier, () =>
        this.options.client.send(
          new AddTagsToResourceCommand({
            ResourceName: instance!.DBInstanceArn,
            Tags: tagList(missingTags),
          }),
        ),
      );
    }

    const changes = secureSettingChanges(instance, this.options);
    // RDS accepts modifications only from `available`; others wait for the next apply.
    if (
      Object.keys(changes).length > 0 &&
      instance.DBInstanceStatus === 'available'
    ) {
      const output = await this.call('modify', identifier, () =>
        this.options.client.send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: identifier,
            ...changes,
            ApplyImmediately: true,
          }),
        ),
      );
      this.options.logger?.info(`Modified RDS instance ${identifier}`, {
        instance: identifier,
        resourceId: resource.id,
        changed: Object.keys(changes).join(','),
      });
      instance = output.DBInstance ?? instance;
    }
    return this.result(identifier, instance, [
      OWNED_BY_TAG,
      ...this.settingConditions(instance),
    ]);
  }

  async delete(resource: DesiredResource): Promise<void> {
    const identifier = this.identifier(resource);
    const instance = await this.describe(identifier);
    if (!instance || instance.DBInstanceStatus === 'deleting') {
      return;
    }
    assertOwnedBy(
      tagRecord(instance.TagList),
      resource.id,
      target(identifier),
      this.options.logger,
    );
    if (instance.DeletionProtection) {
      throw new ConflictError(
        `RDS instance ${identifier} has deletion protection on, and Paasport does not turn it off. Set paas.aws.rds.deletionProtection to false and apply the resource, or turn it off in the AWS console, then delete again`,
      );
    }
    const snapshot = finalSnapshotIdentifier(identifier, resource.id);
    try {
      await this.options.client.send(
        new DeleteDBInstanceCommand({
          DBInstanceIdentifier: identifier,
          SkipFinalSnapshot: false,
          FinalDBSnapshotIdentifier: snapshot,
          DeleteAutomatedBackups: false,
        }),
      );
    } catch (error) {
      if (isAwsError(error, ...NOT_FOUND)) {
        return;
      }
      if (isAwsError(error, ...INVALID_STATE)) {
        throw new ConflictError(
          `RDS instance ${identifier} cannot be deleted while it is ${
            instance.DBInstanceStatus ?? 'busy'
          }; delete it again once it is available`,
        );
      }
      if (isAwsError(error, ...SNAPSHOT_EXISTS)) {
        throw new ConflictError(
          `RDS instance ${identifier} was not deleted: its final snapshot ${snapshot} already exists. Rename or delete that snapshot, then delete again`,
        );
      }
      throw forwardAwsError(
        `Could not delete RDS instance ${identifier}`,
        error,
      );
    }
    this.options.logger?.info(`Deleting RDS instance ${identifier}`, {
      instance: identifier,
      resourceId: resource.id,
      finalSnapshot: snapshot,
    });
  }

  private async describe(identifier: string): Promise<DBInstance | undefined> {
    try {
      const output = await this.options.client.send(
        new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }),
      );
      return output.DBInstances?.[0];
    } catch (error) {
      if (isAwsError(error, ...NOT_FOUND)) {
        return undefined;
      }
      throw forwardAwsError(
        `Could not describe RDS instance ${identifier}`,
        error,
      );
    }
  }

  /** The new instance, or undefined when one of the identifier already exists. */
  private async create(
    identifier: string,
    spec: RdsInstanceSpec,
    tags: Record<string, string>,
  ): Promise<DBInstance | undefined> {
    try {
      const output = await this.options.client.send(
        new CreateDBInstanceCommand(
          createInstanceInput(identifier, spec, this.options, tags),
        ),
      );
      this.options.logger?.info(`Creating RDS instance ${identifier}`, {
        instance: identifier,
        region: this.options.region,
      });
      return output.DBInstance;
    } catch (error) {
      if (isAwsError(error, ...ALREADY_EXISTS)) {
        return undefined;
      }
      throw forwardAwsError(
        `Could not create RDS instance ${identifier}`,
        error,
      );
    }
  }

  private settingConditions(instance: DBInstance): ResourceCondition[] {
    const { deletionProtection } = this.options;
    const available = instance.DBInstanceStatus === 'available';
    // What `apply` fixes on an available instance; while RDS is busy it waits.
    const fixable = (type: string, message: string): ResourceCondition => ({
      type,
      status: 'False',
      reason: available ? 'DiffersFromSpec' : WAITING_REASON,
      message: `${message}; ${
        available
          ? 'the next apply changes it'
          : 'apply changes it once the instance is available'
      }`,
    });
    return [
      instance.StorageEncrypted
        ? {
            type: 'Encrypted',
            status: 'True',
            reason: 'StorageEncrypted',
            message: `Storage is encrypted with KMS key ${
              instance.KmsKeyId ?? 'aws/rds'
            }`,
          }
        : {
            type: 'Encrypted',
            status: 'False',
            reason: 'CannotEncryptInPlace',
            message:
              'Storage is not encrypted, and RDS cannot encrypt an instance in place: restore an encrypted copy of a snapshot',
          },
      instance.PubliclyAccessible
        ? fixable('PrivateNetworkOnly', 'The instance is publicly accessible')
        : {
            type: 'PrivateNetworkOnly',
            status: 'True',
            reason: 'NotPubliclyAccessible',
            message: 'The instance has no public address',
          },
      instance.MasterUserSecret
        ? {
            type: 'MasterPasswordManaged',
            status: 'True',
            reason: 'SecretsManager',
            message:
              'RDS keeps the master password in Secrets Manager; see the masterUserSecretArn output',
          }
        : fixable(
            'MasterPasswordManaged',
            'The master password is not managed in Secrets Manager',
          ),
      instance.DeletionProtection === deletionProtection
        ? {
            type: 'DeletionProtected',
            status: 'True',
            reason: 'MatchesConfig',
            message: `Deletion protection is ${
              deletionProtection ? 'on' : 'off, as configured'
            }`,
          }
        : fixable(
            'DeletionProtected',
            `Deletion protection is ${
              instance.DeletionProtection ? 'on' : 'off'
            }, but paas.aws.rds.deletionProtection says ${deletionProtection}`,
          ),
      statusCondition(instance),
    ];
  }

  private call<T>(
    action: string,
    identifier: string,
    run: () => Promise<T>,
  ): Promise<T> {
    return callAws(`${action} RDS instance ${identifier}`, run);
  }

  private identifier(resource: DesiredResource): string {
    assertKind(this.id, KIND, resource);
    const identifier = resource.name;
    if (!IDENTIFIER.test(identifier) || identifier.endsWith('-')) {
      throw new InputError(
        `'${identifier}' is not a valid RDS instance identifier: use 1 to 63 lower-case letters, digits and single dashes, starting with a letter and not ending with a dash`,
      );
    }
    return identifier;
  }

  private result(
    identifier: string,
    instance: DBInstance,
    conditions: ResourceCondition[],
  ): ObservedResource {
    const { region } = this.options;
    const unmet = conditions.filter(c => c.status === 'False');
    let state: ObservedResource['state'] = 'ready';
    if (
      FAILED_STATUSES.has(instance.DBInstanceStatus ?? '') ||
      unmet.some(c => c.reason === 'CannotEncryptInPlace')
    ) {
      state = 'failed';
    } else if (unmet.length > 0) {
      state = 'pending';
    }
    const arn = instance.DBInstanceArn;
    const endpoint = instance.Endpoint;
    const secretArn = instance.MasterUserSecret?.SecretArn;
    // Every output is picked by name: nothing from the description is passed on wholesale.
    return {
      state,
      ...(arn ? { externalId: arn } : {}),
      outputs: {
        instanceId: identifier,
        ...(arn ? { arn } : {}),
        region,
        engine: instance.Engine ?? '',
        ...(endpoint?.Address ? { endpointAddress: endpoint.Address } : {}),
        ...(endpoint?.Port ? { endpointPort: String(endpoint.Port) } : {}),
        masterUsername: instance.MasterUsername ?? MASTER_USERNAME,
        ...(secretArn ? { masterUserSecretArn: secretArn } : {}),
        consoleUrl: instanceConsoleUrl(identifier, region),
      },
      conditions,
    };
  }
}

/**
 * Provides `aws:rds-instance` resources: private instances with encrypted storage, whose
 * master password RDS generates and keeps in Secrets Manager. Paasport never sends, sees
 * or outputs a password; it outputs the ARN of the secret.
 *
 * Ownership rule: an existing instance is managed only when its `paasport.io/resource-id`
 * tag is this resource's id; tags go with CreateDBInstance, so any other instance of the
 * identifier is a `ConflictError`. Deleting always takes a final snapshot, and an instance
 * with deletion protection on is never deleted.
 *
 * @public
 */
export class RdsInstanceProvider extends AccountScopedProvider<
  RDSClient,
  RdsInstanceProviderOptions
> {
  readonly id = 'aws-rds';
  readonly kinds: readonly ResourceKind[] = [KIND];

  protected inAccount(options: InAccountOptions) {
    return new RdsInstanceProviderInAccount(options);
  }
}

function target(identifier: string): string {
  return `RDS instance ${identifier}`;
}

function statusCondition(instance: DBInstance): ResourceCondition {
  const status = instance.DBInstanceStatus ?? 'unknown';
  if (status === 'available') {
    return {
      type: 'Available',
      status: 'True',
      reason: 'Available',
      message: 'The instance accepts connections',
    };
  }
  return {
    type: 'Available',
    status: 'False',
    reason: FAILED_STATUSES.has(status) ? 'Failed' : WAITING_REASON,
    message: `The instance is ${status}`,
  };
}
