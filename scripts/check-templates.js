#!/usr/bin/env node
/*
 * Checks the software templates that all.yaml lists, without a running backend:
 *
 * - every target parses, is a scaffolder.backstage.io/v1beta3 Template that the catalog's
 *   validator accepts, with a unique name, and every templates/<folder>/template.yaml is
 *   listed;
 * - every step calls an action that the Paasport scaffolder module registers (the module is
 *   started with fake services to list them), passes only inputs the action declares, and
 *   refers only to earlier steps and to outputs the action declares;
 * - every `parameters.X` in the steps and the output names a form field, and every
 *   `outputs.K` a key the kind's provider reports;
 * - form fields passed straight to a resource or a deployment mirror the backend's zod
 *   schema: type, enum, minimum, maximum, lengths, pattern, default, required;
 * - `PaasResourceEstimate` fields name a real kind and existing fields and are never sent;
 * - for a minimal, a full and a longest sample of each form, the values pass the form's own
 *   schema, the steps render as the scaffolder renders them (nunjitsu, default filters), the
 *   rendered input passes the action's input schema and the action's own request parsing
 *   (the kind's zod spec included), and the output section renders.
 *
 * Run from the repository root: node scripts/check-templates.js [--verbose] [location.yaml]
 * (--verbose prints each rendered step input; a location other than templates/all.yaml is
 * for trying out a changed copy).
 */
'use strict';

require('sucrase/register/ts');

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('yaml');
const { Validator } = require('jsonschema');
const { createTemplateRenderer } = require('nunjitsu');
const {
  templateEntityV1beta3Validator,
} = require('@backstage/plugin-scaffolder-common');
const catalogModel = require('@backstage/catalog-model');

/** The checks the catalog makes of every entity it reads. */
const ENTITY_POLICY = catalogModel.EntityPolicies.allOf([
  new catalogModel.DefaultNamespaceEntityPolicy(),
  new catalogModel.NoForeignRootFieldsEntityPolicy(),
  new catalogModel.FieldFormatEntityPolicy(),
  new catalogModel.SchemaValidEntityPolicy(),
]);

const ROOT = path.resolve(__dirname, '..');
const VERBOSE = process.argv.includes('--verbose');
const LOCATION = path.resolve(
  process.argv.slice(2).find(a => !a.startsWith('--')) ??
    path.join(ROOT, 'templates/all.yaml'),
);
const TEMPLATES = path.dirname(LOCATION);
const ACTIONS_DIR = path.join(
  ROOT,
  'plugins/scaffolder-backend-module-paas/src/actions',
);

const common = require('@paasport/plugin-paas-common');
const { z } = require(require.resolve('zod', {
  paths: [require.resolve('@paasport/plugin-paas-common')],
}));
const scaffolderModule = require(path.join(
  ROOT,
  'plugins/scaffolder-backend-module-paas/src/index.ts',
));
const { parseResourceRequest } = require(path.join(
  ACTIONS_DIR,
  'resourceRequest.ts',
));
const { parseRequest: parseDeploymentRequest } = require(path.join(
  ACTIONS_DIR,
  'deploymentRequest.ts',
));

const DNS_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';

/** Fields whose values come from the catalog, not from typing. */
const PICKERS = ['OwnerPicker', 'EntityPicker', 'OwnedEntityPicker'];

/** Values for fields a pattern or a name says more about than its type. */
const SAMPLES = {
  owner: 'group:default/acme-payments-checkout',
  component: 'component:default/payments-api',
  organization: 'acme-payments',
  team: 'checkout',
  name: 'orders',
  service: 'payments-api',
  image: 'ghcr.io/acme/payments-api:1.4.2',
  instanceClass: 'db.t4g.micro',
  engineVersion: '16',
  handler: 'index.handler',
  codeS3Bucket: 'acme-payments-checkout-artifacts',
  bucket: 'acme-payments-shared-data',
  codeS3Key: 'resize-images/1.4.2.zip',
  kmsKeyId: 'alias/paasport-test',
  ttlAttribute: 'expiresAt',
  sortKeyName: 'sk',
  partitionKeyName: 'pk',
  cluster: 'eu-central-general',
  reason: 'Checking the template',
};

/**
 * The folder (or the `.ts` file) of each kind's provider, whose `outputs: {` blocks name its
 * output keys.
 */
const PROVIDER_SOURCES = {
  'aws:s3-bucket': [
    'plugins/paas-backend-module-aws/src/s3/S3BucketProvider.ts',
  ],
  'aws:s3-prefix': [
    'plugins/paas-backend-module-aws/src/s3/S3PrefixProvider.ts',
  ],
  'aws:dynamodb-table': ['plugins/paas-backend-module-aws/src/dynamodb'],
  'aws:sqs-queue': ['plugins/paas-backend-module-aws/src/sqs'],
  'aws:lambda-function': ['plugins/paas-backend-module-aws/src/lambda'],
  'aws:rds-instance': ['plugins/paas-backend-module-aws/src/rds'],
  'kubernetes:namespace': [
    'plugins/paas-backend-module-kubernetes/src',
    'plugins/paas-backend-module-kubernetes/src/delivery',
  ],
};

const problems = [];
let where = '';
function fail(message) {
  problems.push(`${where}: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// What the scaffolder knows: the registered actions, the renderer, the provider outputs.

async function registeredActions() {
  const actions = new Map();
  for (const registration of (
    scaffolderModule.default ?? scaffolderModule.scaffolderModulePaas
  ).getRegistrations()) {
    await registration.init.func({
      scaffolder: {
        addActions: (...added) => added.forEach(a => actions.set(a.id, a)),
      },
      config: { getOptionalString: () => 'http://localhost:3000' },
      paas: {},
    });
  }
  return actions;
}

function templateRenderer() {
  let filters = {};
  try {
    const dist = path.dirname(
      require.resolve('@backstage/plugin-scaffolder-backend'),
    );
    const { createDefaultFilters } = require(path.join(
      dist,
      'lib/templating/filters/createDefaultFilters.cjs.js',
    ));
    const templating = require(path.join(dist, 'util/templating.cjs.js'));
    const { ScmIntegrations } = require('@backstage/integration');
    const { ConfigReader } = require('@backstage/config');
    filters = templating.collectTemplateCapabilities({
      filters: templating.convertFiltersToRecord(
        createDefaultFilters({
          integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
        }),
      ),
    }).filters;
  } catch (error) {
    console.warn(
      `Rendering without the scaffolder's default filters: ${error.message}`,
    );
  }
  return createTemplateRenderer({
    allowRegexExecution: true,
    filters,
    globals: { always: () => true, failure: () => false },
  });
}

/** Every key a provider's `outputs: {` blocks name; loose, so a miss is a real miss. */
function providerOutputKeys(kind) {
  const keys = new Set();
  for (const entry of PROVIDER_SOURCES[kind]) {
    const files = entry.endsWith('.ts')
      ? [path.join(ROOT, entry)]
      : fs
          .readdirSync(path.join(ROOT, entry))
          .filter(file => file.endsWith('.ts') && !file.endsWith('.test.ts'))
          .map(file => path.join(ROOT, entry, file));
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\boutputs: \{/g)) {
        let depth = 0;
        let end = match.index + match[0].length - 1;
        for (; end < source.length; end++) {
          if (source[end] === '{') depth++;
          if (source[end] === '}' && --depth === 0) break;
        }
        const block = source.slice(match.index + match[0].length, end);
        for (const word of block.matchAll(/\b([A-Za-z]\w*)\b\s*(?=[:,}])/g)) {
          keys.add(word[1]);
        }
      }
    }
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Forms.

/** The properties of a page, those its dependencies and conditions may add included. */
function collectProperties(schema, into = new Map(), conditional = false) {
  if (!schema || typeof schema !== 'object') return into;
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const known = into.get(name);
    if (!known || (known.conditional && !conditional)) {
      into.set(name, {
        schema: property,
        conditional,
        required:
          (schema.required ?? []).includes(name) || known?.required || false,
      });
    } else if ((schema.required ?? []).includes(name)) {
      known.required = true;
    }
  }
  const branches = [];
  for (const dependency of Object.values(schema.dependencies ?? {})) {
    if (Array.isArray(dependency)) continue;
    branches.push(dependency, ...(dependency.oneOf ?? []));
    branches.push(...(dependency.anyOf ?? []), ...(dependency.allOf ?? []));
  }
  branches.push(...(schema.allOf ?? []), ...(schema.oneOf ?? []));
  branches.push(...(schema.anyOf ?? []));
  if (schema.then) branches.push(schema.then);
  if (schema.else) branches.push(schema.else);
  for (const branch of branches) collectProperties(branch, into, true);
  return into;
}

/** A valid value of a field; `full` and `longest` samples turn booleans from their default. */
function sampleOf(name, schema, variant) {
  if (schema.type === 'boolean') {
    return variant === 'minimal' ? schema.default ?? false : !schema.default;
  }
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'integer' || schema.type === 'number') {
    return variant === 'longest' && schema.maximum !== undefined
      ? schema.maximum
      : schema.minimum ?? 1;
  }
  if (schema.pattern === DNS_LABEL && variant === 'longest') {
    return 'a'.repeat(schema.maxLength ?? 63);
  }
  return SAMPLES[name] ?? 'sample';
}

/**
 * Form values for one page: `minimal` fills only what is required (defaults as the form
 * fills them), `full` every field, choosing the dependency branch that adds the most fields;
 * `longest` is `full` with names at their longest.
 */
function sampleValues(page, variant) {
  const values = {};
  const fill = (schema, all) => {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (property['ui:field'] === 'PaasResourceEstimate') continue;
      if (values[name] !== undefined) continue;
      const required = (schema.required ?? []).includes(name);
      if (all || required || property.default !== undefined) {
        values[name] = sampleOf(name, property, variant);
      }
    }
  };
  fill(page, variant !== 'minimal');
  for (const [trigger, dependency] of Object.entries(page.dependencies ?? {})) {
    if (Array.isArray(dependency)) continue;
    if (!dependency.oneOf) {
      if (values[trigger] !== undefined)
        fill(dependency, variant !== 'minimal');
      continue;
    }
    const extra = b =>
      Object.keys(b.properties ?? {}).filter(k => k !== trigger).length;
    const branch =
      variant === 'minimal'
        ? dependency.oneOf.find(b =>
            (b.properties?.[trigger]?.enum ?? []).includes(values[trigger]),
          ) ?? dependency.oneOf[0]
        : [...dependency.oneOf].sort((a, b) => extra(b) - extra(a))[0];
    const choice = branch.properties?.[trigger]?.enum?.[0];
    if (choice !== undefined) values[trigger] = choice;
    fill(branch, variant !== 'minimal');
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// References in template strings.

function strings(value, at = [], out = []) {
  if (typeof value === 'string') out.push({ at, value });
  else if (Array.isArray(value))
    value.forEach((v, i) => strings(v, [...at, i], out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) strings(v, [...at, k], out);
  }
  return out;
}

function expressions(value) {
  return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map(m => m[1]);
}

function parameterRefs(expression) {
  return [
    ...[...expression.matchAll(/\bparameters\.([A-Za-z_$][\w$]*)/g)].map(
      m => m[1],
    ),
    ...[...expression.matchAll(/\bparameters\[\s*['"]([^'"]+)['"]\s*\]/g)].map(
      m => m[1],
    ),
  ];
}

/** `steps.id.output.key[.sub]` and `steps['id'].output.key[.sub]`. */
function stepRefs(expression) {
  const refs = [];
  const re =
    /\bsteps(?:\.([A-Za-z_$][\w$]*)|\[\s*['"]([^'"]+)['"]\s*\])\s*\.output(?:\.([A-Za-z_$][\w$]*))?(?:\.([A-Za-z_$][\w$]*))?/g;
  for (const m of expression.matchAll(re)) {
    refs.push({ step: m[1] ?? m[2], key: m[3], sub: m[4] });
  }
  return refs;
}

/** A leaf passed straight from a field: `${{ parameters.X }}`, or guarded by an if. */
function directField(value) {
  const m =
    /^\$\{\{\s*parameters\.([A-Za-z_$][\w$]*)(\s+if\s+[^{}]*\s+else\s+none)?\s*\}\}$/.exec(
      value,
    );
  return m?.[1];
}

// ---------------------------------------------------------------------------------------------
// Mirroring the zod schemas.

function jsonSchemaOf(schema) {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
}

/** The backend's schema of what a step sends, keyed by input path. */
function backendSchemaFor(actionId) {
  const dnsLabel = jsonSchemaOf(common.dnsLabelSchema);
  const resource = /^paas:(.+):create$/.exec(actionId)?.[1];
  if (resource && common.RESOURCE_KINDS.includes(resource)) {
    const request = jsonSchemaOf(common.createResourceRequestSchema);
    const spec = jsonSchemaOf(common.resourceSpecSchemas[resource]);
    return {
      kind: resource,
      at(input) {
        const [head, ...rest] = input;
        if (head === 'organization') return rest.length ? undefined : dnsLabel;
        if (head === 'spec') return descend(spec, rest);
        return descend(request, input);
      },
    };
  }
  if (actionId === 'paas:deployment:create') {
    const request = jsonSchemaOf(common.submitDeploymentRequestSchema);
    return {
      at(input) {
        const [head, ...rest] = input;
        if (head === 'organization') return rest.length ? undefined : dnsLabel;
        if (
          head === 'cpuMillicores' ||
          head === 'memoryMib' ||
          head === 'gpus'
        ) {
          return descend(request, ['resources', head]);
        }
        if (head === 'placement') {
          return request.properties.placement.additionalProperties;
        }
        return descend(request, input);
      },
    };
  }
  return undefined;
}

function descend(schema, at) {
  let here = schema;
  const requiredHere = [];
  for (const key of at) {
    if (!here?.properties?.[key]) return undefined;
    requiredHere.push((here.required ?? []).includes(key));
    here = here.properties[key];
  }
  return { ...here, '#required': requiredHere.every(Boolean) };
}

function compareField(name, field, leaf, at) {
  const form = field.schema;
  const label = `field ${name} (sent as ${at.join('.')})`;
  const validator = new Validator();
  const valid = value => validator.validate(value, leaf).valid;
  if (form.enum) {
    for (const value of form.enum) {
      if (!valid(value))
        fail(
          `${label}: the option ${JSON.stringify(
            value,
          )} is not valid for the backend`,
        );
    }
    if (leaf.enum && leaf.enum.some(v => !form.enum.includes(v))) {
      fail(
        `${label}: offers ${form.enum.join(
          ', ',
        )}, the backend takes ${leaf.enum.join(', ')}`,
      );
    }
  } else if (!PICKERS.includes(form['ui:field'])) {
    // A form may be stricter than the backend, never looser.
    if (leaf.type && form.type !== leaf.type) {
      fail(`${label}: type ${form.type}, the backend takes ${leaf.type}`);
    }
    if (form.pattern !== leaf.pattern) {
      fail(
        `${label}: pattern ${form.pattern}, the backend's is ${leaf.pattern}`,
      );
    }
    const bounds = [
      ['minimum', (f, l) => f >= l],
      ['maximum', (f, l) => f <= l],
      ['maxLength', (f, l) => f <= l],
      // A pattern that needs a first character is a minimum length of 1.
      ['minLength', (f, l) => f >= l, form.pattern ? 1 : undefined],
    ];
    for (const [key, within, implied] of bounds) {
      const mine = form[key] ?? implied;
      if (
        leaf[key] !== undefined &&
        (mine === undefined || !within(mine, leaf[key]))
      ) {
        fail(`${label}: ${key} ${form[key]}, the backend's is ${leaf[key]}`);
      }
    }
  }
  if (leaf.default !== undefined && typeof leaf.default !== 'object') {
    if (form.default !== leaf.default) {
      fail(
        `${label}: default ${form.default}, the backend's is ${leaf.default}`,
      );
    }
  } else if (form.default !== undefined && !valid(form.default)) {
    fail(
      `${label}: the default ${JSON.stringify(
        form.default,
      )} is not valid for the backend`,
    );
  }
  if (
    leaf['#required'] &&
    leaf.default === undefined &&
    !field.required &&
    form.default === undefined
  ) {
    fail(`${label}: the backend requires it, the form does not`);
  }
}

/** With nothing but the form's defaults, the spec holds the kind's own defaults. */
function sameDefaults(stepId, kind, spec) {
  const schema = jsonSchemaOf(common.resourceSpecSchemas[kind]);
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const given = spec[key];
    if (property.default === undefined || given === undefined || given === null)
      continue;
    if (JSON.stringify(given) !== JSON.stringify(property.default)) {
      fail(
        `step ${stepId} sends spec.${key} ${JSON.stringify(
          given,
        )} by default, the ` +
          `backend's default is ${JSON.stringify(property.default)}`,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------

function render(renderer, value, context) {
  return JSON.parse(JSON.stringify(value), (_key, v) =>
    typeof v === 'string' ? renderer.renderValue(v, context) : v,
  );
}

function fakeOutputs(action, kind, ready) {
  if (action.id === 'paas:deployment:create') {
    return ready
      ? {
          id: 'd-1',
          state: 'admitted',
          cluster: 'eu-central-general',
          url: '/paasport/organizations/acme-payments/deployments',
        }
      : {
          state: 'would-submit',
          url: '/paasport/organizations/acme-payments/deployments',
        };
  }
  if (!kind) {
    return Object.fromEntries(
      Object.keys(action.schema?.output?.properties ?? {}).map(key => [
        key,
        key === 'entityRef' ? 'group:default/acme-payments' : `${key}-value`,
      ]),
    );
  }
  const outputs = {};
  if (ready) {
    for (const key of providerOutputKeys(kind)) {
      outputs[key] = /url$/i.test(key)
        ? `https://example.com/${key}`
        : `${key}-value`;
    }
  }
  return {
    ...(ready ? { id: 'r-1' } : {}),
    externalName: ready ? 'acme-payments-checkout-orders' : '',
    phase: ready ? 'ready' : 'would-create',
    outputs,
    url: '/paasport/organizations/acme-payments/resources',
  };
}

async function main() {
  const actions = await registeredActions();
  const renderer = templateRenderer();
  const location = yaml.parse(fs.readFileSync(LOCATION, 'utf8'));
  const targets = location?.spec?.targets ?? [];
  const listed = new Set(targets.map(t => path.resolve(TEMPLATES, t)));
  for (const folder of fs.readdirSync(TEMPLATES)) {
    const file = path.join(TEMPLATES, folder, 'template.yaml');
    if (fs.existsSync(file) && !listed.has(file)) {
      where = 'all.yaml';
      fail(`${folder}/template.yaml is not listed in spec.targets`);
    }
  }
  const names = new Set();
  const checked = [];

  for (const target of targets) {
    where = target;
    const file = path.resolve(TEMPLATES, target);
    let template;
    try {
      const documents = yaml.parseAllDocuments(fs.readFileSync(file, 'utf8'));
      for (const document of documents) {
        if (document.errors.length) throw document.errors[0];
      }
      template = documents[0].toJS();
    } catch (error) {
      fail(`does not parse: ${error.message}`);
      continue;
    }
    if (
      template.apiVersion !== 'scaffolder.backstage.io/v1beta3' ||
      template.kind !== 'Template'
    ) {
      fail('is not a scaffolder.backstage.io/v1beta3 Template');
      continue;
    }
    try {
      await ENTITY_POLICY.enforce(template);
      await templateEntityV1beta3Validator.check(template);
    } catch (error) {
      fail(`the catalog would refuse it: ${error.message}`);
    }
    if (names.has(template.metadata?.name))
      fail(`the name ${template.metadata?.name} is taken`);
    names.add(template.metadata?.name);

    const pages = [template.spec.parameters ?? []].flat();
    const fields = new Map();
    pages.forEach((page, index) => {
      for (const [name, field] of collectProperties(page)) {
        if (fields.has(name)) fail(`field ${name} is on two pages`);
        fields.set(name, { ...field, page: index });
      }
      for (const name of page.required ?? []) {
        if (!page.properties?.[name])
          fail(`page "${page.title}" requires ${name}, which it does not have`);
      }
    });

    const sent = new Set();
    const steps = template.spec.steps ?? [];
    const seen = new Map();
    for (const step of steps) {
      const action = actions.get(step.action);
      if (!action) {
        fail(
          `step ${step.id} calls ${
            step.action
          }, which is not a registered action (${[...actions.keys()].join(
            ', ',
          )})`,
        );
      }
      if (seen.has(step.id)) fail(`step id ${step.id} is used twice`);
      const inputSchema = action?.schema?.input;
      for (const key of Object.keys(step.input ?? {})) {
        if (inputSchema && !inputSchema.properties?.[key]) {
          fail(
            `step ${step.id} passes ${key}, which ${step.action} does not take`,
          );
        }
      }
      for (const key of inputSchema?.required ?? []) {
        if (step.input?.[key] === undefined)
          fail(
            `step ${step.id} does not pass ${key}, which ${step.action} requires`,
          );
      }
      const backend = action && backendSchemaFor(action.id);
      for (const { at, value } of strings({ input: step.input, if: step.if })) {
        for (const expression of expressions(value)) {
          for (const name of parameterRefs(expression)) {
            sent.add(name);
            if (!fields.has(name))
              fail(
                `step ${step.id} uses parameters.${name}, which no page has`,
              );
          }
          for (const ref of stepRefs(expression)) {
            if (!seen.has(ref.step))
              fail(
                `step ${step.id} uses steps.${ref.step}, which does not run before it`,
              );
          }
        }
        const name = directField(value);
        if (backend && name && fields.has(name) && at[0] === 'input') {
          const leaf = backend.at(at.slice(1));
          // Inputs such as owner, wait and timeoutSeconds are the action's own.
          if (leaf) compareField(name, fields.get(name), leaf, at.slice(1));
          else if (at.length > 2)
            fail(
              `step ${step.id} sends ${at
                .slice(1)
                .join('.')}, which the backend does not take`,
            );
        }
      }
      seen.set(step.id, { action, kind: backend?.kind });
    }

    for (const { value } of strings(template.spec.output ?? {})) {
      for (const expression of expressions(value)) {
        for (const name of parameterRefs(expression)) {
          if (!fields.has(name))
            fail(`the output uses parameters.${name}, which no page has`);
        }
        for (const ref of stepRefs(expression)) {
          const step = seen.get(ref.step);
          if (!step) {
            fail(`the output uses steps.${ref.step}, which is not a step`);
            continue;
          }
          if (!step.action) continue; // reported with the step
          const declared = step.action.schema?.output?.properties ?? {};
          if (ref.key && !declared[ref.key]) {
            fail(
              `the output uses steps.${ref.step}.output.${ref.key}, which ${step.action?.id} does not output`,
            );
          }
          if (
            ref.key === 'outputs' &&
            ref.sub &&
            step.kind &&
            !providerOutputKeys(step.kind).has(ref.sub)
          ) {
            fail(
              `the output uses steps.${ref.step}.output.outputs.${ref.sub}, which the ${step.kind} provider does not report`,
            );
          }
        }
      }
    }

    for (const [name, field] of fields) {
      const options = field.schema['ui:options'] ?? {};
      for (const key of ['ownerField', 'organizationField', 'teamField']) {
        if (options[key] !== undefined && !fields.has(options[key])) {
          fail(
            `field ${name}: ui:options.${key} names ${options[key]}, which no page has`,
          );
        }
      }
      if (field.schema['ui:field'] === 'PaasResourceEstimate') {
        if (!common.RESOURCE_KINDS.includes(options.kind))
          fail(`field ${name}: ui:options.kind ${options.kind} is not a kind`);
        if (field.schema.type !== 'string')
          fail(`field ${name}: an estimate is typed string`);
        if (field.required)
          fail(`field ${name}: an estimate must not be required`);
        if (sent.has(name))
          fail(`field ${name}: an estimate must not be sent to an action`);
      }
    }

    for (const variant of ['minimal', 'full', 'longest']) {
      const parameters = Object.assign(
        {},
        ...pages.map(page => sampleValues(page, variant)),
      );
      const validator = new Validator();
      pages.forEach(page => {
        const result = validator.validate(parameters, page);
        for (const error of result.errors) {
          fail(
            `${variant} sample: page "${page.title}": ${error.property} ${error.message}`,
          );
        }
      });
      const context = {
        parameters,
        steps: {},
        user: { ref: 'user:default/guest', entity: {} },
        context: { task: { id: 'check' } },
      };
      for (const step of steps) {
        const { action, kind } = seen.get(step.id) ?? {};
        let input;
        try {
          input = render(
            renderer,
            step.input ?? {},
            renderer.prepareContext(context),
          );
        } catch (error) {
          fail(
            `${variant} sample: step ${step.id} does not render: ${error.message}`,
          );
          context.steps[step.id] = {
            output: fakeOutputs(action ?? {}, kind, variant !== 'minimal'),
          };
          continue;
        }
        if (VERBOSE) {
          console.log(
            `${target} ${variant} ${step.id}: ${JSON.stringify(input)}`,
          );
        }
        if (action) {
          const result = new Validator().validate(input, action.schema.input);
          for (const error of result.errors) {
            fail(
              `${variant} sample: step ${step.id}: ${error.property} ${error.message}`,
            );
          }
          try {
            if (kind) {
              const resolved =
                input.owner && !input.organization && !input.team
                  ? {
                      ...input,
                      organization: 'acme-payments',
                      team: 'checkout',
                    }
                  : input;
              parseResourceRequest(resolved, kind);
              if (variant === 'minimal')
                sameDefaults(step.id, kind, input.spec ?? {});
            } else if (action.id === 'paas:deployment:create') {
              parseDeploymentRequest(input);
            }
          } catch (error) {
            fail(
              `${variant} sample: step ${step.id}: ${
                error.message
              } (input ${JSON.stringify(input)})`,
            );
          }
        }
        context.steps[step.id] = {
          output: fakeOutputs(action ?? {}, kind, variant !== 'minimal'),
        };
      }
      if (steps.some(step => !actions.has(step.action))) continue;
      try {
        const output = render(
          renderer,
          template.spec.output ?? {},
          renderer.prepareContext(context),
        );
        if (VERBOSE) {
          console.log(
            `${target} ${variant} output: ${JSON.stringify(output, null, 2)}`,
          );
        }
        for (const link of output.links ?? []) {
          if (variant !== 'minimal' && !link.url && !link.entityRef) {
            fail(
              `${variant} sample: the output link "${link.title}" has neither url nor entityRef`,
            );
          }
        }
        for (const { value } of strings(output)) {
          if (/undefined|\$\{\{/.test(value))
            fail(
              `${variant} sample: the output renders as ${JSON.stringify(
                value,
              )}`,
            );
        }
      } catch (error) {
        fail(`${variant} sample: the output does not render: ${error.message}`);
      }
    }
    checked.push(`${target} (${steps.map(s => s.action).join(', ')})`);
  }

  console.log(
    `Checked ${checked.length} templates against ${actions.size} registered actions:`,
  );
  for (const line of checked) console.log(`  ${line}`);
  if (problems.length) {
    console.error(`\n${problems.length} problems:`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.log('No problems.');
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
