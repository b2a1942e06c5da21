import type { NextConfig } from "next";
import { securityHeaders } from "./server/security/securityHeaders";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // Native or WASM packages that must be loaded by Node at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "argon2", "ioredis", "postgres"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: securityHeaders({ development: process.env.NODE_ENV !== "production" }),
      },
    ];
  },
};

export default nextConfig;
