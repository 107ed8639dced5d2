/** Hono context variables shared by middleware and routes. */
import type { ApiScope } from '@verdict/store';

export interface Caller {
  keyId: string;
  name: string;
  scopes: ApiScope[];
}

export interface AppEnv {
  Variables: {
    requestId: string;
    caller: Caller | null;
  };
}
