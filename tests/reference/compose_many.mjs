// Compose several supergraphs in one Node process (faster than one compose.mjs run each):
// JSON {"<name>": [{name, url, sdl}, ...], ...} on stdin ->
// JSON {"<name>": {"supergraphSdl": "..."} | {"errors": [{code, message}]}} on stdout.
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const readStdin = async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
};

const composeOne = (subgraphs) => {
  const services = [];
  for (const { name, url, sdl } of subgraphs) {
    try {
      services.push({ name, url, typeDefs: parse(sdl) });
    } catch (error) {
      return { errors: [{ code: "INVALID_GRAPHQL", message: `[${name}] ${error.message}` }] };
    }
  }
  const result = composeServices(services);
  if (result.errors && result.errors.length > 0) {
    return { errors: result.errors.map((e) => ({ code: e.extensions?.code ?? null, message: e.message })) };
  }
  const sdl = result.supergraphSdl.endsWith("\n") ? result.supergraphSdl : result.supergraphSdl + "\n";
  return { supergraphSdl: sdl };
};

const input = JSON.parse(await readStdin());
const output = {};
for (const [name, subgraphs] of Object.entries(input)) output[name] = composeOne(subgraphs);
process.stdout.write(JSON.stringify(output) + "\n");
