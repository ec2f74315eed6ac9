import type { ResourceCondition } from '@paasport/plugin-paas-common';
import { describeCondition } from './resourceText';

/** Conditions as a plain list, each with its status in words and its message. */
export const ResourceConditionList = (props: {
  conditions: ResourceCondition[];
}) => (
  <ul style={{ margin: 0, paddingLeft: 16 }}>
    {props.conditions.map(condition => (
      <li key={condition.type}>{describeCondition(condition)}</li>
    ))}
  </ul>
);
