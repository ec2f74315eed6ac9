import { Config } from '@backstage/config';
import {
  CapacityRates,
  DEFAULT_CAPACITY_RATES,
} from '@paasport/plugin-paas-common';

/** Reads `paas.costs.rates`; each rate left out keeps its default. */
export function readCapacityRates(config: Config): CapacityRates {
  const rates = { ...DEFAULT_CAPACITY_RATES };
  for (const key of Object.keys(rates) as Array<keyof CapacityRates>) {
    const value = config.getOptionalNumber(`paas.costs.rates.${key}`);
    if (value !== undefined) {
      if (!(value >= 0)) {
        throw new Error(
          `paas.costs.rates.${key} must be a number of at least 0`,
        );
      }
      rates[key] = value;
    }
  }
  return rates;
}
