"""CPU time of plan execution alone on the benchmark query: no server, no socket.

The real `PlanExecutor` runs the plan of `TestQuery` over the benchmark supergraph against an
in-process `SubgraphClient` that answers each subgraph request with the bytes the benchmark's
subgraph server (`federation/subgraphs/server.mjs`) answered it, recorded once in
`executor-answers.json`. Each answer is parsed again on every run, as the real transport does
(`owned` data), and every run ends with the answer serialised as `/graphql` sends it
(`json_response`), so a run covers: plan execution (root and entity fetches, representations,
merging), shaping and the answer's JSON. The answer is checked against
`federation/expected-response.json` first (same JSON, key order ignored).

    .venv/bin/python bench/executor.py            # best of 5 x 200 runs, CPU ms per execution
    .venv/bin/python bench/executor.py --record   # re-record the answers from the subgraph
                                                  # server on 127.0.0.1:4299 (started by hand:
                                                  # node bench/federation/subgraphs/server.mjs 4299)

Each run is a distinct user (its headers differ), as in the `unique` mode, although nothing
in execution depends on the caller.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphql import parse  # noqa: E402

from gateway.app.coalesce import SharedAnswer  # noqa: E402
from gateway.app.responses import json_response  # noqa: E402
from gateway.execution.executor import PlanExecutor  # noqa: E402
from gateway.planning import plan_operation  # noqa: E402
from gateway.supergraph import load_supergraph  # noqa: E402
from gateway.transport import SubgraphRequest, SubgraphResponse  # noqa: E402

BENCHMARK = ROOT / "bench" / "federation"
ANSWERS = ROOT / "bench" / "executor-answers.json"
REPEATS, RUNS = 5, 200


def request_key(request: SubgraphRequest) -> str:
    """What tells the benchmark's fetches apart: subgraph and query (each fetch of the plan has
    its own query; its variables are checked apart, `RecordedSubgraphs.check`)."""
    return f"{request.subgraph} {request.query}"


class RecordedSubgraphs:
    """Answers each request with its recorded bytes, parsed again each time (as the transport
    does: the parsed data is the receiver's own)."""

    def __init__(self, recorded: dict[str, dict[str, Any]]) -> None:
        self.answers = {key: entry["answer"].encode() for key, entry in recorded.items()}
        self.variables = {key: entry["variables"] for key, entry in recorded.items()}
        #: whether each request's variables are compared with the recorded ones (off when timing)
        self.check = True

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        key = request_key(request)
        if self.check and dict(request.variables) != self.variables[key]:
            raise AssertionError(f"{request.subgraph}: not the recorded variables")
        body = orjson.loads(self.answers[key])
        errors = tuple(body.get("errors") or ())
        return SubgraphResponse(data=body.get("data"), errors=errors, owned=True)


class RecordingSubgraphs:
    """Sends each request to the subgraph server and keeps the bytes it answered."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.recorded: dict[str, dict[str, Any]] = {}

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        post = urllib.request.Request(
            f"{self.base}/{request.subgraph}",
            data=orjson.dumps(request.body()),
            headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(post, timeout=10) as answer:
            raw: bytes = answer.read()
        self.recorded[request_key(request)] = {
            "variables": dict(request.variables),
            "answer": raw.decode(),
        }
        body = orjson.loads(raw)
        errors = tuple(body.get("errors") or ())
        return SubgraphResponse(data=body.get("data"), errors=errors, owned=True)


def serialised(response: dict[str, Any]) -> bytes:
    """The answer's bytes as `/graphql` sends them."""
    return bytes(json_response(SharedAnswer(response)).body)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", action="store_true", help="re-record the subgraph answers")
    parser.add_argument("--port", type=int, default=4299, help="the subgraph server's port")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="repeats of 200 runs")
    args = parser.parse_args()

    supergraph = load_supergraph(BENCHMARK / "supergraph.graphql")
    plan = plan_operation(supergraph, parse((BENCHMARK / "query.graphql").read_text()))
    expected = json.loads((BENCHMARK / "expected-response.json").read_text())

    if args.record:
        recorder = RecordingSubgraphs(f"http://127.0.0.1:{args.port}")
        answer = asyncio.run(PlanExecutor(supergraph, recorder).execute(plan))
        if answer != expected:
            print("the recorded answers do not give the expected response", file=sys.stderr)
            return 1
        ANSWERS.write_text(json.dumps(recorder.recorded, indent=1, sort_keys=True) + "\n")
        print(f"recorded {len(recorder.recorded)} answers into {ANSWERS.relative_to(ROOT)}")
        return 0

    subgraphs = RecordedSubgraphs(json.loads(ANSWERS.read_text()))
    executor = PlanExecutor(supergraph, subgraphs)
    first = json.loads(serialised(asyncio.run(executor.execute(plan))))
    if first != expected:
        print("wrong answer: it differs from expected-response.json", file=sys.stderr)
        return 1
    subgraphs.check = False

    async def runs(first_user: int) -> float:
        start = time.process_time()
        for user in range(first_user, first_user + RUNS):
            headers = {"x-user": f"user:{user}"}
            serialised(await executor.execute(plan, None, headers))
        return (time.process_time() - start) * 1000 / RUNS

    loop = asyncio.new_event_loop()
    try:
        best = min(loop.run_until_complete(runs(i * RUNS)) for i in range(args.repeats))
    finally:
        loop.close()
    print(f"plan execution + shaping + JSON, benchmark TestQuery: {best:.3f} ms CPU per run")
    print(f"(best of {args.repeats} x {RUNS} runs, time.process_time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
