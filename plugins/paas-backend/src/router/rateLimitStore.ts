import {
  LifecycleService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { createClient } from '@redis/client';
import { once } from 'node:events';
import { Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';

const STORE_KEY = 'backend.rateLimit.store';
const CONNECT_WAIT_MS = 2000;

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

  // Without the offline queue a command fails at once while Redis is down, so limited
  // routes answer 500 (fail closed) instead of hanging until it is back.
  const client = createClient({
    url: store.getString('connection'),
    disableOfflineQueue: true,
  });
  let down = false;
  client.on('error', error => {
    if (!down) {
      down = true;
      logger.warn(
        `Rate limit store: Redis is unreachable, rate-limited requests fail until it is back: ${error}`,
      );
    }
  });
  client.on('ready', () => {
    if (down) {
      down = false;
      logger.info('Rate limit store: Redis is reachable again');
    }
  });
  client.connect().catch(() => {});
  lifecycle.addShutdownHook(async () => {
    if (client.isReady) {
      await client.quit();
    } else if (client.isOpen) {
      await client.disconnect();
    }
  });

  // A replica that has just started is still connecting: wait for that (briefly), so its
  // first requests are counted rather than refused. Once Redis has failed, fail at once.
  const connected = async (): Promise<void> => {
    if (client.isReady) {
      return;
    }
    if (down) {
      throw new Error('Redis rate limit store is unreachable');
    }
    try {
      // Rejects on the client's next error too, as events.once does for 'error'.
      await once(client, 'ready', {
        signal: AbortSignal.timeout(CONNECT_WAIT_MS),
      });
    } catch (error) {
      throw new Error(
        `Redis rate limit store did not connect: ${(error as Error).message}`,
      );
    }
  };

  const redisStore = new RedisStore({
    prefix,
    sendCommand: async (...args: string[]) => {
      await connected();
      return client.sendCommand(args);
    },
  });
  // The store loads its scripts at once, before the connection is up; a failed load is
  // retried on the first request, so only keep the early failure from going unhandled.
  redisStore.incrementScriptSha.catch(() => {});
  redisStore.getScriptSha.catch(() => {});
  return redisStore;
}
