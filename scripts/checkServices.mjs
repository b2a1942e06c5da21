// Checks that Postgres and Redis answer, naming exactly what is missing and how to start it.
import Redis from "ioredis";
import postgres from "postgres";

const pgUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let ok = true;

const sql = postgres(pgUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
try {
  const [{ server_version: version }] = await sql`show server_version`;
  console.info(`postgres ${version} at ${pgUrl}`);
} catch (error) {
  ok = false;
  console.error(
    `Postgres is not reachable at ${pgUrl}: ${error.message}\n` +
      "  start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n" +
      "  or point TEST_DATABASE_ADMIN_URL at a server where this user may create databases.",
  );
} finally {
  await sql.end({ timeout: 1 });
}

const redis = new Redis(redisUrl, {
  lazyConnect: true,
  maxRetriesPerRequest: 0,
  connectTimeout: 3000,
  retryStrategy: () => null,
});
redis.on("error", () => {});
try {
  await redis.connect();
  await redis.ping();
  console.info(`redis at ${redisUrl}`);
} catch (error) {
  ok = false;
  console.error(
    `Redis is not reachable at ${redisUrl}: ${error.message}\n` +
      '  start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n' +
      "  or set REDIS_URL.",
  );
} finally {
  redis.disconnect();
}
process.exit(ok ? 0 : 1);
