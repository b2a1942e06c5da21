import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    // One template database migrated once; each worker clones its own from it.
    globalSetup: ["tests/setup/globalSetup.ts"],
    setupFiles: ["tests/setup/workerDatabase.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
