import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Race tests open pools of up to ~100 connections each to make every racer hold a
 * transaction at once; Postgres allows 100 by default. They run after everything else, one
 * file at a time, so they never starve each other or the rest of the suite.
 */
const RACES = "tests/**/*Concurrency.test.ts";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    // One template database migrated once; each worker clones its own from it.
    globalSetup: ["tests/setup/globalSetup.ts"],
    setupFiles: ["tests/setup/workerDatabase.ts"],
    // next-auth's ESM imports "next/server" without an extension, which only a bundler
    // resolves: let Vite process it, so tests can drive the real Auth.js route.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "main", include: ["tests/**/*.test.ts"], exclude: [RACES] },
      },
      {
        extends: true,
        test: {
          name: "races",
          include: [RACES],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
