import {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { ResourceSpec } from '@paasport/plugin-paas-common';
import { consoleUrl } from '../awsConsole';
import { tagList } from '../ownership';

type DynamoDbTableSpec = ResourceSpec<'aws:dynamodb-table'>;

function keySchema(spec: DynamoDbTableSpec): KeySchemaElement[] {
  return [
    { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
    ...(spec.sortKey
      ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }]
      : []),
  ];
}

function attributeDefinitions(spec: DynamoDbTableSpec): AttributeDefinition[] {
  return [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])].map(
    ({ name, type }) => ({ AttributeName: name, AttributeType: type }),
  );
}

/**
 * CreateTable input: the spec's keys and capacity, encryption at rest with a KMS key (the
 * spec's, or DynamoDB's AWS managed key), deletion protection, and every tag in the same call.
 */
export function createTableInput(
  tableName: string,
  spec: DynamoDbTableSpec,
  tags: Record<string, string>,
): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: attributeDefinitions(spec),
    KeySchema: keySchema(spec),
    BillingMode: spec.billingMode,
    ...(spec.billingMode === 'PROVISIONED'
      ? {
          ProvisionedThroughput: {
            ReadCapacityUnits: spec.readCapacityUnits,
            WriteCapacityUnits: spec.writeCapacityUnits,
          },
        }
      : {}),
    SSESpecification: {
      Enabled: true,
      SSEType: 'KMS',
      ...(spec.kmsKeyId ? { KMSMasterKeyId: spec.kmsKeyId } : {}),
    },
    DeletionProtectionEnabled: true,
    Tags: tagList(tags),
  };
}

/** The table's keys as `name (type)` per role, for comparison and messages. */
function describeKeys(
  keys: KeySchemaElement[] | undefined,
  definitions: AttributeDefinition[] | undefined,
): string {
  const typeOf = (name?: string) =>
    definitions?.find(d => d.AttributeName === name)?.AttributeType ?? '?';
  const part = (role: 'HASH' | 'RANGE') => {
    const key = keys?.find(k => k.KeyType === role);
    return key ? `${key.AttributeName} (${typeOf(key.AttributeName)})` : '';
  };
  const sortKey = part('RANGE');
  return `partition key ${part('HASH')}${
    sortKey ? `, sort key ${sortKey}` : ''
  }`;
}

/**
 * Undefined when the table's keys are the spec's; otherwise a message saying how they
 * differ. Keys cannot change after creation, so a difference needs a new table.
 */
export function keySchemaDifference(
  table: TableDescription,
  spec: DynamoDbTableSpec,
): string | undefined {
  const actual = describeKeys(table.KeySchema, table.AttributeDefinitions);
  const wanted = describeKeys(keySchema(spec), attributeDefinitions(spec));
  return actual === wanted
    ? undefined
    : `The table has ${actual}; the spec asks for ${wanted}. DynamoDB cannot change the keys of a table: create the resource under a new name`;
}

export function tableConsoleUrl(tableName: string, region: string): string {
  return consoleUrl(
    region,
    'dynamodbv2/home',
    `table?name=${encodeURIComponent(tableName)}`,
  );
}
