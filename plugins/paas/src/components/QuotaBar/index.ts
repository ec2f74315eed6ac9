export { QuotaBar } from './QuotaBar';
export type { QuotaBarProps } from './QuotaBar';
export {
  parseAmount,
  COMMON_DIMENSIONS,
  compareDimensions,
  describeDimension,
  formatNumber,
} from './quotaUnits';
export type { DimensionUnit } from './quotaUnits';
