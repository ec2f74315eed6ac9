import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';

/** Who is asking, and the HTTP request it came in on when there is one (for audit). */
export interface CallContext {
  credentials: BackstageCredentials;
  request?: Request;
}
