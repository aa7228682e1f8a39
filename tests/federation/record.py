"""Record the expected answers of the scenarios from @apollo/gateway (from @graphql-hive/gateway
for an operation with `reference="hive"`, where @apollo/gateway is known to be wrong).

    python -m tests.federation.record [--compose-only] [SCENARIO ...]

For each scenario (default: all): compose `supergraph.graphql` from `subgraphs/*.graphql` with
@apollo/composition, start the scenario's subgraph servers and @apollo/gateway, run every
operation and write `expected/<operation>.json` (normalised: data, and per error its message,
path and code). Files with a `"_note"` key were written by hand (the reference is known to be
wrong there) and are never overwritten; the script prints the reference's answer next to them.
It also reports operations whose declared subgraph request counts the reference does not meet.
"""

from __future__ import annotations

import argparse
import json
import sys

from tests.federation.harness import (
    all_scenarios,
    check_requests,
    comparable,
    compose_all,
    node_available,
    running,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.federation.record")
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--compose-only", action="store_true", help="only re-compose supergraphs")
    args = parser.parse_args(argv)
    reason = node_available()
    if reason:
        print(f"record: {reason}", file=sys.stderr)
        return 2
    scenarios = [s for s in all_scenarios() if not args.scenarios or s.name in args.scenarios]
    unknown = set(args.scenarios) - {s.name for s in scenarios}
    if unknown:
        print(f"record: unknown scenarios {sorted(unknown)}", file=sys.stderr)
        return 2
    supergraphs = compose_all(scenarios)
    for scenario in scenarios:
        scenario.supergraph_path.write_text(supergraphs[scenario.name])
        print(f"{scenario.name}: composed {scenario.supergraph_path.name}")
        if args.compose_only:
            continue
        if scenario.reference_unsupported:
            print(f"  not recorded: {scenario.reference_unsupported}")
            continue
        (scenario.path / "expected").mkdir(exist_ok=True)
        hive = any(op.reference == "hive" for op in scenario.operations)
        with running(scenario, ours=False, apollo=True, hive=hive) as run:
            for op in scenario.operations:
                answer, requests = run.run(op.reference, op)
                path = scenario.expected_path(op)
                existing = scenario.expected(op)
                if existing is not None and "_note" in existing:
                    same = comparable(existing) == answer
                    print(
                        f"  {op.name}: hand-written (kept); reference "
                        f"{'agrees' if same else 'answers ' + json.dumps(answer)}"
                    )
                else:
                    path.write_text(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
                    source = " from @graphql-hive/gateway" if op.reference == "hive" else ""
                    errors = " (errors)" if "errors" in answer else ""
                    print(f"  {op.name}: recorded{source}{errors}")
                for problem in check_requests(op, requests):
                    print(f"  {op.name}: reference (informational): {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
