// Compose subgraphs with @apollo/composition: JSON [{name, url, sdl}] on stdin -> supergraph SDL on stdout.
// On composition errors prints {"errors": [{code, message}]} as JSON and exits 1.
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
};

const fail = (errors) => {
  process.stdout.write(JSON.stringify({ errors }, null, 2) + "\n");
  process.exit(1);
};

const main = async () => {
  const input = JSON.parse(await readStdin());
  const services = [];
  for (const { name, url, sdl } of input) {
    try {
      services.push({ name, url, typeDefs: parse(sdl) });
    } catch (error) {
      fail([{ code: "INVALID_GRAPHQL", message: `[${name}] ${error.message}` }]);
    }
  }
  const result = composeServices(services);
  if (result.errors && result.errors.length > 0) {
    fail(result.errors.map((e) => ({ code: e.extensions?.code ?? null, message: e.message })));
  }
  process.stdout.write(result.supergraphSdl);
  if (!result.supergraphSdl.endsWith("\n")) process.stdout.write("\n");
};

main().catch((error) => fail([{ code: "INTERNAL", message: String(error?.stack ?? error) }]));
