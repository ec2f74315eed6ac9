import { createHash, randomBytes } from 'node:crypto';

/** Marks Paasport invite codes, so secret scanners and people can tell what they are. */
const PREFIX = 'pp_';

/** A new invite code: `pp_` and 192 random bits, URL-safe. Show it once; store its hash. */
export function generateInviteCode(): string {
  return `${PREFIX}${randomBytes(24).toString('base64url')}`;
}

/**
 * The hex SHA-256 that is stored and looked up instead of the code. Codes carry enough entropy
 * that an unsalted fast hash is safe; surrounding whitespace from copy and paste is ignored.
 */
export function hashInviteCode(code: string): string {
  return createHash('sha256').update(code.trim(), 'utf8').digest('hex');
}
