// Serve a supergraph with @graphql-hive/gateway (its JS query planner), the second reference of
// the federation scenarios: where @apollo/gateway is known to be wrong (an operation's
// `reference="hive"`), the expected answer is recorded from this gateway instead.
//   node hive_gateway_server.mjs SUPERGRAPH PORT '{"graph": "http://127.0.0.1:1234/graphql"}'
// POST /graphql: the gateway. GET /health: 200 once the gateway has loaded the supergraph.
// The third argument overrides subgraph URLs by graph name (as in join__graph(name:)).
import { readFileSync } from "node:fs";
import http from "node:http";
import { createGatewayRuntime } from "@graphql-hive/gateway";

const [supergraphPath, portArg, overridesArg = "{}"] = process.argv.slice(2);
if (!supergraphPath || !portArg) {
  process.stderr.write("usage: node hive_gateway_server.mjs SUPERGRAPH PORT [URL_OVERRIDES_JSON]\n");
  process.exit(2);
}
const overrides = JSON.parse(overridesArg);
let supergraph = readFileSync(supergraphPath, "utf8");
for (const [name, url] of Object.entries(overrides)) {
  const graph = new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]*(")`);
  supergraph = supergraph.replace(graph, `$1${url}$2`);
}

const gateway = createGatewayRuntime({
  supergraph,
  logging: false,
  maskedErrors: false,
  graphqlEndpoint: "/graphql",
});

// Load the supergraph before answering /health.
await gateway.fetch("http://localhost/graphql", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: "{ __typename }" }),
});

const httpServer = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname === "/health") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  gateway(req, res);
});
httpServer.listen(Number(portArg), "127.0.0.1");

const shutdown = async () => {
  httpServer.close();
  await gateway.dispose();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
