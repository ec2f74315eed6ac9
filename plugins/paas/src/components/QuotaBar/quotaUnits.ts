import { RESOURCE_KINDS } from '@paasport/plugin-paas-common';
import {
  resourceKindName,
  resourceKindPluralName,
} from '../common/resourceKindNames';

/** How a quota dimension reads to a person, and how its amounts convert to and from input. */
export interface DimensionUnit {
  /** What is counted, e.g. `CPU`, `Memory`, `S3 buckets`. */
  label: string;
  /** The unit a person types a limit in, e.g. `cores`, `GiB`, `per month`. */
  inputUnit: string;
  /** Whether the input must be a whole number. */
  wholeInput: boolean;
  /** From the stored amount (millicores, MiB, ...) to the input unit. */
  toInput(amount: number): number;
  /** From the input unit to the stored amount, rounded to what the backend keeps. */
  fromInput(value: number): number;
  /** A stored amount with its unit, e.g. `16 cores`, `256 GiB`, `20 S3 buckets`. */
  format(amount: number): string;
}

/** A number in the reader's locale with at most `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return new Intl.NumberFormat(undefined, {
    maximumFractionDigits: digits,
  }).format(value);
}

function plural(amount: number, singular: string, many: string): string {
  return `${formatNumber(amount)} ${amount === 1 ? singular : many}`;
}

function counted(label: string, singular: string, many: string): DimensionUnit {
  return {
    label,
    inputUnit: many,
    wholeInput: true,
    toInput: amount => amount,
    fromInput: value => Math.round(value),
    format: amount => plural(amount, singular, many),
  };
}

/** How to show and edit amounts of a dimension such as `cpu-millicores` or `count/aws:s3-bucket`. */
export function describeDimension(dimension: string): DimensionUnit {
  if (dimension === 'cpu-millicores') {
    return {
      label: 'CPU',
      inputUnit: 'cores',
      wholeInput: false,
      toInput: amount => amount / 1000,
      fromInput: value => Math.round(value * 1000),
      format: amount => {
        const cores = amount / 1000;
        return `${formatNumber(cores, 3)} ${cores === 1 ? 'core' : 'cores'}`;
      },
    };
  }
  if (dimension === 'memory-mib') {
    return {
      label: 'Memory',
      inputUnit: 'GiB',
      wholeInput: false,
      toInput: amount => amount / 1024,
      fromInput: value => Math.round(value * 1024),
      format: amount =>
        amount > 0 && amount < 1024
          ? `${formatNumber(amount)} MiB`
          : `${formatNumber(amount / 1024, 2)} GiB`,
    };
  }
  if (dimension === 'gpus') {
    return counted('GPUs (any type)', 'GPU', 'GPUs');
  }
  if (dimension.startsWith('gpus/')) {
    return counted(`GPUs: ${dimension.slice('gpus/'.length)}`, 'GPU', 'GPUs');
  }
  if (dimension.startsWith('count/')) {
    const kind = dimension.slice('count/'.length);
    const many = resourceKindPluralName(kind);
    return counted(many, resourceKindName(kind), many);
  }
  if (dimension === 'budget-monthly') {
    return {
      label: 'Monthly budget',
      inputUnit: 'per month',
      wholeInput: true,
      toInput: amount => amount,
      fromInput: value => Math.round(value),
      format: amount => `${formatNumber(amount)} per month`,
    };
  }
  return {
    label: dimension,
    inputUnit: '',
    wholeInput: true,
    toInput: amount => amount,
    fromInput: value => Math.round(value),
    format: amount => formatNumber(amount),
  };
}

/** Dimensions offered when setting a new limit, in the order a platform team thinks of them. */
export const COMMON_DIMENSIONS: string[] = [
  'cpu-millicores',
  'memory-mib',
  'gpus',
  ...RESOURCE_KINDS.map(kind => `count/${kind}`),
  'budget-monthly',
];

/** Orders lines as {@link COMMON_DIMENSIONS}, then typed GPUs and anything else by name. */
export function compareDimensions(a: string, b: string): number {
  const rank = (dimension: string) => {
    const index = COMMON_DIMENSIONS.indexOf(dimension);
    if (index >= 0) {
      return index;
    }
    return dimension.startsWith('gpus/') ? 2.5 : COMMON_DIMENSIONS.length;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

/**
 * Reads an amount typed into a form: a non-negative number, whole when the unit has no
 * fractions; undefined when the text is empty or not such a number.
 */
export function parseAmount(text: string, whole: boolean): number | undefined {
  if (!text.trim()) {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    return undefined;
  }
  if (whole && !Number.isInteger(value)) {
    return undefined;
  }
  return value;
}
