import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temporary directory for each test of the calling `describe`. */
export interface TempDirectory {
  /** The current test's directory. */
  readonly path: string;
  resolve(...segments: string[]): string;
}

/**
 * Creates a new directory before each test and removes it after each, CI or not.
 * (Backstage's `createMockDirectory` keeps its directories when `CI` is set.)
 */
export function useTempDirectory(): TempDirectory {
  let current: string | undefined;

  beforeEach(async () => {
    current = await fs.promises.mkdtemp(
      path.join(os.tmpdir(), 'paasport-kubernetes-test-'),
    );
  });

  afterEach(async () => {
    if (current) {
      await fs.promises.rm(current, { recursive: true, force: true });
      current = undefined;
    }
  });

  const root = () => {
    if (!current) {
      throw new Error('The temporary directory exists only while a test runs');
    }
    return current;
  };

  return {
    get path() {
      return root();
    },
    resolve: (...segments) => path.join(root(), ...segments),
  };
}
