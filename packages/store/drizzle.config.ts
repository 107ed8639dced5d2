import { defineConfig } from 'drizzle-kit';

// Run `npx drizzle-kit generate` in packages/store after editing src/schema.ts;
// commit the generated files under drizzle/.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
});
