#!/usr/bin/env python3
"""Memory and time of every output format as a team grows: the large-team checks of issue 16.

    python3 Tests/Scale/scale.py .build/debug/senderscore

For each format, runs 100 trials of a 1-rep, a 300-rep and a 3,000-rep team (Benchmarks/
scaling.py's scenarios, two segments per rep) and checks:

- memory: the peak memory the 3,000 reps add to the 1-rep run is at most 10 KB per rep, in every
  format (the HTML report is written in pieces, its reps' reports built one at a time);
- time: what 3,000 reps add is at most 25 times what 300 add (linear growth gives 10; a format
  quadratic in reps would give about 100);
- `report` reads the 3,000-rep JSON result (more than 16 MiB, so read a rep and a sequence at a
  time), renders the text `run` wrote, and takes at most 30 KB per rep over the 1-rep result's
  (it holds the file, about 8 KB per rep, and the reports decoded from it);
- a timeline of 13 weeks: 600 reps add at most 45 KB per rep in JSON and text (about 30; it was
  200 in JSON when the timeline was built whole), and `report` renders their saved result (over
  16 MiB) as the text `run` wrote.

Peak memory is the kernel's accounting of the child process (maximum resident set size), so the
figures hold for any build; the debug build's are what `make test` checks. The runs use one
malloc arena (MALLOC_ARENA_MAX=1): with glibc's default, how many arenas a run creates depends on
which threads the runtime happens to allocate from, and the same run's peak varied by 3 KB per rep
(6.0 to 9.2 for Markdown), which is noise in what this checks, the memory the program asks for.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Benchmarks"))
from scaling import measure, scenario  # noqa: E402

FORMATS = {"text": 10, "json": 10, "csv": 10, "markdown": 10, "html": 10}
SIZES = (1, 300, 3_000)
ONE_ARENA = {"MALLOC_ARENA_MAX": "1"}
REPORT_LIMIT = 30
DOCUMENT_BYTES = 16 << 20
TIMELINE_REPS = 600
TIMELINE_LIMIT = 45


def measure_report(binary, result, output):
    """Wall time and peak memory (KB) of `senderscore report` rendering `result` as text."""
    start = time.perf_counter()
    child = subprocess.Popen([binary, "report", result, "--format", "text", "-o", output],
                             env={**os.environ, **ONE_ARENA})
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"scale.py: senderscore report failed on {result}")
    return time.perf_counter() - start, usage.ru_maxrss


def check_timeline(binary, folder):
    """A 600-rep team over 13 weeks: each level's timeline is built, written and read one at a
    time, so a rep adds at most TIMELINE_LIMIT KB in JSON and text, and `report` renders the saved
    result (over 16 MiB) as the text `run` wrote."""
    problems = []
    runs = {}
    for reps in (1, TIMELINE_REPS):
        path = os.path.join(folder, f"timeline-{reps}.yaml")
        with open(path, "w") as handle:
            handle.write(scenario(reps, periods=13))
        for format in ("json", "text"):
            output = os.path.join(folder, f"timeline-{reps}.{format}")
            runs[(reps, format)] = measure(binary, path, 100, 2, ["--format", format, "-o", output], ONE_ARENA)
    for format in ("json", "text"):
        seconds, memory = runs[(TIMELINE_REPS, format)]
        per_rep = (memory - runs[(1, format)][1]) / TIMELINE_REPS
        print(f"timeline  {format:<5} {TIMELINE_REPS} reps, 13 weeks: {seconds:5.2f} s, {memory / 1024:4.0f} MB, "
              f"{per_rep:4.1f} KB per rep over 1 rep (at most {TIMELINE_LIMIT})")
        if per_rep > TIMELINE_LIMIT:
            problems.append(f"timeline {format}: {per_rep:.1f} KB per rep, more than {TIMELINE_LIMIT}")
    result = os.path.join(folder, f"timeline-{TIMELINE_REPS}.json")
    rendered = os.path.join(folder, f"timeline-report-{TIMELINE_REPS}.text")
    seconds, memory = measure_report(binary, result, rendered)
    size = os.path.getsize(result)
    print(f"timeline  report of the {size / 2**20:.0f} MiB result: {seconds:5.2f} s, {memory / 1024:4.0f} MB")
    if size <= DOCUMENT_BYTES:
        problems.append(f"timeline: the result is {size} bytes, not more than 16 MiB; make it larger")
    with open(os.path.join(folder, f"timeline-{TIMELINE_REPS}.text")) as ran, open(rendered) as reported:
        if ran.read() != reported.read():
            problems.append("timeline: the text rendered from the saved result is not the text run wrote")
    return problems


def main():
    binary = os.path.abspath(sys.argv[1])
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for reps in SIZES:
            paths[reps] = os.path.join(folder, f"team-{reps}.yaml")
            with open(paths[reps], "w") as handle:
                handle.write(scenario(reps))
        for format, limit in FORMATS.items():
            runs = {}
            for reps in SIZES:
                output = os.path.join(folder, f"out-{reps}.{format}")
                runs[reps] = measure(binary, paths[reps], 100, 2, ["--format", format, "-o", output], ONE_ARENA)
            (time1, memory1), (time300, _), (time3000, memory3000) = (runs[reps] for reps in SIZES)
            per_rep = (memory3000 - memory1) / SIZES[-1]
            growth = (time3000 - time1) / max(time300 - time1, 1e-3)
            print(f"{format:<9} 3,000 reps: {time3000:5.2f} s, {memory3000 / 1024:4.0f} MB, "
                  f"{per_rep:4.1f} KB per rep over 1 rep (at most {limit}); time added x{growth:4.1f} for 10x reps")
            if per_rep > limit:
                problems.append(f"{format}: {per_rep:.1f} KB per rep, more than {limit}")
            if growth > 25:
                problems.append(f"{format}: 10 times the reps add {growth:.0f} times the time; not linear")
        # The saved JSON results, rendered again by `report`.
        reports = {}
        for reps in (1, SIZES[-1]):
            result = os.path.join(folder, f"out-{reps}.json")
            reports[reps] = measure_report(binary, result, os.path.join(folder, f"report-{reps}.text"))
        large = os.path.join(folder, f"out-{SIZES[-1]}.json")
        with open(os.path.join(folder, f"out-{SIZES[-1]}.text")) as ran, \
                open(os.path.join(folder, f"report-{SIZES[-1]}.text")) as reported:
            same = ran.read() == reported.read()
        per_rep = (reports[SIZES[-1]][1] - reports[1][1]) / SIZES[-1]
        size = os.path.getsize(large)
        print(f"report    3,000 reps: {reports[SIZES[-1]][0]:5.2f} s, {reports[SIZES[-1]][1] / 1024:4.0f} MB, "
              f"{per_rep:4.1f} KB per rep over 1 rep (at most {REPORT_LIMIT}), a result of {size / 2**20:.0f} MiB")
        if size <= DOCUMENT_BYTES:
            problems.append(f"report: the 3,000-rep result is {size} bytes, not more than 16 MiB; make it larger")
        if not same:
            problems.append("report: the text rendered from the saved result is not the text run wrote")
        if per_rep > REPORT_LIMIT:
            problems.append(f"report: {per_rep:.1f} KB per rep, more than {REPORT_LIMIT}")
        problems += check_timeline(binary, folder)
    for problem in problems:
        print("scale.py: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
