import { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import express from 'express';

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
};

/** Every route a plugin serves, as `METHOD /path`, read from its express router stacks. */
export async function routesOf(plugin: BackendFeature): Promise<string[]> {
  const routers: express.Handler[] = [];
  const backend = await startTestBackend({
    features: [
      plugin,
      mockServices.httpRouter.mock({
        use: handler => void routers.push(handler),
      }).factory,
    ],
  });
  await backend.stop();
  return routers.flatMap(router => routesIn(router as { stack?: Layer[] }));
}

function routesIn(router: { stack?: Layer[] }): string[] {
  return (router.stack ?? []).flatMap(layer => {
    if (layer.route) {
      const { path, methods } = layer.route;
      return Object.keys(methods)
        .filter(method => method !== '_all')
        .map(method => `${method.toUpperCase()} ${path}`);
    }
    return layer.handle?.stack ? routesIn(layer.handle) : [];
  });
}
