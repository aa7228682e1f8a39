// Check that @apollo/gateway accepts a supergraph: `node load_supergraph.mjs path/to/supergraph.graphql`.
// Builds the gateway from the SDL (no subgraph is called) and prints the API schema; exit 1 on error.
import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import { printSchema } from "graphql";

const main = async () => {
  const path = process.argv[2];
  if (!path) throw new Error("usage: node load_supergraph.mjs <supergraph.graphql>");
  const supergraphSdl = readFileSync(path, "utf8");
  const gateway = new ApolloGateway({ supergraphSdl, logger: { debug() {}, info() {}, warn() {}, error() {} } });
  const { schema } = await gateway.load();
  process.stdout.write(printSchema(schema) + "\n");
  await gateway.stop();
};

main().catch((error) => {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exit(1);
});
