#!/usr/bin/env python3
"""senderscore against its numpy peer, side by side on one scenario and one machine.

Runs `senderscore bench SCENARIO` (the engine alone, best of --repeats, on one thread and on all
cores) and then the numpy peer (`numpy_competitor.py`, the same model vectorized over trials, one
thread, best of --repeats) on the same number of trials, and prints both with their ratio:

    python3 Benchmarks/compare.py .build/release/senderscore Benchmarks/team.yaml --trials 400000

`make bench` runs it on Benchmarks/team.yaml. Needs numpy and PyYAML (Benchmarks/requirements.txt).
"""
import argparse
import os
import re
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_competitor  # noqa: E402


def engine_rates(binary, scenario, trials, repeats):
    """Trials per second of `senderscore bench`: {threads: rate}, and its full output."""
    output = subprocess.run(
        [binary, "bench", scenario, "--trials", str(trials), "--repeats", str(repeats)],
        check=True, capture_output=True, text=True,
    ).stdout
    rates = {}
    for line in output.splitlines():
        match = re.match(r"(\d+) threads?\s+(\d+) trials/s", line)
        if match:
            rates[int(match.group(1))] = float(match.group(2))
    if 1 not in rates:
        sys.exit(f"compare.py: no '1 thread' line in the output of senderscore bench:\n{output}")
    return rates, output


def numpy_rate(scenario, trials, repeats):
    with open(scenario) as f:
        model = yaml.safe_load(f)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        numpy_competitor.simulate(model, trials, 1)
        best = min(best, time.perf_counter() - start)
    return trials / best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("senderscore", help="the senderscore binary (a release build)")
    parser.add_argument("scenario")
    parser.add_argument("--trials", type=int, default=400_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rates, output = engine_rates(args.senderscore, args.scenario, args.trials, args.repeats)
    print(output.rstrip())
    peer = numpy_rate(args.scenario, args.trials, args.repeats)
    import numpy
    print(f"numpy {numpy.__version__} peer, 1 thread {peer:12,.0f} trials/s  "
          f"{1e9 / peer:8,.0f} ns/trial  {args.trials / peer:7.3f} s")
    for threads in sorted(rates):
        label = "1 thread" if threads == 1 else f"{threads} threads"
        print(f"senderscore {label} / numpy: {rates[threads] / peer:.2f}×")


if __name__ == "__main__":
    main()
