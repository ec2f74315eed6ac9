import useInterval from 'react-use/esm/useInterval';

/** How often a tab reloads while something it shows is still changing on its own. */
export const RELOAD_INTERVAL_MS = 10_000;

/** Calls `reload` every {@link RELOAD_INTERVAL_MS} while `changing` holds, and not after unmount. */
export function useReloadWhile(changing: boolean, reload: () => void): void {
  useInterval(reload, changing ? RELOAD_INTERVAL_MS : null);
}
