import {
  LifecycleService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { createClient } from '@redis/client';
import { Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

const STORE_KEY = 'backend.rateLimit.store';

/**
 * The store for Paasport's rate limits, read from `backend.rateLimit.store` the way
 * Backstage's own rate limiter reads it (its factory is not exported). `redis` shares the
 * counts between replicas and keeps them across restarts; `memory`, or no store, leaves
 * `undefined`: express-rate-limit then counts in each replica's memory.
 */
export function createRateLimitStore(options: {
  config: RootConfigService;
  lifecycle: LifecycleService;
  logger: LoggerService;
  /** Prepended to every key, so each limit counts apart from the others. */
  prefix: string;
}): Store | undefined {
  const { config, lifecycle, logger, prefix } = options;
  const store = config.getOptionalConfig(STORE_KEY);
  const type = store?.getString('type') ?? 'memory';
  if (!store || type === 'memory') {
    return undefined;
  }
  if (type !== 'redis') {
    throw new Error(
      `Invalid config at '${STORE_KEY}.type': must be 'memory' or 'redis', not '${type}'`,
    );
  }

  const client = createClient({ url: store.getString('connection') });
  client.on('error', error =>
    logger.warn(`Rate limit store: Redis connection failed: ${error}`),
  );
  // Commands sent before the connection is up wait in the client's queue.
  client
    .connect()
    .catch(error =>
      logger.error(`Rate limit store: cannot connect to Redis: ${error}`),
    );
  lifecycle.addShutdownHook(async () => {
    if (client.isOpen) {
      await client.quit();
    }
  });

  return new RedisStore({
    prefix,
    sendCommand: (...args: string[]) => client.sendCommand(args),
  });
}
