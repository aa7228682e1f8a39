// Check that @apollo/gateway accepts supergraphs, in one Node process:
// `node load_supergraph.mjs a.graphql [b.graphql ...]` builds a gateway from each SDL (no subgraph
// is called) and prints JSON {"<path>": {"schema": "<API schema>"} | {"error": "<message>"}}.
import { readFileSync } from "node:fs";
import { ApolloGateway } from "@apollo/gateway";
import { printSchema } from "graphql";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

const loadOne = async (path) => {
  try {
    const gateway = new ApolloGateway({ supergraphSdl: readFileSync(path, "utf8"), logger: quiet });
    const { schema } = await gateway.load();
    await gateway.stop();
    return { schema: printSchema(schema) + "\n" };
  } catch (error) {
    return { error: `${error?.message ?? error}` };
  }
};

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write("usage: node load_supergraph.mjs <supergraph.graphql> [...]\n");
  process.exit(2);
}
const output = {};
for (const path of paths) output[path] = await loadOne(path);
process.stdout.write(JSON.stringify(output) + "\n");
