import { ConflictError, NotFoundError } from '@backstage/errors';
import { ResourceKind } from '@paasport/plugin-paas-common';
import { PaasResourceProvider } from '@paasport/plugin-paas-node';

/** The providers modules added, by the kind each handles. */
export class ProviderRegistry {
  private readonly byKind = new Map<ResourceKind, PaasResourceProvider>();

  add(...providers: PaasResourceProvider[]): void {
    for (const provider of providers) {
      for (const kind of provider.kinds) {
        const existing = this.byKind.get(kind);
        if (existing) {
          throw new ConflictError(
            `Providers '${existing.id}' and '${provider.id}' both handle ${kind}; install only one`,
          );
        }
        this.byKind.set(kind, provider);
      }
    }
  }

  get(kind: ResourceKind): PaasResourceProvider {
    const provider = this.byKind.get(kind);
    if (!provider) {
      throw new NotFoundError(`No provider is installed for ${kind}`);
    }
    return provider;
  }

  kinds(): ResourceKind[] {
    return [...this.byKind.keys()].sort();
  }
}
