// Print the API schema of supergraphs as @apollo/federation-internals derives it, in one Node
// process: `node api_schema.mjs a.graphql [b.graphql ...]` -> JSON
// {"<path>": {"schema": "<SDL>"} | {"error": "<message>"}}, each schema being
// `Supergraph.build(sdl).apiSchema()` turned into a graphql-js schema and printed with graphql-js
// `printSchema` (what introspection shows: no directive applications but @deprecated and
// @specifiedBy).
import { readFileSync } from "node:fs";
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from "@apollo/federation-internals";
import { printSchema } from "graphql";

const apiSchema = (path) => {
  try {
    // Every feature the router knows is accepted: which ones a gateway can execute does not
    // change the API schema.
    const supergraph = Supergraph.build(readFileSync(path, "utf8"), {
      supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
    });
    return { schema: printSchema(supergraph.apiSchema().toGraphQLJSSchema()) + "\n" };
  } catch (error) {
    return { error: `${error?.message ?? error}` };
  }
};

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write("usage: node api_schema.mjs <supergraph.graphql> [...]\n");
  process.exit(2);
}
const output = {};
for (const path of paths) output[path] = apiSchema(path);
process.stdout.write(JSON.stringify(output) + "\n");
