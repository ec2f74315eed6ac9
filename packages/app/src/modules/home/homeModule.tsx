import {
  createFrontendModule,
  useRouteRef,
} from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import paasPlugin from '@paasport/plugin-paas/alpha';

type Links = { paasport: string; catalog: string; create: string };

const welcomeMarkdown = (links: Links) => `
## Welcome to Paasport

Paasport is the self-service platform of this portal: ask for infrastructure, deploy
workloads and see what your team runs and what it costs, within the quotas and policies
your platform team sets.

### Developers

- **Provision something** from a [template](${links.create}): an S3 bucket, a Kubernetes
  namespace, a deployment. You see the monthly estimate and the quota left before you
  submit, and the result lands in the catalog, owned by your team.
- **Find what exists** in the [Software Catalog](${links.catalog}): components, the
  resources they depend on, and who owns them.

### Platform teams

- **Govern tenants** on the [Paasport page](${links.paasport}): create organizations, or
  adopt existing catalog groups, and check that the backend and its providers are healthy.
- Policies (approvals, environments, budgets) live in \`app-config.yaml\` and apply to every
  request that goes through the templates.

### Team leads

- **Open your group's page** in the [catalog](${links.catalog}) to see the Paasport
  organization behind it and everything your team owns.
`;

/** Welcome text whose links follow wherever the app mounts the pages. */
export const PaasportWelcome = () => {
  const paasport = useRouteRef(paasPlugin.routes.root)?.() ?? '/paasport';
  const catalog =
    useRouteRef(catalogPlugin.routes.catalogIndex)?.() ?? '/catalog';
  const create = useRouteRef(scaffolderPlugin.routes.root)?.() ?? '/create';
  return (
    <MarkdownContent content={welcomeMarkdown({ paasport, catalog, create })} />
  );
};

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting started with Paasport',
    description:
      'What Paasport does for developers, platform teams and team leads',
    components: async () => ({
      Content: PaasportWelcome,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
