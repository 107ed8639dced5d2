/** Hono context variables shared by middleware and routes. */
import type { ApiScope } from '@verdict/store';
import type { Deadline } from './deadline.ts';

export interface Caller {
  keyId: string;
  name: string;
  scopes: ApiScope[];
}

export interface AppEnv {
  Variables: {
    requestId: string;
    caller: Caller | null;
    /** The request's deadline (absent on routes without one, such as the event stream). */
    deadline?: Deadline;
  };
}
