import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListBackupsCommand,
  ListTagsOfResourceCommand,
  TableDescription,
  TagResourceCommand,
  TimeToLiveDescription,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
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
import {
  callAws,
  forwardAwsError,
  isAwsError,
  isNotImplemented,
} from '../awsErrors';
import { applySetting, WAITING_REASON } from '../conditions';
import {
  assertOwnedBy,
  desiredTags,
  OWNED_BY_CREATION,
  OWNED_BY_TAG,
  PAASPORT_RESOURCE_ID_TAG,
  tagList,
  tagsToAdd,
} from '../ownership';
import { assertKind, parseSpecOf } from '../resourceInput';
import {
  createTableInput,
  keySchemaDifference,
  tableConsoleUrl,
} from './tableSettings';

/** Options of {@link DynamoDbTableProvider}. @public */
export interface DynamoDbTableProviderOptions {
  /**
   * The client, region and account of a resource's organization; clients are built with
   * bounded `standard` retries, see the package README.
   */
  clientFor: AwsClientFor<DynamoDBClient>;
  /**
   * Take an on-demand backup (`CreateBackup`) before deleting a table; on by default.
   */
  backupBeforeDelete?: boolean;
  logger?: LoggerService;
}

/** Options of the provider in one account: the organization's client, region and id. */
type InAccountOptions = Omit<DynamoDbTableProviderOptions, 'clientFor'> &
  AwsAccountClient<DynamoDBClient>;

type DynamoDbTableSpec = ResourceSpec<'aws:dynamodb-table'>;

const KIND = 'aws:dynamodb-table' as const;
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const DELETION_PROTECTED_MESSAGE =
  'Deletion protection is on: DeleteTable fails until Paasport, deleting the resource, turns it off';

/** The provider's calls in one account, with that account's client, region and id. */
class DynamoDbTableProviderInAccount implements PaasResourceProvider {
  readonly id = 'aws-dynamodb';
  readonly kinds: readonly ResourceKind[] = [KIND];

  constructor(private readonly options: InAccountOptions) {}

  async observe(
    resource: DesiredResource,
  ): Promise<ObservedResource | undefined> {
    const name = this.tableName(resource);
    const spec = this.parseSpec(resource, name);
    const table = await this.describe(name);
    if (!table) {
      return undefined;
    }
    if (table.TableStatus === 'DELETING') {
      return this.result('pending', name, table, [deletingCondition()]);
    }
    const tags = await this.readTags(name, table);
    if (!tags) {
      return this.result('pending', name, table, [tagsUnreadableCondition()]);
    }
    assertOwnedBy(tags, resource.id, target(name), this.options.logger);

    const conditions: ResourceCondition[] = [
      OWNED_BY_TAG,
      encryptionCondition(table),
    ];
    const keyDifference = keySchemaDifference(table, spec);
    if (keyDifference) {
      conditions.push(keySchemaCondition(keyDifference));
      return this.result(stateOf(conditions), name, table, conditions);
    }
    if (table.TableStatus !== 'ACTIVE') {
      conditions.push(notActiveCondition(table));
      return this.result(stateOf(conditions), name, table, conditions);
    }
    conditions.push(
      deletionProtectionCondition(table),
      await this.observePointInTimeRecovery(name, spec),
      ...(await this.observeTimeToLive(name, spec)),
    );
    return this.result(stateOf(conditions), name, table, conditions);
  }

  async apply(resource: DesiredResource): Promise<ObservedResource> {
    const name = this.tableName(resource);
    const spec = this.parseSpec(resource, name);
    const tags = desiredTags(resource.id, resource.tags);
    const { logger } = this.options;

    let table = await this.describe(name);
    let created = false;
    if (!table) {
      table = await this.create(name, spec, tags);
      created = table !== undefined;
      // ResourceInUseException: the table appeared since DescribeTable; adopt it if ours.
      table ??= await this.describe(name);
      if (!table) {
        throw new ConflictError(
          `DynamoDB table ${name} is in use but cannot be described; apply again`,
        );
      }
    }
    if (table.TableStatus === 'DELETING') {
      return this.result('pending', name, table, [deletingCondition()]);
    }

    const currentTags = await this.readTags(name, table);
    let owned: ResourceCondition;
    if (created) {
      owned = OWNED_BY_CREATION;
    } else if (currentTags) {
      assertOwnedBy(currentTags, resource.id, target(name), logger);
      owned = OWNED_BY_TAG;
    } else {
      // Creating, and AWS lists no tags until the table is ACTIVE: wait, change nothing.
      return this.result('pending', name, table, [tagsUnreadableCondition()]);
    }

    const conditions: ResourceCondition[] = [owned];
    const keyDifference = keySchemaDifference(table, spec);
    if (keyDifference) {
      conditions.push(keySchemaCondition(keyDifference));
      return this.result(stateOf(conditions), name, table, conditions);
    }
    conditions.push(
      await this.applyTags(name, table, tags, currentTags),
      encryptionCondition(table),
    );
    if (table.TableStatus !== 'ACTIVE') {
      conditions.push(notActiveCondition(table));
      return this.result(stateOf(conditions), name, table, conditions);
    }

    conditions.push(
      await this.applyDeletionProtection(name, table),
      await this.applyPointInTimeRecovery(name, spec),
    );
    const timeToLive = await this.applyTimeToLive(name, spec);
    if (timeToLive) {
      conditions.push(timeToLive);
    }

    logger?.info(`Applied DynamoDB table ${name}`, {
      table: name,
      resourceId: resource.id,
      unknownConditions: conditions
        .filter(c => c.status === 'Unknown')
        .map(c => c.type)
        .join(','),
    });
    return this.result(stateOf(conditions), name, table, conditions);
  }

  async delete(resource: DesiredResource): Promise<void> {
    const name = this.tableName(resource);
    const table = await this.describe(name);
    if (!table || table.TableStatus === 'DELETING') {
      return;
    }
    const tags = await this.readTags(name, table);
    if (!tags) {
      throw new ConflictError(
        `DynamoDB table ${name} is still being created; delete it again once it is ACTIVE`,
      );
    }
    assertOwnedBy(tags, resource.id, target(name), this.options.logger);
    const backupArn =
      this.options.backupBeforeDelete === false
        ? undefined
        : await this.backUp(name, resource.id);
    if (table.DeletionProtectionEnabled) {
      await callAws(`turn deletion protection off on ${target(name)}`, () =>
        this.options.client.send(
          new UpdateTableCommand({
            TableName: name,
            DeletionProtectionEnabled: false,
          }),
        ),
      );
    }
    try {
      await this.options.client.send(
        new DeleteTableCommand({ TableName: name }),
      );
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        return;
      }
      if (isAwsError(error, 'ResourceInUseException')) {
        throw new ConflictError(
          `DynamoDB table ${name} is being created or updated; delete it again once it is ACTIVE`,
        );
      }
      throw forwardAwsError(`Could not delete DynamoDB table ${name}`, error);
    }
    this.options.logger?.info(`Deleted DynamoDB table ${name}`, {
      table: name,
      resourceId: resource.id,
      ...(backupArn ? { backupArn } : {}),
    });
  }

  /**
   * Takes the table's final backup, or finds the one an earlier attempt took; its ARN, or
   * undefined where the endpoint does not implement backups.
   */
  private async backUp(
    name: string,
    resourceId: string,
  ): Promise<string | undefined> {
    const { client, logger } = this.options;
    const backupName = finalBackupName(name, resourceId);
    try {
      let start: string | undefined;
      do {
        const output = await client.send(
          new ListBackupsCommand({
            TableName: name,
            BackupType: 'USER',
            ...(start ? { ExclusiveStartBackupArn: start } : {}),
          }),
        );
        const earlier = output.BackupSummaries?.find(
          backup =>
            backup.BackupName === backupName &&
            backup.BackupStatus !== 'DELETED',
        );
        if (earlier) {
          return earlier.BackupArn ?? backupName;
        }
        start = output.LastEvaluatedBackupArn;
      } while (start);
    } catch (error) {
      if (!isNotImplemented(error)) {
        throw forwardAwsError(
          `Could not list the backups of ${target(name)} before deleting it`,
          error,
        );
      }
    }
    try {
      const output = await client.send(
        new CreateBackupCommand({ TableName: name, BackupName: backupName }),
      );
      const backupArn = output.BackupDetails?.BackupArn ?? backupName;
      logger?.info(`Backed up DynamoDB table ${name} before deleting it`, {
        table: name,
        backupArn,
      });
      return backupArn;
    } catch (error) {
      if (isNotImplemented(error)) {
        logger?.warn(
          `The endpoint does not implement CreateBackup; ${target(
            name,
          )} is deleted without a backup`,
          { table: name },
        );
        return undefined;
      }
      throw forwardAwsError(
        `Could not back up ${target(name)} before deleting it`,
        error,
      );
    }
  }

  private applyDeletionProtection(
    name: string,
    table: TableDescription,
  ): Promise<ResourceCondition> | ResourceCondition {
    if (table.DeletionProtectionEnabled) {
      return {
        type: 'DeletionProtected',
        status: 'True',
        reason: 'Enabled',
        message: DELETION_PROTECTED_MESSAGE,
      };
    }
    return applySetting(
      {
        type: 'DeletionProtected',
        action: 'turn deletion protection on',
        appliedMessage: DELETION_PROTECTED_MESSAGE,
        run: () =>
          this.options.client.send(
            new UpdateTableCommand({
              TableName: name,
              DeletionProtectionEnabled: true,
            }),
          ),
        isNotYet: error => isAwsError(error, 'ResourceInUseException'),
        isUnsupported: isUnknownUpdateTableParameter,
      },
      target(name),
      this.options.logger,
    );
  }

  private async describe(name: string): Promise<TableDescription | undefined> {
    try {
      const output = await this.options.client.send(
        new DescribeTableCommand({ TableName: name }),
      );
      return output.Table;
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        return undefined;
      }
      throw forwardAwsError(`Could not describe DynamoDB table ${name}`, error);
    }
  }

  /** The new table, or undefined when a table of that name already exists. */
  private async create(
    name: string,
    spec: DynamoDbTableSpec,
    tags: Record<string, string>,
  ): Promise<TableDescription | undefined> {
    try {
      const output = await this.options.client.send(
        new CreateTableCommand(createTableInput(name, spec, tags)),
      );
      this.options.logger?.info(`Created DynamoDB table ${name}`, {
        table: name,
        region: this.options.region,
      });
      return output.TableDescription;
    } catch (error) {
      if (isAwsError(error, 'ResourceInUseException')) {
        return undefined;
      }
      throw forwardAwsError(`Could not create DynamoDB table ${name}`, error);
    }
  }

  /** The table's tags; undefined while DynamoDB does not list them (a table being created). */
  private async readTags(
    name: string,
    table: TableDescription,
  ): Promise<Record<string, string> | undefined> {
    const tags: Record<string, string> = {};
    let nextToken: string | undefined;
    try {
      do {
        const output = await this.options.client.send(
          new ListTagsOfResourceCommand({
            ResourceArn: table.TableArn,
            NextToken: nextToken,
          }),
        );
        for (const tag of output.Tags ?? []) {
          tags[tag.Key ?? ''] = tag.Value ?? '';
        }
        nextToken = output.NextToken;
      } while (nextToken);
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) {
        return undefined;
      }
      throw forwardAwsError(
        `Could not read the tags of DynamoDB table ${name}`,
        error,
      );
    }
    return tags;
  }

  private async applyTags(
    name: string,
    table: TableDescription,
    tags: Record<string, string>,
    current: Record<string, string> | undefined,
  ): Promise<ResourceCondition> {
    if (!current) {
      return {
        type: 'Tagged',
        status: 'True',
        reason: 'TaggedOnCreate',
        message:
          'The tags were sent with CreateTable; DynamoDB lists them once the table is ACTIVE',
      };
    }
    const missing = tagsToAdd(tags, current);
    return applySetting(
      {
        type: 'Tagged',
        action: 'tag the table',
        appliedMessage: `Tagged with the resource's tags and ${PAASPORT_RESOURCE_ID_TAG}`,
        // Emulators that drop the tags of CreateTable (dynalite does) get them here.
        run: async () => {
          if (Object.keys(missing).length > 0) {
            await this.options.client.send(
              new TagResourceCommand({
                ResourceArn: table.TableArn,
                Tags: tagList(missing),
              }),
            );
          }
        },
        isNotYet: error =>
          isAwsError(
            error,
            'ResourceNotFoundException',
            'ResourceInUseException',
          ),
      },
      target(name),
      this.options.logger,
    );
  }

  private applyPointInTimeRecovery(
    name: string,
    spec: DynamoDbTableSpec,
  ): Promise<ResourceCondition> {
    const enabled = spec.pointInTimeRecovery;
    return applySetting(
      {
        type: 'PointInTimeRecovery',
        action: `${enabled ? 'enable' : 'disable'} point-in-time recovery`,
        appliedMessage: enabled
          ? 'Point-in-time recovery is enabled'
          : 'Point-in-time recovery is disabled, as the spec asks',
        run: () =>
          this.options.client.send(
            new UpdateContinuousBackupsCommand({
              TableName: name,
              PointInTimeRecoverySpecification: {
                PointInTimeRecoveryEnabled: enabled,
              },
            }),
          ),
        // AWS refuses PITR for a while after a table is created.
        isNotYet: error =>
          isAwsError(error, 'ContinuousBackupsUnavailableException'),
      },
      target(name),
      this.options.logger,
    );
  }

  private async applyTimeToLive(
    name: string,
    spec: DynamoDbTableSpec,
  ): Promise<ResourceCondition | undefined> {
    const current = await this.readTimeToLive(name);
    if (current === 'not implemented') {
      return spec.ttlAttribute
        ? notImplementedCondition(
            'TimeToLive',
            `read time to live; DynamoDB table ${name} may lack it`,
          )
        : undefined;
    }
    const { status, attribute } = current;
    const wanted = spec.ttlAttribute;
    const switchTo = (enabled: boolean, attributeName: string) =>
      applySetting(
        {
          type: 'TimeToLive',
          action: `${
            enabled ? 'enable' : 'disable'
          } time to live on attribute ${attributeName}`,
          appliedMessage: enabled
            ? `Items expire at the time in attribute ${attributeName}`
            : `Time to live on attribute ${attributeName} is disabled, as the spec has no ttlAttribute`,
          run: () =>
            this.options.client.send(
              new UpdateTimeToLiveCommand({
                TableName: name,
                TimeToLiveSpecification: {
                  Enabled: enabled,
                  AttributeName: attributeName,
                },
              }),
            ),
        },
        target(name),
        this.options.logger,
      );

    if (!wanted) {
      return status === 'ENABLED' && attribute
        ? switchTo(false, attribute)
        : undefined;
    }
    if (status === 'DISABLED') {
      return switchTo(true, wanted);
    }
    return timeToLiveCondition(wanted, status, attribute);
  }

  private async observePointInTimeRecovery(
    name: string,
    spec: DynamoDbTableSpec,
  ): Promise<ResourceCondition> {
    let status: string | undefined;
    try {
      const output = await this.options.client.send(
        new DescribeContinuousBackupsCommand({ TableName: name }),
      );
      status =
        output.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
          ?.PointInTimeRecoveryStatus;
    } catch (error) {
      if (isNotImplemented(error)) {
        return notImplementedCondition(
          'PointInTimeRecovery',
          `read point-in-time recovery; DynamoDB table ${name} may lack it`,
        );
      }
      throw forwardAwsError(
        `Could not read the continuous backups of DynamoDB table ${name}`,
        error,
      );
    }
    const enabled = status === 'ENABLED';
    return enabled === spec.pointInTimeRecovery
      ? {
          type: 'PointInTimeRecovery',
          status: 'True',
          reason: 'MatchesSpec',
          message: `Point-in-time recovery is ${
            enabled ? 'enabled' : 'disabled, as the spec asks'
          }`,
        }
      : {
          type: 'PointInTimeRecovery',
          status: 'False',
          reason: 'DiffersFromSpec',
          message: `Point-in-time recovery is ${
            enabled ? 'enabled' : 'not enabled'
          }; the next apply ${enabled ? 'disables' : 'enables'} it`,
        };
  }

  private async observeTimeToLive(
    name: string,
    spec: DynamoDbTableSpec,
  ): Promise<ResourceCondition[]> {
    const current = await this.readTimeToLive(name);
    const wanted = spec.ttlAttribute;
    if (current === 'not implemented') {
      return wanted
        ? [
            notImplementedCondition(
              'TimeToLive',
              `read time to live; DynamoDB table ${name} may lack it`,
            ),
          ]
        : [];
    }
    const { status, attribute } = current;
    if (!wanted) {
      return status === 'ENABLED'
        ? [
            {
              type: 'TimeToLive',
              status: 'False',
              reason: 'DiffersFromSpec',
              message: `Time to live is on attribute ${attribute}, which the spec does not ask for; the next apply disables it`,
            },
          ]
        : [];
    }
    if (status === 'DISABLED') {
      return [
        {
          type: 'TimeToLive',
          status: 'False',
          reason: 'DiffersFromSpec',
          message: `Time to live is disabled; the next apply enables it on attribute ${wanted}`,
        },
      ];
    }
    return [timeToLiveCondition(wanted, status, attribute)];
  }

  private async readTimeToLive(
    name: string,
  ): Promise<{ status: string; attribute?: string } | 'not implemented'> {
    let description: TimeToLiveDescription | undefined;
    try {
      const output = await this.options.client.send(
        new DescribeTimeToLiveCommand({ TableName: name }),
      );
      description = output.TimeToLiveDescription;
    } catch (error) {
      if (isNotImplemented(error)) {
        return 'not implemented';
      }
      throw forwardAwsError(
        `Could not read the time to live of DynamoDB table ${name}`,
        error,
      );
    }
    return {
      status: description?.TimeToLiveStatus ?? 'DISABLED',
      attribute: description?.AttributeName,
    };
  }

  private tableName(resource: DesiredResource): string {
    assertKind(this.id, KIND, resource);
    if (!TABLE_NAME.test(resource.name)) {
      throw new InputError(
        `'${resource.name}' is not a valid DynamoDB table name: use 3 to 255 letters, digits, underscores, dashes and dots`,
      );
    }
    return resource.name;
  }

  private parseSpec(
    resource: DesiredResource,
    name: string,
  ): DynamoDbTableSpec {
    const spec = parseSpecOf(KIND, resource, target(name));
    if (spec.sortKey?.name === spec.partitionKey.name) {
      throw new InputError(
        `Invalid spec of ${target(
          name,
        )}: sortKey.name must differ from partitionKey.name`,
      );
    }
    return spec;
  }

  private result(
    state: ObservedResource['state'],
    name: string,
    table: TableDescription,
    conditions: ResourceCondition[],
  ): ObservedResource {
    const { region } = this.options;
    return {
      state,
      ...(table.TableArn ? { externalId: table.TableArn } : {}),
      outputs: {
        tableName: name,
        ...(table.TableArn ? { arn: table.TableArn } : {}),
        region,
        consoleUrl: tableConsoleUrl(name, region),
      },
      conditions,
    };
  }
}

/**
 * Provides `aws:dynamodb-table` resources: tables encrypted with a KMS key, with
 * point-in-time recovery and optional time to live, tagged with the Paasport resource id.
 *
 * Tables are created with deletion protection on (existing and adopted tables get it too);
 * deleting one takes an on-demand backup first, then turns protection off, then deletes.
 *
 * Ownership rule: an existing table is managed only when its `paasport.io/resource-id` tag
 * is this resource's id. Tags go with CreateTable, so Paasport never leaves an untagged
 * table behind, and an untagged table is someone else's: a `ConflictError`.
 *
 * @public
 */
export class DynamoDbTableProvider extends AccountScopedProvider<
  DynamoDBClient,
  DynamoDbTableProviderOptions
> {
  readonly id = 'aws-dynamodb';
  readonly kinds: readonly ResourceKind[] = [KIND];

  protected inAccount(options: InAccountOptions) {
    return new DynamoDbTableProviderInAccount(options);
  }
}

/** Backup names take 3 to 255 letters, digits, underscores, dashes and dots. */
function finalBackupName(table: string, resourceId: string): string {
  const suffix = `-final-${resourceId.replace(/[^a-zA-Z0-9_.-]/g, '-')}`;
  return `${table.slice(0, 255 - suffix.length)}${suffix}`;
}

/**
 * dynalite answers an UpdateTable whose only parameter it does not know as if nothing were
 * asked; DynamoDB itself never does, as every UpdateTable here asks for a change.
 */
function isUnknownUpdateTableParameter(error: unknown): boolean {
  return (
    isAwsError(error, 'ValidationException') &&
    (error as Error).message.startsWith('At least one of ')
  );
}

/** Reasons of `False` conditions that no apply can resolve without an operator. */
const NEEDS_OPERATOR = new Set(['KeysDiffer', 'OtherAttributeEnabled']);

/**
 * `failed` when an operator must act, `pending` while a condition is `False` (waiting or
 * to be fixed by the next apply), else `ready`. `Unknown` (the endpoint cannot say) does
 * not hold a table back.
 */
function stateOf(conditions: ResourceCondition[]): ObservedResource['state'] {
  const unmet = conditions.filter(c => c.status === 'False');
  if (unmet.some(c => NEEDS_OPERATOR.has(c.reason))) {
    return 'failed';
  }
  return unmet.length > 0 ? 'pending' : 'ready';
}

function target(name: string): string {
  return `DynamoDB table ${name}`;
}

function encryptionCondition(table: TableDescription): ResourceCondition {
  const sse = table.SSEDescription;
  if (sse?.Status === 'ENABLED' || sse?.Status === 'UPDATING') {
    return {
      type: 'Encrypted',
      status: 'True',
      reason: 'KmsKey',
      message: `Encrypted at rest with KMS key ${
        sse.KMSMasterKeyArn ?? 'aws/dynamodb'
      }`,
    };
  }
  if (sse?.Status === 'ENABLING') {
    return {
      type: 'Encrypted',
      status: 'True',
      reason: 'KmsKeyEnabling',
      message: 'DynamoDB is turning on encryption with the KMS key',
    };
  }
  return {
    type: 'Encrypted',
    status: 'Unknown',
    reason: 'KmsEncryptionNotReported',
    message:
      'DescribeTable reports no KMS encryption. On AWS the table is then encrypted with an AWS owned key; an endpoint that ignores SSESpecification reports the same',
  };
}

function timeToLiveCondition(
  wanted: string,
  status: string,
  attribute: string | undefined,
): ResourceCondition {
  if (attribute === wanted && (status === 'ENABLED' || status === 'ENABLING')) {
    return {
      type: 'TimeToLive',
      status: 'True',
      reason: 'Applied',
      message: `Items expire at the time in attribute ${wanted}`,
    };
  }
  if (status === 'DISABLING') {
    return {
      type: 'TimeToLive',
      status: 'False',
      reason: WAITING_REASON,
      message: `DynamoDB is disabling time to live; the next apply enables it on attribute ${wanted}`,
    };
  }
  return {
    type: 'TimeToLive',
    status: 'False',
    reason: 'OtherAttributeEnabled',
    message: `Time to live is on attribute ${attribute}, but the spec names ${wanted}. DynamoDB allows one time-to-live change per hour, so Paasport does not switch attributes: disable time to live on the table, then apply again`,
  };
}

function keySchemaCondition(message: string): ResourceCondition {
  return {
    type: 'KeySchema',
    status: 'False',
    reason: 'KeysDiffer',
    message,
  };
}

function notActiveCondition(table: TableDescription): ResourceCondition {
  return {
    type: 'Active',
    status: 'False',
    reason: WAITING_REASON,
    message: `The table is ${
      table.TableStatus ?? 'not ACTIVE'
    }; backups and time to live are applied once it is ACTIVE`,
  };
}

function deletingCondition(): ResourceCondition {
  return {
    type: 'Active',
    status: 'False',
    reason: 'Deleting',
    message:
      'The table is being deleted; apply creates it again once it is gone',
  };
}

function deletionProtectionCondition(
  table: TableDescription,
): ResourceCondition {
  switch (table.DeletionProtectionEnabled) {
    case true:
      return {
        type: 'DeletionProtected',
        status: 'True',
        reason: 'Enabled',
        message: DELETION_PROTECTED_MESSAGE,
      };
    case false:
      return {
        type: 'DeletionProtected',
        status: 'False',
        reason: 'DiffersFromSpec',
        message: 'Deletion protection is off; the next apply turns it on',
      };
    default:
      return {
        type: 'DeletionProtected',
        status: 'Unknown',
        reason: 'NotReportedByEndpoint',
        message:
          'DescribeTable does not say whether deletion protection is on; DynamoDB always does, an emulator may not',
      };
  }
}

function tagsUnreadableCondition(): ResourceCondition {
  return {
    type: 'Owned',
    status: 'Unknown',
    reason: 'TagsNotListedYet',
    message: `The table is being created and DynamoDB lists its tags only once it is ACTIVE; the ${PAASPORT_RESOURCE_ID_TAG} tag is checked then, and nothing is changed before`,
  };
}

function notImplementedCondition(
  type: string,
  what: string,
): ResourceCondition {
  return {
    type,
    status: 'Unknown',
    reason: 'NotImplementedByEndpoint',
    message: `The endpoint does not implement the call to ${what}`,
  };
}
