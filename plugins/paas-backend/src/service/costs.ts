import { Config } from '@backstage/config';
import {
  CapacityRates,
  DEFAULT_CAPACITY_RATES,
  DEFAULT_RESOURCE_RATES,
  isResourceKind,
  RESOURCE_KINDS,
  ResourceRates,
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

/** Reads `paas.costs.resources`; each kind left out keeps its default estimate. */
export function readResourceRates(config: Config): ResourceRates {
  const rates = { ...DEFAULT_RESOURCE_RATES };
  const configured = config.getOptionalConfig('paas.costs.resources');
  for (const kind of configured?.keys() ?? []) {
    if (!isResourceKind(kind)) {
      throw new Error(
        `paas.costs.resources has an unknown kind '${kind}'; known are ${RESOURCE_KINDS.join(
          ', ',
        )}`,
      );
    }
    const value = configured!.getNumber(kind);
    if (!(value >= 0) || !Number.isInteger(value)) {
      throw new Error(
        `paas.costs.resources.${kind} must be a whole number of at least 0`,
      );
    }
    rates[kind] = value;
  }
  return rates;
}
