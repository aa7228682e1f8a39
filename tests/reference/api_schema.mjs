// Print the API schema of a supergraph as @apollo/federation-internals derives it:
// `node api_schema.mjs path/to/supergraph.graphql` -> `Supergraph.build(sdl).apiSchema()`, turned
// into a graphql-js schema and printed with graphql-js `printSchema` (what introspection shows:
// no directive applications but @deprecated and @specifiedBy). Exit 1 with the error on stderr.
import { readFileSync } from "node:fs";
import { ROUTER_SUPPORTED_SUPERGRAPH_FEATURES, Supergraph } from "@apollo/federation-internals";
import { printSchema } from "graphql";

const main = () => {
  const path = process.argv[2];
  if (!path) throw new Error("usage: node api_schema.mjs <supergraph.graphql>");
  // Every feature the router knows is accepted: which ones a gateway can execute does not change
  // the API schema.
  const supergraph = Supergraph.build(readFileSync(path, "utf8"), {
    supportedFeatures: ROUTER_SUPPORTED_SUPERGRAPH_FEATURES,
  });
  process.stdout.write(printSchema(supergraph.apiSchema().toGraphQLJSSchema()) + "\n");
};

try {
  main();
} catch (error) {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exit(1);
}
