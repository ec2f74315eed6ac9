import { paasApiRef } from './api';
import { paasPlugin } from './plugin';
import { rootRouteRef } from './routes';

describe('paasPlugin (legacy frontend system)', () => {
  it('has the paas id, the page route and the API factory', () => {
    expect(paasPlugin.getId()).toBe('paas');
    expect(paasPlugin.routes.root).toBe(rootRouteRef);
    const apiIds = Array.from(paasPlugin.getApis()).map(
      factory => factory.api.id,
    );
    expect(apiIds).toEqual([paasApiRef.id]);
  });
});
