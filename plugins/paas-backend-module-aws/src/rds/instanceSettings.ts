import {
  CreateDBInstanceMessage,
  DBInstance,
  ModifyDBInstanceMessage,
} from '@aws-sdk/client-rds';
import { ResourceSpec } from '@paasport/plugin-paas-common';
import { consoleUrl } from '../awsConsole';
import { RdsOptions } from '../clients';
import { tagList } from '../ownership';

type RdsInstanceSpec = ResourceSpec<'aws:rds-instance'>;

/** The master user of every instance; a valid name on PostgreSQL, MySQL and MariaDB. */
export const MASTER_USERNAME = 'paasadmin';

/** Days of automated backups, and so of point-in-time restore. */
export const BACKUP_RETENTION_DAYS = 7;

/**
 * CreateDBInstance input with the secure defaults: private, encrypted storage, the master
 * password generated and kept by RDS in Secrets Manager (no password is ever sent), tags
 * copied to snapshots, automated backups, minor version upgrades.
 */
export function createInstanceInput(
  identifier: string,
  spec: RdsInstanceSpec,
  placement: RdsOptions,
  tags: Record<string, string>,
): CreateDBInstanceMessage {
  return {
    DBInstanceIdentifier: identifier,
    Engine: spec.engine,
    ...(spec.engineVersion ? { EngineVersion: spec.engineVersion } : {}),
    DBInstanceClass: spec.instanceClass,
    AllocatedStorage: spec.allocatedStorageGiB,
    StorageType: 'gp3',
    MultiAZ: spec.multiAz,
    MasterUsername: MASTER_USERNAME,
    ManageMasterUserPassword: true,
    PubliclyAccessible: false,
    StorageEncrypted: true,
    CopyTagsToSnapshot: true,
    DeletionProtection: placement.deletionProtection,
    BackupRetentionPeriod: BACKUP_RETENTION_DAYS,
    AutoMinorVersionUpgrade: true,
    ...(placement.dbSubnetGroupName
      ? { DBSubnetGroupName: placement.dbSubnetGroupName }
      : {}),
    ...(placement.vpcSecurityGroupIds
      ? { VpcSecurityGroupIds: placement.vpcSecurityGroupIds }
      : {}),
    Tags: tagList(tags),
  };
}

/**
 * The secure settings an existing instance lacks, as ModifyDBInstance input without the
 * identifier. Storage encryption is not among them: RDS cannot encrypt an instance in place.
 */
export function secureSettingChanges(
  instance: DBInstance,
  placement: RdsOptions,
): Omit<ModifyDBInstanceMessage, 'DBInstanceIdentifier'> {
  return {
    ...(instance.PubliclyAccessible ? { PubliclyAccessible: false } : {}),
    ...(instance.MasterUserSecret ? {} : { ManageMasterUserPassword: true }),
    ...(instance.DeletionProtection !== placement.deletionProtection
      ? { DeletionProtection: placement.deletionProtection }
      : {}),
  };
}

/**
 * The name of the snapshot RDS takes when Paasport deletes the instance. The resource id
 * is part of it, so a later resource of the same name gets its own.
 */
export function finalSnapshotIdentifier(
  identifier: string,
  resourceId: string,
): string {
  const id = resourceId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${identifier}-final-${id}`.slice(0, 255).replace(/-+$/, '');
}

export function instanceConsoleUrl(identifier: string, region: string): string {
  return consoleUrl(
    region,
    'rds/home',
    `database:id=${encodeURIComponent(identifier)}`,
  );
}
