import { renderInTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import paasPlugin from '@paasport/plugin-paas/alpha';
import { screen } from '@testing-library/react';
import { PaasportWelcome } from './homeModule';

describe('PaasportWelcome', () => {
  it('links to the pages where the app mounts them', async () => {
    renderInTestApp(<PaasportWelcome />, {
      mountedRoutes: {
        '/paasport': paasPlugin.routes.root,
        // app-config.yaml moves the catalog to the root path
        '/': catalogPlugin.routes.catalogIndex,
        '/create': scaffolderPlugin.routes.root,
      },
    });

    expect(
      await screen.findByRole('heading', { name: 'Welcome to Paasport' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Paasport page' })).toHaveAttribute(
      'href',
      '/paasport',
    );
    expect(
      screen.getByRole('link', { name: 'Software Catalog' }),
    ).toHaveAttribute('href', '/');
    expect(screen.getByRole('link', { name: 'template' })).toHaveAttribute(
      'href',
      '/create',
    );
  });

  it('falls back to the default paths when a page is not installed', async () => {
    renderInTestApp(<PaasportWelcome />);

    expect(
      await screen.findByRole('link', { name: 'Paasport page' }),
    ).toHaveAttribute('href', '/paasport');
    expect(
      screen.getByRole('link', { name: 'Software Catalog' }),
    ).toHaveAttribute('href', '/catalog');
  });
});
