/** Entity refs compare case-insensitively; rows keep them lower-cased so SQL can compare. */
export function normalizeUserRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
