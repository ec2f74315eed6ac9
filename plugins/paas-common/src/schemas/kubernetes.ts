import { z } from 'zod';
import { dnsLabelSchema } from '../names';

/** Spec of a team namespace on a cluster. @public */
export const kubernetesNamespaceSpecSchema = z
  .object({
    team: dnsLabelSchema.describe('Team that owns the namespace'),
    environment: dnsLabelSchema.describe(
      'Environment, such as dev, staging or prod',
    ),
    cluster: dnsLabelSchema
      .optional()
      .describe('Target cluster; the team default if omitted'),
  })
  .strict();
