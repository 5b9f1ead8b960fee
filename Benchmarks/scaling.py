#!/usr/bin/env python3
"""How a run's time and memory grow with reps, strategies and timeline periods.

Writes generated scenarios into a temporary folder, runs `senderscore run` on each (text report,
--threads as given) and prints wall time, trials per second and peak memory (maximum resident set
size, from the kernel's accounting of the child process):

    python3 Benchmarks/scaling.py .build/release/senderscore

`make bench-scale` runs it. The team is Benchmarks/team.yaml's kind: reps drawing from two
segments, one reply rate uncertain; strategies add a personalization lever each; a timeline has
weekly periods with a 13-week window.
"""
import argparse
import os
import subprocess
import tempfile
import time

SEGMENTS = """segments:
  target-accounts: {bounce: 0.02, reply: {beta: {mean: 0.06, sd: 0.012}}}
  purchased-list: {bounce: 0.08, reply: 0.025}
"""


def scenario(reps, strategies=0, periods=0):
    lines = ["name: scaling", "seed: 1", "rules: hubspot"]
    if periods:
        lines += ["timeline: {period: week, periods: %d, window: 13}" % periods]
    lines.append(SEGMENTS.rstrip())
    lines.append("reps:")
    for i in range(reps):
        volume = 120 + (i * 37) % 280
        share = 0.5 + (i * 13 % 45) / 100
        volume_key = f"perPeriod: {max(1, volume // 13)}" if periods else f"completed: {volume}"
        lines.append(f"  - {{name: rep{i:05d}, enrollments: [{{sequence: outbound, {volume_key}, "
                     f"audience: {{target-accounts: {share:.2f}, purchased-list: {1 - share:.2f}}}}}]}}")
    if strategies:
        lines.append("interventions:")
        for k in range(strategies):
            lines.append(f"  lever{k}: {{kind: personalization, replyLift: {{triangular: [1, {1.1 + k / 20:.2f}, 1.5]}}, "
                         f"coverage: 0.8}}")
        lines.append("strategies:")
        for k in range(strategies):
            lines.append(f"  - {{name: plan{k}, apply: [lever{k}]}}")
    return "\n".join(lines) + "\n"


def measure(binary, path, trials, threads, options=(), environment=None):
    """Wall time and peak memory (KB) of one run; `options` are more options of `run`, and
    `environment` more variables of its environment."""
    start = time.perf_counter()
    child = subprocess.Popen([binary, "run", path, "--trials", str(trials), "--threads", str(threads), "--quiet",
                              *options], stdout=subprocess.DEVNULL, env={**os.environ, **(environment or {})})
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"scaling.py: senderscore failed on {path}")
    return seconds, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("senderscore")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    cases = [
        ("reps", 100, 0, 0, 100_000),
        ("reps", 1_000, 0, 0, 10_000),
        ("reps", 10_000, 0, 0, 1_000),
        ("reps", 10_000, 0, 0, 10_000),
        ("strategies", 6, 0, 0, 100_000),
        ("strategies", 6, 2, 0, 100_000),
        ("strategies", 6, 4, 0, 100_000),
        ("periods", 6, 0, 4, 20_000),
        ("periods", 6, 0, 13, 20_000),
        ("periods", 6, 0, 52, 20_000),
    ]
    print(f"{'grows with':<11}{'reps':>7}{'strategies':>11}{'periods':>8}{'trials':>9}"
          f"{'time':>9}{'trials/s':>11}{'rep-trials/s':>14}{'peak memory':>13}")
    with tempfile.TemporaryDirectory() as folder:
        for axis, reps, strategies, periods, trials in cases:
            path = os.path.join(folder, f"s-{reps}-{strategies}-{periods}.yaml")
            with open(path, "w") as f:
                f.write(scenario(reps, strategies, periods))
            seconds, peak = measure(args.senderscore, path, trials, args.threads)
            memory = f"{peak / 1024:,.0f} MB"
            print(f"{axis:<11}{reps:>7,}{strategies:>11}{periods:>8}{trials:>9,}{seconds:>8.2f}s"
                  f"{trials / seconds:>11,.0f}{reps * trials / seconds:>14,.0f}{memory:>13}")


if __name__ == "__main__":
    main()
