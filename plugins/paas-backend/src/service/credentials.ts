import { BackstageCredentials } from '@backstage/backend-plugin-api';

/** The entity ref of whoever holds these credentials, for `created_by` columns and audit. */
export function principalRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' };
  switch (principal.type) {
    case 'user':
      return principal.userEntityRef;
    case 'service':
      return principal.subject;
    default:
      return 'anonymous';
  }
}
