import { writeFile } from "node:fs/promises";
import path from "node:path";
import { type Service, startService } from "./processes";

/**
 * The fastest a Node process can answer with the studio page: a bare `http` server that
 * returns the page's HTML bytes from memory, in a child process of its own (like `next
 * start`), so it and the load generator do not share an event loop.
 */
const SERVER = `
const http = require("node:http");
const fs = require("node:fs");
const [file, port] = process.argv.slice(1);
const body = fs.readFileSync(file);
http
  .createServer((req, res) => {
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "content-length": body.length,
      "cache-control": "s-maxage=3600, stale-while-revalidate",
    });
    res.end(body);
  })
  .listen(Number(port), "127.0.0.1");
`;

export async function startNodeCeiling(dir: string, html: Buffer, port: number): Promise<Service> {
  const file = path.join(dir, "studio.html");
  await writeFile(file, html);
  return startService("node ceiling server", process.execPath, ["-e", SERVER, file, String(port)], {
    logFile: path.join(dir, "node-ceiling.log"),
  });
}
