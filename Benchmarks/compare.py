#!/usr/bin/env python3
"""senderscore against its numpy peer, side by side on one scenario and one machine.

Runs `senderscore bench SCENARIO` (the engine alone, best of --repeats, on one thread and on all
cores) and then the numpy peer (`numpy_competitor.py`, the same model vectorized over trials, one
thread, best of --repeats) on the same number of trials, and prints both with their ratio:

    python3 Benchmarks/compare.py .build/release/senderscore Benchmarks/team.yaml --trials 400000

Then precision per second: the time each takes to bring the standard error of every band
probability of every rep, sequence and the team to --precision (0.001, i.e. 0.1 percentage points).
The engine runs `senderscore run --precision` (rounds of trials until the largest standard error is
small enough) with each band estimator, counts and conditional (docs/estimators.md); the peer,
which counts, needs max p(1 - p) / SE² trials over its band probabilities, at its measured rate.

`make bench` runs it on Benchmarks/team.yaml. Needs numpy and PyYAML (Benchmarks/requirements.txt).
"""
import json
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
    """The peer's trials per second, and the band probabilities of its last run."""
    with open(scenario) as f:
        model = yaml.safe_load(f)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        results = numpy_competitor.simulate(model, trials, 1)
        best = min(best, time.perf_counter() - start)
    return trials / best, results


def engine_time_to_precision(binary, scenario, target, estimator, first_trials, repeats):
    """Seconds (wall clock, best of `repeats`) and trials of `senderscore run --precision` on all cores."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        output = subprocess.run(
            [binary, "run", scenario, "--precision", str(target), "--trials", str(first_trials),
             "--max-trials", "4000000", "--estimator", estimator, "--format", "json", "--quiet"],
            check=True, capture_output=True, text=True,
        ).stdout
        best = min(best, time.perf_counter() - start)
    report = json.loads(output)
    return best, report["trials"], report["precision"]["largestStdErr"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("senderscore", help="the senderscore binary (a release build)")
    parser.add_argument("scenario")
    parser.add_argument("--trials", type=int, default=400_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--precision", type=float, default=0.001,
                        help="standard error to reach on every band probability (0 skips this part)")
    parser.add_argument("--first-trials", type=int, default=2_000,
                        help="the first round of the engine's runs to a precision (later rounds aim at "
                             "the trials the first one shows are needed)")
    args = parser.parse_args()
    rates, output = engine_rates(args.senderscore, args.scenario, args.trials, args.repeats)
    print(output.rstrip())
    peer, results = numpy_rate(args.scenario, args.trials, args.repeats)
    import numpy
    print(f"numpy {numpy.__version__} peer, 1 thread {peer:12,.0f} trials/s  "
          f"{1e9 / peer:8,.0f} ns/trial  {args.trials / peer:7.3f} s")
    for threads in sorted(rates):
        label = "1 thread" if threads == 1 else f"{threads} threads"
        print(f"senderscore {label} / numpy: {rates[threads] / peer:.2f}×")
    if args.precision > 0:
        precision_per_second(args, peer, results)


def precision_per_second(args, peer, results):
    target = args.precision
    variance = max(float(p * (1 - p)) for shares in results.values() for p in shares)
    peer_trials = variance / target**2
    peer_seconds = peer_trials / peer
    print(f"\ntime to a standard error of {target * 100:g} pp on every band probability:")
    print(f"numpy peer, counts, 1 thread       {peer_trials:12,.0f} trials  {peer_seconds:8.3f} s")
    for estimator in ["counts", "conditional"]:
        seconds, trials, largest = engine_time_to_precision(
            args.senderscore, args.scenario, target, estimator, args.first_trials, max(2, args.repeats))
        print(f"senderscore {estimator + ',':12} all cores {trials:12,} trials  {seconds:8.3f} s  "
              f"({peer_seconds / seconds:.2f}× the peer's speed; largest error {largest * 100:.3g} pp)")


if __name__ == "__main__":
    main()
