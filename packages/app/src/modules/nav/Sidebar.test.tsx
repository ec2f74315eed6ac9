import { renderTestApp } from '@backstage/frontend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import paasPlugin from '@paasport/plugin-paas/alpha';
import { screen, within } from '@testing-library/react';
import { navModule } from '.';

describe('SidebarContent', () => {
  it('links to the Paasport page', async () => {
    renderTestApp({
      // the sidebar shows the notifications item, which needs that plugin's API
      features: [navModule, notificationsPlugin, paasPlugin],
      config: { backend: { baseUrl: 'http://localhost:7007' } },
    });

    const sidebar = await screen.findByRole('navigation', {
      name: 'sidebar nav',
    });
    expect(
      within(sidebar).getByRole('link', { name: 'Paasport' }),
    ).toHaveAttribute('href', '/paasport');
  });
});
