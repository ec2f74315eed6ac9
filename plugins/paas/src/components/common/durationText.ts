import { formatNumber } from '../QuotaBar/quotaUnits';

function plural(count: number, word: string): string {
  return `${formatNumber(count)} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * A length of time in rounded words: `less than a minute`, `4 minutes`, `2 hours`, `3 days`.
 * For estimates and ages, where the reader wants the order of magnitude.
 */
export function describeDuration(seconds: number): string {
  if (seconds < 60) {
    return 'less than a minute';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return plural(minutes, 'minute');
  }
  const hours = Math.round(seconds / 3600);
  if (hours < 24) {
    return plural(hours, 'hour');
  }
  return plural(Math.round(seconds / 86400), 'day');
}
