"""`make bench`: our gateway beside Apollo Gateway, Hive Gateway and Grafbase on one scenario.

The scenario lives in `bench/federation/` (four Federation v1 subgraphs served by one Node
process on 127.0.0.1:4200, the `TestQuery` of `query.graphql`, its answer
`expected-response.json`). For each gateway in turn the run starts it (ours in production mode
with secrets generated for the run), checks the first answer of each mode, load-tests it with wrk
in two modes (identical requests; then no two alike: a distinct signed user token for ours, a
distinct ignored `Authorization` header for the peers), checking every answer, stops it, and
finally writes `bench/RESULTS.md`. A mode with any non-2xx answer, socket error or wrong answer
is reported as failed, without figures.

Settings (environment): BENCH_CONNECTIONS (50), BENCH_SECONDS (8), BENCH_WARMUP (3),
BENCH_GATEWAYS (comma-separated subset of: ours, apollo-gateway, hive-gateway, hive-gateway-rr,
grafbase; default all), BENCH_TOKEN_RATE (5000). Everything binds to and targets 127.0.0.1 only;
every load run is bounded in time by wrk's `-d` and by a hard subprocess timeout; every process
started here is stopped on exit, failure, Ctrl-C or SIGTERM.

The modules, in the order the run uses them: `flow` (the run, start to end), `prerequisites`,
`machine`, `credentials` (secrets, tokens, refused settings), `gateways`, `processes`,
`loopback`, `trial` (one gateway), `verify` (an answer), `load` (wrk with `load.lua`, samples,
CPU, memory, subgraph call counts), `results` (wrk's figures, failed or not), `planning` (the
seam to `bench/planning.py`), `report` (RESULTS.md); `scenario` holds the paths, ports and
modes they share.
"""

from .flow import main

__all__ = ["main"]
