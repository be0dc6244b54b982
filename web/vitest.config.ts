import { defineConfig } from 'vitest/config';

// Unit tests of the web app's pure logic (tree building, error parsing, file names).
// Run: npx vitest run -c web/vitest.config.ts
export default defineConfig({
  root: import.meta.dirname,
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
