import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PaasService } from '@paasport/plugin-paas-node';
import { examples } from './organizationCreate.examples';
import { ACTION_ID, parseRequest } from './organizationRequest';
import { failureOf, paasportUrl } from './shared';

/** What the action produces; also what its checkpoint stores. */
type CreatedOrganization = { name: string; entityRef: string };

/**
 * Creates the `paas:organization:create` action: creates a Paasport organization, or
 * adopts an existing catalog group as one, on behalf of the user running the template.
 *
 * @public
 */
export function createPaasOrganizationCreateAction(options: {
  paas: PaasService;
  /** Base URL of the Backstage app, for the link to the Paasport page. */
  appBaseUrl?: string;
}) {
  const { paas } = options;
  const url = paasportUrl(options.appBaseUrl);

  return createTemplateAction({
    id: ACTION_ID,
    description:
      'Creates a Paasport organization, or adopts an existing catalog group as one, ' +
      'with the permissions of the user running the template.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Name of the organization: lower-case letters, digits and dashes, starting ' +
              'with a letter, at most 63 characters. Also the name of the catalog Group ' +
              'Paasport publishes for it.',
          }),
        title: z =>
          z
            .string({
              description:
                'Human-readable title; the name when left out. At most 255 characters.',
            })
            .optional(),
        description: z =>
          z
            .string({
              description:
                'What the organization does. At most 4000 characters.',
            })
            .optional(),
        groupRef: z =>
          z
            .string({
              description:
                'An existing catalog Group to adopt as this organization, such as ' +
                '`group:default/payments`. Paasport then publishes no Group of its own.',
            })
            .optional(),
      },
      output: {
        name: z => z.string({ description: 'Name of the organization.' }),
        entityRef: z =>
          z.string({
            description:
              'The catalog Group of the organization: the adopted group, or ' +
              '`group:default/<name>`.',
          }),
        url: z =>
          z.string({ description: 'Link to the Paasport page in Backstage.' }),
      },
    },
    async handler(ctx) {
      const request = parseRequest(ctx.input);
      const { name } = request;
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        await failIfTaken(paas, name, credentials, ctx.logger);
        const planned = toCreated(request);
        ctx.logger.info(
          `Dry run: would create the Paasport organization '${name}' (${planned.entityRef})`,
        );
        output(ctx, planned, url);
        return;
      }

      ctx.logger.info(
        request.groupRef
          ? `Creating the Paasport organization '${name}', adopting ${request.groupRef}`
          : `Creating the Paasport organization '${name}'`,
      );
      const created = await ctx.checkpoint<CreatedOrganization>({
        key: `paas.organization.create.v1.${name}`,
        fn: async () => {
          try {
            return toCreated(
              await paas.createOrganization(request, { credentials }),
            );
          } catch (error) {
            throw explain(error, name);
          }
        },
      });
      output(ctx, created, url);
    },
  });
}

function output(
  ctx: {
    output(name: 'name' | 'entityRef' | 'url', value: string): void;
  },
  created: CreatedOrganization,
  url: string,
) {
  ctx.output('name', created.name);
  ctx.output('entityRef', created.entityRef);
  ctx.output('url', url);
}

function toCreated(organization: {
  name: string;
  groupRef?: string;
}): CreatedOrganization {
  return {
    name: organization.name,
    entityRef: organization.groupRef ?? `group:default/${organization.name}`,
  };
}

/** Turns the backend's refusals into errors a template user can act on. */
function explain(error: unknown, name: string): unknown {
  const { status, reason } = failureOf(error);
  switch (status) {
    case 400:
      return new InputError(
        `Paasport refused the organization '${name}': ${reason}`,
      );
    case 403:
      return new NotAllowedError(
        `You are not allowed to create Paasport organizations; ask the platform team ` +
          `to create '${name}' for you`,
      );
    case 409:
      return new ConflictError(
        `The Paasport organization '${name}' could not be created: ${reason}. ` +
          `Choose another name or group`,
      );
    default:
      return error;
  }
}

/** Dry runs only read: they report a name that is already taken, as a real run would. */
async function failIfTaken(
  paas: PaasService,
  name: string,
  credentials: BackstageCredentials,
  logger: LoggerService,
) {
  try {
    await paas.getOrganization(name, { credentials });
  } catch (error) {
    const { status, reason } = failureOf(error);
    if (status !== 404) {
      logger.warn(
        `Dry run: could not check whether the organization '${name}' exists: ${reason}`,
      );
    }
    return;
  }
  throw new ConflictError(
    `The Paasport organization '${name}' already exists. Choose another name`,
  );
}
