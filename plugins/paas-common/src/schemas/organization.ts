import { z } from 'zod';
import { dnsLabelSchema, entityRefSchema } from '../names';

/** Body of `POST /organizations`, as the backend and the scaffolder action check it. @public */
export const createOrganizationRequestSchema = z
  .object({
    name: dnsLabelSchema,
    title: z.string().trim().min(1).max(255).optional(),
    description: z.string().max(4000).optional(),
    groupRef: entityRefSchema.optional(),
  })
  .strict();
