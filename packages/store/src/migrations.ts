import { fileURLToPath } from 'node:url';

/** drizzle-kit output committed with the package; resolved from this file, never from cwd. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
