import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * Who did something: a link to the user's catalog page for users; service principals
 * (`plugin:scaffolder`) and `anonymous` are shown as they are.
 */
export const PrincipalLink = (props: { principal: string }) => {
  const { principal } = props;
  if (!/^user:/i.test(principal)) {
    return <>{principal}</>;
  }
  return <EntityRefLink entityRef={principal} defaultKind="user" />;
};
