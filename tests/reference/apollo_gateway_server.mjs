// Serve a supergraph with @apollo/gateway behind @apollo/server, for the federation scenario tests.
//   node apollo_gateway_server.mjs SUPERGRAPH PORT '{"graph": "http://127.0.0.1:1234/graphql"}' ['{"timeoutMs": 2000}']
// POST /graphql: the gateway. GET /health: 200 once the gateway has loaded.
// The third argument overrides subgraph URLs by graph name (as in join__graph(name:)).
// Errors are returned as @apollo/gateway produced them: Apollo Server's own additions
// (a default extensions.code INTERNAL_SERVER_ERROR, stack traces) are left out.
import { readFileSync } from "node:fs";
import http from "node:http";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";

const [supergraphPath, portArg, overridesArg = "{}", optionsArg = "{}"] = process.argv.slice(2);
if (!supergraphPath || !portArg) {
  process.stderr.write("usage: node apollo_gateway_server.mjs SUPERGRAPH PORT [URL_OVERRIDES_JSON] [OPTIONS_JSON]\n");
  process.exit(2);
}
const overrides = JSON.parse(overridesArg);
const options = JSON.parse(optionsArg);
const timeoutMs = options.timeoutMs ?? 10000;

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(supergraphPath, "utf8"),
  logger: quiet,
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({
      url: overrides[name] ?? url,
      fetcher: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    }),
});

const server = new ApolloServer({
  gateway,
  logger: quiet,
  csrfPrevention: false,
  includeStacktraceInErrorResponses: false,
  formatError: (formatted, error) => {
    const original = unwrapResolverError(error);
    const extensions = { ...(original?.extensions ?? {}) };
    const result = { message: formatted.message };
    if (formatted.locations) result.locations = formatted.locations;
    if (formatted.path) result.path = formatted.path;
    if (Object.keys(extensions).length === 0 && formatted.extensions?.code && formatted.extensions.code !== "INTERNAL_SERVER_ERROR") {
      // Request errors (parse, validation, bad input) carry their code only on the formatted error.
      extensions.code = formatted.extensions.code;
    }
    if (Object.keys(extensions).length > 0) result.extensions = extensions;
    return result;
  },
});
await server.start();

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

const httpServer = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
      return;
    }
    if (url.pathname !== "/graphql") {
      res.writeHead(404);
      res.end();
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const raw = await readBody(req);
    const body = raw && headers.get("content-type")?.includes("json") ? JSON.parse(raw) : raw;
    const result = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: url.search, body },
      context: async () => ({}),
    });
    const outHeaders = {};
    for (const [key, value] of result.headers) outHeaders[key] = value;
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === "complete") {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error?.stack ?? error));
  }
});
httpServer.listen(Number(portArg), "127.0.0.1");

const shutdown = async () => {
  httpServer.close();
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
