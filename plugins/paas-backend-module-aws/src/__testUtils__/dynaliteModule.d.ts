// dynalite ships no types; this covers the part the tests use.
declare module 'dynalite' {
  import { Server } from 'http';

  interface DynaliteOptions {
    /** How long new tables stay CREATING, in milliseconds (default 500). */
    createTableMs?: number;
    /** How long deleted tables stay DELETING, in milliseconds (default 500). */
    deleteTableMs?: number;
    updateTableMs?: number;
    /** LevelDB directory; in memory when unset. */
    path?: string;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
