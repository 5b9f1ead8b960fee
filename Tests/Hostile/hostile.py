#!/usr/bin/env python3
"""Hostile inputs: every class of issue 10, through the `senderscore` command.

Each case runs the built binary on a crafted input, under a 1 GiB address-space cap and a time
limit, and checks what a careful reviewer would: the exit status, the one clear message (by the
words it must contain, and that it is short and printable), that nothing a terminal would act
on reaches standard output, that no input or device was overwritten, and that no temporary
file was left behind.

    python3 Tests/Hostile/hostile.py [path/to/senderscore] [-k WORDS]

Exits with 1 and lists the failed cases when any fails. `make test` runs it on the debug build.
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEMORY = 1 << 30
TIMEOUT = 60

HEADER = "Enrollment ID,Enrolled By,Sequence Name,Enrollment State,Unenrolled Source,Step Error Type,Email Reply Count"


def scenario(reps="", strategies="", segments=None, sequences="", interventions="", extra=""):
    """A small valid scenario; the parts given replace or extend its own."""
    text = "name: hostile\ntrials: 200\nseed: 3\n" + extra
    text += segments or "segments:\n  core: {bounce: 0.02, reply: 0.08}\n"
    text += "reps:\n" + (reps or "  - name: ana\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")
    text += sequences + interventions + strategies
    return text


TWO_REPS = (
    "  - name: ana\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n"
    "  - name: ben\n    enrollments: [{sequence: in, completed: 200, audience: core}]\n"
)
TOKENS = "interventions:\n  tokens: {kind: personalization, replyLift: 1.2}\n"


def alias_bomb(levels):
    lines = ["bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"bomb{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]")
    return "\n".join(lines)


def alias_scenario():
    # Enrollment lines that alias each other: every level multiplies them by ten.
    line = "{sequence: out, completed: 1, audience: core}"
    text = "name: bomb\nsegments:\n  core: {bounce: 0.02, reply: 0.08}\nx0: &l0 [" + ", ".join([line] * 10) + "]\n"
    return text, 9


# Each case: (name, class, files {name: text or bytes}, arguments, expectations)
# Expectations: status ("error", "ok" or a number), words (all in stderr), out (all in stdout),
# unchanged (files that must keep their content), absent (files that must not exist).
CASES = []


def case(name, kind, args, files=None, **expect):
    CASES.append((name, kind, files or {}, args, expect))


# --- Crashes ----------------------------------------------------------------------------------
huge = HEADER + "\n" + "x" * (3 << 20) + "\n"
case("score on /dev/zero", "crash", ["score", "/dev/zero"], status="error", words=["longer than 1 MiB"])
case("fit on /dev/zero", "crash", ["fit", "/dev/zero"], status="error", words=["longer than 1 MiB"])
case("validate --cases /dev/zero", "crash", ["validate", "--cases", "/dev/zero", "--no-stability"], status="error", words=["longer than 1 MiB"])
case("score on one huge line", "crash", ["score", "e.csv"], {"e.csv": huge}, status="error", words=["e.csv:2", "longer than 1 MiB"])
case("a row of too many fields", "crash", ["score", "e.csv"], {"e.csv": HEADER + "\n" + "," * 5000 + "\n"}, status="error", words=["more than 1,000 fields"])
case("fit on step 2000000000", "crash", ["fit", "e.csv"],
     {"e.csv": HEADER + ",hs_last_executed_step_order\n1,ana,out,FINISHED,,,0,2000000000\n"},
     status="error", words=["e.csv:2:8", "at most 100 steps"])
case("scenario on /dev/zero", "crash", ["run", "/dev/zero"], status="error", words=["/dev/zero"])
case("report on /dev/zero", "crash", ["report", "/dev/zero"], status="error", words=["/dev/zero", "larger than 256 MiB"])
case("report of a bin width of 1e-300", "crash", ["report", "r.json"], {"r.json": "@result:binWidth=1e-300"}, status="error", words=["not a histogram"])
case("report of a bin width of 0", "crash", ["report", "r.json"], {"r.json": "@result:binWidth=0"}, status="error", words=["not a histogram"])
case("report of a huge bin count", "crash", ["report", "r.json"], {"r.json": "@result:binWidth=1e300"}, status="error", words=["not a histogram"])
case("deep YAML nesting", "crash", ["run", "s.yaml"], {"s.yaml": "[" * 200000}, status="error", words=["nested more than 1,000 levels"])
case("deep JSON nesting", "crash", ["report", "r.json"], {"r.json": "[" * 200000}, status="error", words=["r.json"])

# --- Hangs ------------------------------------------------------------------------------------
case("bench --trials 1e10", "hang", ["bench", "--trials", "10000000000"], status=64, words=["--trials must be from 1 to 1,000,000,000"])
case("bench --repeats 1e9", "hang", ["bench", "--repeats", "1000000000"], status=64, words=["--repeats must be from 1 to 100"])
case("bench trials × repeats", "hang", ["bench", "--trials", "100000000", "--repeats", "100"], status=64, words=["--trials × --repeats"])
case("validate montecarlo 1e12 trials", "hang", ["validate", "--method", "montecarlo", "--trials", "1000000000000"], status="error", words=["--trials"])
case("validate montecarlo 1e9 trials", "hang", ["validate", "--method", "montecarlo", "--trials", "1000000000"], status="error", words=["too large to finish", "--no-stability"])
case("validate montecarlo 200,000 trials", "hang", ["validate", "--method", "montecarlo", "--trials", "200000"], status="error", words=["too large to finish"])
case("validate one pair at 1,990 large volumes", "hang", ["validate", "--reply-rates", "0.07", "--bounce-rates", "0.02", "--volumes", ",".join(str(1000000 - i) for i in range(1990))], status="error", words=["too large to finish"])
case("read from - and write over it", "clobber", ["run", "-", "-o", "s.yaml"], {"s.yaml": scenario()}, stdin_file="s.yaml", status="error", words=["standard input"], unchanged=["s.yaml"])
case("a non-UTF-8 output name", "clobber", ["run", "s.yaml", "-o", b"out\xe9.txt"], {"s.yaml": scenario()}, status="error", words=["not UTF-8"])
case("a non-UTF-8 input name", "unclear", ["run", b"caf\xe9.yaml"], {"s.yaml": scenario()}, status="error", words=["not UTF-8"])
case("synth killed by SIGXCPU leaves nothing", "clobber", ["synth", "s.yaml", "-o", "big.csv"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 40000000, audience: core}]\n")},
     status=-signal.SIGXCPU, interrupt=1.5, stop=signal.SIGXCPU, absent=["big.csv"])
case("validate a million rate pairs", "hang", ["validate", "--reply-rates", "0:0.999:0.001", "--bounce-rates", "0:0.999:0.001"], status="error", words=["too large to finish"])
case("run --trials 1e10", "hang", ["run", "s.yaml", "--trials", "10000000000"], {"s.yaml": scenario()}, status=64, words=["--trials must be from 1"])
case("completed 1e12", "hang", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 1000000000000, audience: core}]\n")}, status="error", words=["completed", "out of range"])
case("a sequence of 1000 steps", "hang", ["run", "s.yaml"],
     {"s.yaml": scenario(sequences="sequences:\n  out:\n    steps: [" + ", ".join(["{replyShare: 0.001}"] * 1000) + "]\n")},
     status="error", words=["at most 100 steps"])
case("synth of a billion rows", "hang", ["synth", "s.yaml", "-o", "big.csv"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 1000000000, audience: core}]\n")},
     status="error", words=["more rows than the 50,000,000"], absent=["big.csv"])

case("a team of more rows than a run holds", "hang", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="".join(f"  - {{name: r{i}, enrollments: [{{sequence: out, completed: 5, audience: core}}]}}\n" for i in range(16_700)),
                         interventions=TOKENS, strategies="strategies:\n  - {name: a, apply: [tokens]}\n  - {name: b, apply: [tokens]}\n")},
     status="error", words=["33,401 rows", "each of 3 strategies", "100,203 in all", "more than the 100,000", "fewer strategies"])

MANY_LINES = ("  - name: ana\n    enrollments:\n"
              + "".join(f"      - {{sequence: s{i}, completed: 5, audience: core}}\n" for i in range(40_000)))
case("a rep of 40,000 enrollment lines, the last of an unknown sequence", "hang", ["run", "s.yaml", "--trials", "1"],
     {"s.yaml": scenario(reps=MANY_LINES, sequences="sequences:\n" + "".join(f"  s{i}: {{}}\n" for i in range(39_999)))},
     status="error", words=["enrollments[39999].sequence", "unknown sequence 's39999'"])

MANY_REPS = "".join(f"  - {{name: r{i}, enrollments: [{{sequence: out, completed: 5, audience: core}}]}}\n" for i in range(20_000))
ALL_REPS = "[" + ", ".join(f"r{i}" for i in range(20_000)) + "]"
case("a strategy listing 20,000 reps, applied twice to the last", "hang", ["run", "s.yaml", "--trials", "1"],
     {"s.yaml": scenario(reps=MANY_REPS, interventions=TOKENS,
                         strategies=f"strategies:\n  - name: all\n    apply:\n      - {{intervention: tokens, reps: {ALL_REPS}}}\n"
                                    "      - {intervention: tokens, reps: [r19999]}\n")},
     status="error", words=["'tokens' is applied twice", "apply[0] and apply[1]"])

# --- Timelines --------------------------------------------------------------------------------
TIMELINE = "timeline: {period: week, periods: 4}\n"
case("a timeline of a billion periods", "hang", ["run", "s.yaml"], {"s.yaml": scenario(extra="timeline: {period: week, periods: 1000000000}\n")},
     status="error", words=["s.yaml:4", "timeline.periods", "expected 1 to 1000"])
case("a timeline of too many cohorts", "hang", ["run", "s.yaml"],
     {"s.yaml": scenario(extra="timeline: {period: week, periods: 1000}\n",
                         reps="".join(f"  - name: r{i}\n    enrollments: [{{sequence: out, completed: 5, audience: core}}]\n" for i in range(300)))},
     status="error", words=["timeline", "cohorts", "200,000"])
case("a timeline of too many windows", "hang", ["run", "s.yaml"],
     {"s.yaml": scenario(extra="timeline: {period: week, periods: 500}\n",
                         reps="".join(f"  - name: r{i}\n    enrollments: [{{sequence: out, completed: 5, audience: core}}]\n" for i in range(190)),
                         interventions="interventions:\n  t: {kind: personalization, replyLift: 1.2}\n",
                         strategies="strategies:\n" + "".join(f"  - {{name: s{k}, apply: [t]}}\n" for k in range(8)))},
     status="error", words=["this timeline scores", "periods"])
case("a timeline of too many draws", "hang", ["run", "s.yaml"],
     {"s.yaml": scenario(extra="timeline: {period: week, periods: 1000}\n",
                         sequences="sequences:\n  out:\n    steps: [" + ", ".join(["{replyShare: 0.01}"] * 100) + "]\n",
                         reps="".join(f"  - name: r{i}\n    enrollments: [{{sequence: out, completed: 5, audience: core}}]\n" for i in range(10)))},
     status="error", words=["timeline", "random draws", "1,000,000"])
case("a sequence of ten thousand years", "hang", ["run", "s.yaml"],
     {"s.yaml": scenario(extra=TIMELINE, sequences="sequences:\n  out: {completesIn: {days: 1e15}}\n")},
     status="error", words=["completesIn", "3,650"])
case("a quarter window without a calendar", "unclear", ["run", "s.yaml"], {"s.yaml": scenario(extra="timeline: {period: week, periods: 4, window: quarter}\n")},
     status="error", words=["timeline.window", "start"])
case("a timeline starting on February 30th", "unclear", ["run", "s.yaml"], {"s.yaml": scenario(extra="timeline: {period: week, periods: 4, start: 2027-02-30}\n")},
     status="error", words=["timeline.start", "2027-02-30"])
case("a trajectory of the wrong length", "unclear", ["run", "s.yaml"],
     {"s.yaml": scenario(extra=TIMELINE, reps="  - name: ana\n    enrollments: [{sequence: out, perPeriod: [5, 6], audience: core}]\n")},
     status="error", words=["perPeriod", "4 periods", "has 2"])
case("perPeriod without a timeline", "unclear", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, perPeriod: 5, audience: core}]\n")},
     status="error", words=["perPeriod", "needs a `timeline:`"])
case("a lever start without a timeline", "unclear", ["run", "s.yaml"],
     {"s.yaml": scenario(interventions="interventions:\n  t: {kind: personalization, replyLift: 1.2, start: 3}\n")},
     status="error", words=["interventions.t.start", "needs a `timeline:`"])
case("a ramp above 1", "unclear", ["run", "s.yaml"],
     {"s.yaml": scenario(extra=TIMELINE, interventions="interventions:\n  t: {kind: personalization, replyLift: 1.2, ramp: [0.5, 1.5]}\n")},
     status="error", words=["ramp[1]", "share"])
case("a history with more bounces than enrollments", "unclear", ["run", "s.yaml"],
     {"s.yaml": scenario(extra=TIMELINE, reps="  - name: ana\n    enrollments: [{sequence: out, completed: 5, audience: core, inWindow: {completed: 10, bounced: 11, replied: 0}}]\n")},
     status="error", words=["inWindow.bounced", "more than the 10"])
case("fit --timeline without end dates", "unclear", ["fit", "e.csv", "--timeline", "week", "-o", "f.yaml"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"},
     status="error", words=["end-date column"], absent=["f.yaml"])

# --- Clobbering -------------------------------------------------------------------------------
case("-o /dev/null", "clobber", ["run", "s.yaml", "-o", "/dev/null"], {"s.yaml": scenario()}, status="error", words=["/dev/null", "a device"])
case("-o /dev/stdout", "clobber", ["run", "s.yaml", "-o", "/dev/stdout"], {"s.yaml": scenario()}, status="error", words=["/dev/stdout", "not a file"])
case("-o a link to /dev/null", "clobber", ["run", "s.yaml", "-o", "link"], {"s.yaml": scenario(), "link": "@symlink:/dev/null"}, status="error", words=["leads to a device"])
case("-o a dangling link", "clobber", ["run", "s.yaml", "-o", "link"], {"s.yaml": scenario(), "link": "@symlink:nowhere/x"}, status="error", words=["symbolic link to nothing"])
case("-o a folder", "clobber", ["run", "s.yaml", "-o", "."], {"s.yaml": scenario()}, status="error", words=["a folder"])
case("-o a FIFO", "clobber", ["run", "s.yaml", "-o", "pipe"], {"s.yaml": scenario(), "pipe": "@fifo"}, status="error", words=["named pipe"])
case("run s.yaml -o s.yaml", "clobber", ["run", "s.yaml", "-o", "s.yaml"], {"s.yaml": scenario()}, status="error", words=["an input of this command"], unchanged=["s.yaml"])
case("run -o its rules file", "clobber", ["run", "s.yaml", "-o", "r.yaml"],
     {"s.yaml": scenario(extra="rules: r.yaml\n"), "r.yaml": "@builtin-rules"}, status="error", words=["input"], unchanged=["r.yaml"])
case("run -o a link to its input", "clobber", ["run", "s.yaml", "-o", "link"], {"s.yaml": scenario(), "link": "@symlink:s.yaml"}, status="error", words=["input"], unchanged=["s.yaml"])
case("fit e.csv -o e.csv", "clobber", ["fit", "e.csv", "-o", "e.csv"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status="error", words=["input"], unchanged=["e.csv"])
case("score e.csv -o e.csv", "clobber", ["score", "e.csv", "-o", "e.csv"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status="error", words=["input"], unchanged=["e.csv"])
case("report r.json -o r.json", "clobber", ["report", "r.json", "-o", "r.json"], {"r.json": "@result"}, status="error", words=["input"], unchanged=["r.json"])
case("validate --cases c.csv -o c.csv", "clobber", ["validate", "--cases", "c.csv", "--no-stability", "-o", "c.csv"],
     {"c.csv": "completed,bounced,replied,band\n200,0,14,Excellent\n"}, status="error", words=["input"], unchanged=["c.csv"])
case("synth s.yaml -o s.yaml", "clobber", ["synth", "s.yaml", "-o", "s.yaml"], {"s.yaml": scenario()}, status="error", words=["input"], unchanged=["s.yaml"])
case("-o ''", "clobber", ["run", "s.yaml", "-o", ""], {"s.yaml": scenario()}, status="error", words=["--output", "empty"])
case("-o /proc/x", "clobber", ["run", "s.yaml", "-o", "/proc/x"], {"s.yaml": scenario()}, status="error", words=["/proc/x", "/proc"])
case("-o into a missing folder", "clobber", ["run", "s.yaml", "-o", "no/such/x.txt"], {"s.yaml": scenario()}, status="error", words=["does not exist"])
for command in [["run", "s.yaml"], ["synth", "s.yaml", "-o", "x.csv"], ["rules"], ["--help"], ["score", "e.csv"]]:
    case(f"{command[0]} on a full disk", "crash", command, {"s.yaml": scenario(), "e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, full=True,
         status="error", words=["standard output: cannot write the output: no space left on the device"])
case("-o - prints", "clobber", ["run", "s.yaml", "-o", "-"], {"s.yaml": scenario()}, status="ok", out=["hostile (s.yaml)"])
case("-o a link to a file writes the file", "clobber", ["run", "s.yaml", "-o", "link"], {"s.yaml": scenario(), "link": "@symlink:out.txt", "out.txt": "old"},
     status="ok", contains={"out.txt": "hostile (s.yaml)"}, links=["link"])
case("a failed run keeps the old output", "clobber", ["run", "s.yaml", "-o", "out.txt"], {"s.yaml": "name: [", "out.txt": "old"}, status="error", unchanged=["out.txt"])
case("synth interrupted leaves nothing", "clobber", ["synth", "s.yaml", "-o", "big.csv"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 40000000, audience: core}]\n")},
     status=-signal.SIGINT, interrupt=1.5, absent=["big.csv"])
case("run interrupted leaves nothing", "clobber", ["run", "s.yaml", "--trials", "50000000", "-o", "out.txt"], {"s.yaml": scenario()},
     status=-signal.SIGINT, interrupt=1.5, absent=["out.txt"])
case("synth terminated leaves nothing", "clobber", ["synth", "s.yaml", "-o", "big.csv"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 40000000, audience: core}]\n")},
     status=-signal.SIGTERM, interrupt=1.5, stop=signal.SIGTERM, absent=["big.csv"])

# --- plan ---------------------------------------------------------------------------------------
PLAN = (
    "interventions:\n  tokens: {kind: personalization, replyLift: 1.2, cost: 100}\n"
    "plan:\n  objective: {repsAtLeast: Good}\n  selection: {firstStage: 200, maxTrials: 400, outOfSample: 100}\n"
)
case("plan max-trials past the streams", "hang", ["plan", "p.yaml", "--max-trials", "100000000"],
     {"p.yaml": scenario(interventions=PLAN)}, status=1, words=["random streams allow"])
case("plan output over its scenario", "clobber", ["plan", "p.yaml", "-o", "p.yaml"],
     {"p.yaml": scenario(interventions=PLAN)}, status=1, words=["it is an input of this command"], unchanged=["p.yaml"])
case("plan objective with control characters", "inject", ["plan", "p.yaml", "--objective", "repsAtLeast \x1b[31mGood"],
     {"p.yaml": scenario(interventions=PLAN)}, status=1, words=["unknown band"], not_out=["\x1b"])
case("plan budget of infinity", "amplify", ["plan", "p.yaml", "--budget", "inf"],
     {"p.yaml": scenario(interventions=PLAN)}, status=1, words=["a budget is a number of at least 0"])
case("plan levers past 64 choices", "amplify", ["plan", "p.yaml"],
     {"p.yaml": scenario(reps="".join(f"  - name: r{i}\n    enrollments: [{{sequence: out, completed: 200, audience: core}}]\n" for i in range(70)),
                          interventions=PLAN.replace("  selection:", "  levers: {tokens: rep}\n  selection:"))},
     status=1, words=["more than the 64 a plan can search"])

# --- Injected output --------------------------------------------------------------------------
for trigger in ["=", "+", "-", "@", "\t"]:
    name = trigger + "HYPERLINK(1)"
    written = name.replace("\t", "\\t")
    case(f"CSV formula {trigger!r} in run", "inject", ["run", "s.yaml", "--format", "csv"],
         {"s.yaml": scenario(reps="  - name: \"" + written + "\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
         status="ok", out=["'" + name] if trigger != "\t" else [], not_out=["," + name])
case("CSV formula in synth", "inject", ["synth", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: \"=cmd\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="ok", out=["'=cmd"], not_out=[",=cmd"])
case("CSV formula in score", "inject", ["score", "e.csv", "--format", "json"], {"e.csv": HEADER + "\n1,'=cmd,out,FINISHED,,,0\n"}, status="ok", out=['"=cmd"'])
case("negative numbers stay numbers in CSV", "inject", ["run", "s.yaml", "--format", "csv"],
     {"s.yaml": scenario(interventions=TOKENS, strategies="strategies:\n  - {name: t, apply: [tokens]}\n")}, status="ok", not_out=["'-0", "'+0"])
case("ESC in a rep name of a scenario", "inject", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: \"ana\\e]0;pwned\\a\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["reps[0].name", "control characters", "\\u{1B}"])
case("newline in a rep name forging a row", "inject", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: \"ana\\nteam  Excellent (100%)\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["control characters", "\\n"])
case("bidi override in a name", "inject", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: \"ana\\u202Egnp.exe\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["control characters"])
case("ESC in a segment name", "inject", ["run", "s.yaml"], {"s.yaml": scenario(segments="segments:\n  \"co\\ere\": {bounce: 0.02, reply: 0.08}\n")}, status="error", words=["control characters"])
case("ESC in a band name", "inject", ["run", "s.yaml"], {"s.yaml": scenario(extra="rules: r.yaml\n"), "r.yaml": "@builtin-rules:name: Excellent=name: \"Ex\\e[2Jcellent\""}, status="error", words=["control characters"])
case("ESC through a quoted CSV field in score", "inject", ["score", "e.csv"], {"e.csv": HEADER + "\n1,\"ana\x1b[2J\nteam\",out,FINISHED,,,0\n"},
     status="ok", out=["renamed: rep", "'ana\\u{1B}[2J\\nteam'"])
case("NUL and ESC in fit's names", "inject", ["fit", "e.csv", "-o", "fitted.yaml"], {"e.csv": HEADER + "\n1,\"a\x00b\",\"o\x1bt\",FINISHED,,,0\n2,ana,out,FINISHED,,,0\n"},
     status="ok", words=["names of the export are written otherwise"], runs=["fitted.yaml"])
case("a rep called team in an export", "inject", ["score", "e.csv"], {"e.csv": HEADER + "\n1,team,out,FINISHED,,,0\n"}, status="ok", out=["team (rep)"])
case("ESC and a forged line in a file name, as HTML", "inject", ["run", "s\x1b[2J\n# forged.yaml", "--format", "html"], {"s\x1b[2J\n# forged.yaml": scenario()}, status="ok", out=["s\\u{1B}[2J\\n# forged.yaml"])
case("ESC and a forged line in a file name, as Markdown", "inject", ["run", "s\x1b[2J\n# forged.yaml", "--format", "markdown"], {"s\x1b[2J\n# forged.yaml": scenario()}, status="ok", not_out=["\n# forged"])
case("bidi controls in JSON output", "inject", ["score", "e.csv", "--format", "json"], {"e.csv": HEADER + "\n1,a\u202eb,out,FINISHED,,,0\n2,x\u009b2Jy,out,FINISHED,,,0\n"}, status="ok", out=["\\u202E", "\\u009B"])
case("a zero-width space makes no new rep", "meaningless", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n  - name: \"ana\\u200B\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["same name as 'ana'"])
case("a right-to-left mark in a name", "inject", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: \"ana\\u200Fx\"\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")}, status="error", words=["control characters"])
case("control characters in a saved result", "inject", ["report", "r.json", "--format", "text"], {"r.json": "@result:name=ana\u001b[2J"}, status="error", words=["not a name"])
case("ESC in a file name", "inject", ["run", "s\x1b[2J.yaml"], {"s\x1b[2J.yaml": "name: ["}, status="error", words=["s\\u{1B}[2J.yaml"])

# --- Amplification ----------------------------------------------------------------------------
case("YAML alias bomb", "amplify", ["run", "s.yaml"], {"s.yaml": alias_bomb(9) + "\n" + scenario()}, status="error", words=["more than 2,000,000 values", "alias"])
case("YAML alias bomb in enrollments", "amplify", ["run", "s.yaml"], {"s.yaml": "@enrollment-bomb"}, status="error", words=["more than 2,000,000 values"])
MANY_REPS = "".join(f"  - name: r{i}\n    enrollments: [{{sequence: s{i % 3}, completed: 200, audience: core}}, {{sequence: s{(i + 1) % 3}, completed: 100, audience: core}}]\n" for i in range(1300))
TEN_THOUSAND_REPS = "".join(f"  - name: r{i}\n    enrollments: [{{sequence: out, completed: {100 + i % 300}, audience: core}}]\n" for i in range(10000))
case("3,901 rows on 8 threads stay under 1 GiB", "amplify", ["run", "s.yaml", "--trials", "300", "--threads", "8", "--format", "json", "-o", "r.json"], {"s.yaml": scenario(reps=MANY_REPS)}, status="ok")
case("100,005 rows are refused", "amplify", ["run", "s.yaml"],
     {"s.yaml": scenario(reps=TEN_THOUSAND_REPS, interventions=TOKENS,
                         strategies="strategies:\n" + "".join(f"  - {{name: s{k}, apply: [tokens]}}\n" for k in range(4)))},
     status="error", words=["100,005 in all, more than the 100,000"])
case("10,000 reps (20,001 rows) on 8 threads stay under 1 GiB", "amplify", ["run", "s.yaml", "--trials", "100", "--threads", "8", "--format", "json", "-o", "r.json"], {"s.yaml": scenario(reps=TEN_THOUSAND_REPS)}, status="ok")
BILLION_REPS = "".join(f"  - name: r{i}\n    enrollments: [{{sequence: out, completed: 1000000000, audience: core}}]\n" for i in range(4))
case("--estimator conditional on billions of enrollments stays under 1 GiB", "amplify",
     ["run", "s.yaml", "--trials", "3", "--estimator", "conditional", "--format", "json", "-o", "r.json"],
     {"s.yaml": scenario(reps=BILLION_REPS, segments="segments:\n  core: {bounce: 0.5, reply: 0.5}\n")}, status="ok")
case("an unknown --estimator", "unclear", ["run", "s.yaml", "--estimator", "bayes"], {"s.yaml": scenario()},
     status=64, words=["estimator", "counts", "conditional"])
BIG_RULES = "name: big\nreply:\n" + "".join(f"  - {{from: {i / 3000:.6f}, points: {i % 50}}}\n" for i in range(3000)) + "bounce:\n  - {from: 0, points: 50}\nbands:\n  - {from: 0, name: Low}\n"
case("a rule set of 3,000 rows", "amplify", ["run", "s.yaml", "--rules", "r.yaml", "--rules-as-is"], {"s.yaml": scenario(), "r.yaml": BIG_RULES}, status="error", words=["r.yaml:3", "at most 50 rows"])
case("validate a rule set of 3,000 rows", "amplify", ["validate", "--rules", "r.yaml"], {"r.yaml": BIG_RULES}, status="error", words=["at most 50 rows"])
case("--threads 50", "amplify", ["run", "s.yaml", "--threads", "50"], {"s.yaml": scenario()}, status=64, words=["--threads must be from 1 to"])
case("a 3 MB name", "amplify", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: " + "a" * (3 << 20) + "\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["at most 100 characters", "3,145,728"], max_message=1000)
case("a 3 MB name in an export", "amplify", ["score", "e.csv"], {"e.csv": HEADER + "\n1," + "a" * 900000 + ",out,FINISHED,,,0\n"}, status="ok", max_out=20000)
case("fit of a tiny export stays small", "amplify", ["fit", "e.csv", "-o", "fitted.yaml"],
     {"e.csv": HEADER + ",hs_last_executed_step_order\n1,ana,out,FINISHED,,,0,100\n"}, status="ok", max_file={"fitted.yaml": 20000}, runs=["fitted.yaml"])

# --- Accepted but meaningless -----------------------------------------------------------------
case("reps ana and 'ana '", "meaningless", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n  - name: 'ana '\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["reps[1].name", "listed twice"])
case("reps ana and Ana", "meaningless", ["run", "s.yaml"],
     {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n  - name: Ana\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")},
     status="error", words=["same name as 'ana'"])
case("a rep named team", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: Team\n    enrollments: [{sequence: out, completed: 200, audience: core}]\n")}, status="error", words=["'team' names the team's row"])
case("a strategy named Baseline", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(interventions=TOKENS, strategies="strategies:\n  - {name: Baseline, apply: [tokens]}\n")}, status="error", words=["implicit strategy"])
case("two strategies of one name", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(interventions=TOKENS, strategies="strategies:\n  - {name: t, apply: [tokens]}\n  - {name: ' T', apply: [tokens]}\n")}, status="error", words=["strategies[1].name"])
case("segments core and Core", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(segments="segments:\n  core: {bounce: 0.02, reply: 0.08}\n  Core: {bounce: 0.02, reply: 0.08}\n")}, status="error", words=["segment 'Core' is the same name as 'core'"])
case("a strategy scoped to reps: []", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(interventions=TOKENS, strategies="strategies:\n  - {name: t, apply: [tokens], reps: []}\n")}, status="error", words=["strategies[0].reps", "empty list"])
case("an application scoped to sequences: []", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(interventions=TOKENS, strategies="strategies:\n  - {name: t, apply: [{intervention: tokens, sequences: []}]}\n")}, status="error", words=["empty list"])
case("a rep and a sequence that never meet", "meaningless", ["run", "s.yaml"],
     {"s.yaml": scenario(reps=TWO_REPS, interventions=TOKENS, strategies="strategies:\n  - {name: t, apply: [tokens], reps: [ana], sequences: [in]}\n")},
     status="error", words=["reaches no enrollment", "'ana'", "'in'"])
case("golden cases with only a header", "meaningless", ["validate", "--cases", "c.csv", "--no-stability"], {"c.csv": "completed,bounced,replied,band\n"}, status="error", words=["c.csv:1", "no cases"])
case("golden cases with a column twice", "meaningless", ["validate", "--cases", "c.csv", "--no-stability"], {"c.csv": "completed,bounced,replied,band,Band\n200,0,14,Excellent,Low\n"}, status="error", words=["columns 4 and 5"])
case("an export with a column twice", "meaningless", ["score", "e.csv"], {"e.csv": HEADER + ",Email Reply Count\n1,ana,out,FINISHED,,,0,1\n"}, status="error", words=["columns 7 and 8", "keep one"])
case("a field mapped twice by --columns", "meaningless", ["score", "e.csv", "--columns", "rep=Enrolled By,rep=Sequence Name"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status="error", words=["--columns", "mapped twice"])
case("0x10 in an export", "meaningless", ["score", "e.csv"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0x10\n"}, status="error", words=["e.csv:2:7", "decimal digits", "'0x10'"])
case("1e3 in an export", "meaningless", ["score", "e.csv"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,1e3\n"}, status="error", words=["decimal digits"])
case("0x10 in golden cases", "meaningless", ["validate", "--cases", "c.csv", "--no-stability"], {"c.csv": "completed,bounced,replied,band\n0x10,0,1,Low\n"}, status="error", words=["decimal digits"])
case("1__0 in a scenario", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 1__0, audience: core}]\n")}, status="error", words=["underscore"])
case("017 in a scenario", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 017, audience: core}]\n")}, status="error", words=["leading zeros"])
case("1e309 in a scenario", "unclear", ["run", "s.yaml"], {"s.yaml": scenario(segments="segments:\n  core: {bounce: 1e309, reply: 0.08}\n")}, status="error", words=["not a finite number"])
case("a BOM before a scenario", "unclear", ["run", "s.yaml", "--trials", "100"], {"s.yaml": b"\xef\xbb\xbf" + scenario().encode()}, status="ok", out=["hostile (s.yaml)"])
case("one column for two fields", "meaningless", ["score", "e.csv", "--columns", "rep=Enrolled By,sequence=Enrolled By"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status="error", words=["given to both"])
case("a key written twice in a saved result", "meaningless", ["report", "r.json"], {"r.json": '{"trials": 300, "trials": 7}'}, status="error", words=["r.json:1", "'trials' is written twice"])
case("a seed of -1 in a saved result", "unclear", ["report", "r.json"], {"r.json": "@result:seed=-1"}, status="error", words=["'seed' is -1"])
case("bands summing to 5 in a saved result", "meaningless", ["report", "r.json"], {"r.json": "@result:allBands=1"}, status="error", words=["sum to 1"])
case("a volume listed twice", "meaningless", ["validate", "--volumes", "100,150,100"], status="error", words=["--volumes", "listed twice"])
case("a rate listed twice", "meaningless", ["validate", "--reply-rates", "5%,0.05"], status="error", words=["--reply-rates", "listed twice"])
case("0x10 in a scenario", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(reps="  - name: ana\n    enrollments: [{sequence: out, completed: 0x100, audience: core}]\n")}, status="error", words=["decimal"])
case("trials -5 in a saved result", "meaningless", ["report", "r.json"], {"r.json": "@result:trials=-5"}, status="error", words=["'trials' is -5"])
case("a saved result without a band", "meaningless", ["report", "r.json"], {"r.json": "@result:dropBand=Good"}, status="error", words=["not those of 'bandOrder'"])
case("a saved result with a probability of 7", "meaningless", ["report", "r.json"], {"r.json": "@result:pEligible=7"}, status="error", words=["not probabilities"])
case("a saved result with two reps of one name", "meaningless", ["report", "r.json"], {"r.json": "@result:duplicateRep=1"}, status="error", words=["two rep entries"])
case("trials 0 in a saved result", "meaningless", ["report", "r.json"], {"r.json": "@result:trials=0"}, status="error", words=["'trials' is 0"])

GROUPS = "segments:\n  core:\n    bounce: 0.02\n    reply: 0.08\n    rates: overall\n    contacts: {previouslyBounced: {share: 0.01}%s}\n"
case("a calibration that no rate can meet", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(segments=GROUPS.replace("0.01}", "0.1}") % "")}, status="error", words=["s.yaml:9", "segments.core.contacts", "the groups give 8.50%"])
case("a basis of rates that is not one", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(segments=GROUPS.replace("overall", "everyone") % "")}, status="error", words=["s.yaml:8", "segments.core.rates", "expected overall"])
case("a negative multiple of the regular rate", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(segments=GROUPS % ", unengaged: {share: 0.2, reply: {times: -2}}")}, status="error", words=["unengaged.reply.times", "from 0 to 1000"])
case("observed replies beyond the delivered", "meaningless", ["run", "s.yaml"], {"s.yaml": scenario(segments="segments:\n  core: {bounce: 0.02, reply: 0.08, observed: {completed: 100, bounced: 10, replied: 95}}\n")}, status="error", words=["observed.replied", "more than the 90 delivered"])
case("groups with no basis of rates", "meaningless", ["run", "s.yaml", "--trials", "100"], {"s.yaml": scenario(segments="segments:\n  core: {bounce: 0.02, reply: 0.08, contacts: {unengaged: {share: 0.3}}}\n")}, status="ok", words=["warning:", "rates: overall"])

case("fit --by rep,rep", "meaningless", ["fit", "e.csv", "--by", "rep,rep"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status=64, words=["--by 'rep,rep'", "once each"])
case("fit --by rep,", "meaningless", ["fit", "e.csv", "--by", "rep,"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status=64, words=["--by 'rep,'"])
case("fit --volume -5", "meaningless", ["fit", "e.csv", "--volume=-5"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status=64, words=["--volume '-5'"])
case("fit --volume 0%", "meaningless", ["fit", "e.csv", "--volume", "0%"], {"e.csv": HEADER + "\n1,ana,out,FINISHED,,,0\n"}, status=64, words=["percentage"])

case("init over an existing file", "clobber", ["init", "-o", "s.yaml"], {"s.yaml": scenario()}, status=64, words=["exists"], unchanged=["s.yaml"])
case("init with ESC in a rep name", "inject", ["init", "--reps", "a\x1b[2Jb"], status="error", words=["control characters"])
case("init with 100,000 reps", "amplify", ["init", "--reps", "100000"], status=64, words=["from 1 to 1,000"])
case("init with 100,000 segments", "amplify", ["init", "--segments", "100000"], status=64, words=["--segments", "from 1 to 1,000"])

case("--trials-out over the scenario", "clobber", ["run", "s.yaml", "--trials-out", "s.yaml"], {"s.yaml": scenario()}, status="error", words=["s.yaml"], unchanged=["s.yaml"])
case("--trials-out into a folder", "clobber", ["run", "s.yaml", "--trials-out", "."], {"s.yaml": scenario()}, status="error", words=["folder"])
case("--trials-out and -o on one file", "clobber", ["run", "s.yaml", "-o", "r.txt", "--trials-out", "r.txt"], {"s.yaml": scenario()}, status="error", words=["its own"])

case("sensitivity --metric median", "meaningless", ["sensitivity", "s.yaml", "--metric", "median"], {"s.yaml": scenario()}, status="error", words=["--metric", "not a metric"])
case("sensitivity --metric reps:Great", "meaningless", ["sensitivity", "s.yaml", "--metric", "reps:Great"], {"s.yaml": scenario()}, status="error", words=["names no band", "Excellent"])
case("sensitivity --change alone", "meaningless", ["sensitivity", "s.yaml", "--change"], {"s.yaml": scenario()}, status=64, words=["--change needs --strategy"])
case("sensitivity of an unknown level", "meaningless", ["sensitivity", "s.yaml", "--level", "zed", "--trials", "100"], {"s.yaml": scenario()}, status="error", words=["unknown level 'zed'"])
case("sensitivity --analysis sobol", "meaningless", ["sensitivity", "s.yaml", "--analysis", "tornado,sobol"], {"s.yaml": scenario()}, status=64, words=["--analysis", "'sobol' is not a part", "indices"])
case("sensitivity --resamples 0", "meaningless", ["sensitivity", "s.yaml", "--resamples", "0"], {"s.yaml": scenario()}, status=64, words=["--resamples 0", "1 to 10000"])
case("sensitivity --samples-out without indices", "meaningless", ["sensitivity", "s.yaml", "--analysis", "tornado", "--samples-out", "d.csv"], {"s.yaml": scenario()}, status=64, words=["--samples-out", "add indices"])
case("sensitivity --samples-out is the output", "meaningless", ["sensitivity", "s.yaml", "--samples-out", "r.txt", "-o", "r.txt", "--trials", "100"], {"s.yaml": scenario()}, status="error", words=["also the --output file"])

# --- Sharded runs: parts that are not the parts of one run, and options that do not fit -------
case("merge a part cut short", "unclear", ["merge", "a.json", "b.json"], {"a.json": "@part:1/2:cut", "b.json": "@part:2/2"}, status="error", words=["a.json", "cut short"])
case("merge a part changed by hand", "unclear", ["merge", "a.json", "b.json"], {"a.json": "@part:1/2", "b.json": "@part:2/2:tamper"}, status="error", words=["b.json", "checksum does not match"])
case("merge a shard twice", "unclear", ["merge", "a.json", "b.json", "c.json"], {"a.json": "@part:1/2", "b.json": "@part:2/2", "c.json": "@part:2/2"}, status="error", words=["shard 2/2 is given twice", "b.json"])
case("merge with a shard missing", "unclear", ["merge", "a.json", "c.json"], {"a.json": "@part:1/3", "c.json": "@part:3/3"}, status="error", words=["shard 2/3 is missing", "all 3 parts"])
case("merge parts of two runs", "unclear", ["merge", "a.json", "b.json"], {"a.json": "@part:1/2", "b.json": "@part:2/2:seed=9"}, status="error", words=["b.json", "different runs"])
case("merge parts cut into different numbers", "unclear", ["merge", "a.json", "b.json"], {"a.json": "@part:1/2", "b.json": "@part:2/3"}, status="error", words=["same number of shards"])
case("merge a run's part with an analysis's", "unclear", ["merge", "a.json", "b.json"], {"a.json": "@part:1/2", "b.json": "@part:2/2:sensitivity"}, status="error", words=["b.json", "not of `run --shard`"])
case("merge an analysis as markdown", "unclear", ["merge", "a.json", "--format", "markdown"], {"a.json": "@part:1/1:sensitivity"}, status="error", words=["text, json, csv or html"])
case("sensitivity --shard without --output", "unclear", ["sensitivity", "s.yaml", "--shard", "1/2"], {"s.yaml": scenario()}, status=64, words=["give --output PART"])
case("sensitivity --shard with --samples-out", "unclear", ["sensitivity", "s.yaml", "--shard", "1/2", "--samples-out", "d.csv", "-o", "p.json"], {"s.yaml": scenario()}, status=64, words=["--samples-out does not apply to --shard"], absent=["p.json", "d.csv"])
case("merge a saved result", "unclear", ["merge", "r.json"], {"r.json": "@result:"}, status="error", words=["r.json", "not a part of a sharded run"])
case("merge /dev/zero", "crash", ["merge", "/dev/zero"], status="error", words=["/dev/zero", "larger than 256 MiB"])
case("merge a folder", "unclear", ["merge", "."], status="error", words=["folder"])
case("merge nothing", "unclear", ["merge"], status=64, words=["give the parts to merge"])
case("merge over one of its parts", "clobber", ["merge", "a.json", "-o", "a.json"], {"a.json": "@part:1/1"}, status="error", words=["a.json"], unchanged=["a.json"])
case("run --shard 0/4", "unclear", ["run", "s.yaml", "--shard", "0/4", "-o", "p.json"], {"s.yaml": scenario()}, status="error", words=["--shard", "K from 1 to N"], absent=["p.json"])
case("run --shard 5/4", "unclear", ["run", "s.yaml", "--shard", "5/4", "-o", "p.json"], {"s.yaml": scenario()}, status="error", words=["--shard", "K from 1 to N"], absent=["p.json"])
case("run --shard 1/0", "unclear", ["run", "s.yaml", "--shard", "1/0", "-o", "p.json"], {"s.yaml": scenario()}, status="error", words=["--shard", "cut into 1 to 10,000"], absent=["p.json"])
case("run --shard half", "unclear", ["run", "s.yaml", "--shard", "half", "-o", "p.json"], {"s.yaml": scenario()}, status="error", words=["not K/N"], absent=["p.json"])
case("run --shard without --output", "unclear", ["run", "s.yaml", "--shard", "1/2"], {"s.yaml": scenario()}, status=64, words=["give --output PART"])
case("run --shard with --format", "unclear", ["run", "s.yaml", "--shard", "1/2", "--format", "json", "-o", "p.json"], {"s.yaml": scenario()}, status=64, words=["--format does not apply to --shard"], absent=["p.json"])
case("run --precision 0", "unclear", ["run", "s.yaml", "--precision", "0"], {"s.yaml": scenario()}, status="error", words=["--precision", "above 0"])
case("run --precision 200%", "unclear", ["run", "s.yaml", "--precision", "200%"], {"s.yaml": scenario()}, status="error", words=["--precision", "at most 0.5"])
case("run --precision tight", "unclear", ["run", "s.yaml", "--precision", "tight"], {"s.yaml": scenario()}, status=64, words=["not a standard error"])
case("run --max-trials alone", "unclear", ["run", "s.yaml", "--max-trials", "5000"], {"s.yaml": scenario()}, status=64, words=["only with --precision"])
case("run --max-trials 1e10", "hang", ["run", "s.yaml", "--precision", "0.1%", "--max-trials", "10000000000"], {"s.yaml": scenario()}, status="error", words=["--max-trials", "from 1 to 1,000,000,000"])
case("run --max-trials below --trials", "unclear", ["run", "s.yaml", "--precision", "1%", "--trials", "5000", "--max-trials", "100"], {"s.yaml": scenario()}, status="error", words=["--max-trials", "fewer than the 5,000"])

case("score --by week over 36 years", "hang", ["score", "e.csv", "--by", "week"], {"e.csv": HEADER + ",Ended At\n1,ana,out,FINISHED,,,0,1990-01-01\n2,ana,out,FINISHED,,,0,2026-01-01\n"}, status="error", words=["--by", "at most 1,000 periods", "--from"])
case("score --by day", "unclear", ["score", "e.csv", "--by", "day"], {"e.csv": HEADER + "\n"}, status=64, words=["--by"])

# --- Unclear messages -------------------------------------------------------------------------
case("a 5 MB scalar", "unclear", ["run", "s.yaml"], {"s.yaml": "name: hostile\ntrials: '" + "9" * (5 << 20) + "'\n"}, status="error", words=["s.yaml:2"], max_message=1000)
case("a 5 MB key", "unclear", ["run", "s.yaml"], {"s.yaml": "k" * (5 << 20) + ": 1\n"}, status="error", words=["s.yaml:1"], max_message=1000)
case("a 5 MB explicit key", "unclear", ["run", "s.yaml"], {"s.yaml": "name: x\n? " + "k" * (5 << 20) + "\n: 1\n"}, status="error", words=["unknown key", "(5,242,880 characters)"], max_message=1000)
case("a 5 MB generator", "unclear", ["run", "s.yaml"], {"s.yaml": scenario(extra="generator: " + "g" * (5 << 20) + "\n")}, status="error", words=["unknown generator", "(5,242,880 characters)"], max_message=1000)
case("--threads -1", "unclear", ["run", "s.yaml", "--threads", "-1"], {"s.yaml": scenario()}, status=64, words=["--threads must be from 1", "found -1"])
case("--seed -1", "unclear", ["run", "s.yaml", "--seed", "-1"], {"s.yaml": scenario()}, status=64, words=["--seed", "not negative"])
case("--trials -5", "unclear", ["run", "s.yaml", "--trials", "-5"], {"s.yaml": scenario()}, status=64, words=["--trials must be from 1"])
case("bench --repeats -1", "unclear", ["bench", "--repeats", "-1"], status=64, words=["--repeats must be from 1"])
case("synth --days -3", "unclear", ["synth", "s.yaml", "--days", "-3"], {"s.yaml": scenario()}, status=64, words=["--days must be from 1"])
case("fit --prior -1", "unclear", ["fit", "e.csv", "--prior", "-1"], {"e.csv": HEADER + "\n"}, status=64, words=["--prior must be above 0"])
case("ESC in a flag's value", "inject", ["run", "s.yaml", "--generator", "\x1b[2J"], {"s.yaml": scenario()}, status=64, words=["'\\u{1B}[2J'"])
case("ESC in a strategy flag", "inject", ["synth", "s.yaml", "--strategy", "\x1b]0;x\x07"], {"s.yaml": scenario()}, status="error", words=["unknown strategy"])
case("a 100 KB flag value", "unclear", ["score", "e.csv", "--columns", "rep=" + "x" * 100000], {"e.csv": HEADER + "\n"}, status="error", words=["--columns"], max_message=1000)
case("a negative date", "unclear", ["score", "e.csv", "--to", "-1"], {"e.csv": HEADER + "\n"}, status="error", words=["--to", "'-1'"])
case("JSON errors have a line and column", "unclear", ["report", "r.json"], {"r.json": '{"scenario": "x",\n  "trials": 10,,\n}'}, status="error", words=["r.json:2:", "not valid JSON"])
case("a FIFO scenario is read as a stream", "unclear", ["run", "pipe", "--trials", "100"], {"pipe": "@fifo-with:" + scenario()}, status="ok", out=["hostile (pipe)"])
case("a scenario through <(cat file)", "unclear", ["run", "/dev/stdin", "--trials", "100"], {}, stdin=scenario(), status="ok", out=["hostile"])
case("an export through a pipe", "unclear", ["score", "/dev/stdin"], {}, stdin=HEADER + "\n1,ana,out,FINISHED,,,0\n", status="ok", out=["ana"])
case("a scenario from - (standard input)", "unclear", ["run", "-", "--trials", "100"], {}, stdin=scenario(), status="ok", out=["hostile (-)"])
case("an export from - (standard input)", "unclear", ["score", "-"], {}, stdin=HEADER + "\n1,ana,out,FINISHED,,,0\n", status="ok", out=["ana"])
case("an empty file name", "unclear", ["run", ""], status="error", words=["a file name is empty"])
case("a folder as a scenario", "unclear", ["run", "."], status="error", words=["it is a folder"])
case("an unreadable scenario", "unclear", ["run", "s.yaml"], {"s.yaml": "@mode000:" + scenario()}, status="error", words=["permission denied"], root_skips=True)
case("a missing scenario", "unclear", ["run", "nope.yaml"], status="error", words=["nope.yaml", "no such file"])
case("not UTF-8", "unclear", ["run", "s.yaml"], {"s.yaml": b"name: \xff\xfe\n"}, status="error", words=["not UTF-8"])


def builtin_rules(binary, replace=None):
    text = subprocess.run([binary, "rules", "hubspot"], capture_output=True, text=True).stdout
    if replace:
        old, new = replace.split("=", 1)
        text = text.replace(old, new.replace("\\e", "\\e"), 1)
    return text


def saved_result(binary, directory, edit=None):
    import json

    path = os.path.join(directory, "base.json")
    if not os.path.exists(path):
        subprocess.run([binary, "run", os.path.join(ROOT, "Scenarios/baseline.yaml"), "--trials", "500", "--format", "json", "-o", path], check=True)
    result = json.load(open(path))
    if edit:
        key, value = edit.split("=", 1)
        if key == "binWidth":
            result["strategies"][0]["reps"][0]["replyRateDistribution"]["binWidth"] = float(value)
        elif key == "trials":
            result["trials"] = int(value)
        elif key == "seed":
            result["seed"] = int(value)
        elif key == "allBands":
            bands = result["strategies"][0]["reps"][0]["bands"]
            for band in bands:
                bands[band] = 1.0
        elif key == "dropBand":
            result["strategies"][0]["reps"][0]["bands"].pop(value)
        elif key == "pEligible":
            result["strategies"][0]["reps"][0]["pEligible"] = float(value)
        elif key == "duplicateRep":
            for strategy in result["strategies"]:
                strategy["reps"][1]["name"] = strategy["reps"][0]["name"]
        elif key == "name":
            for strategy in result["strategies"]:
                strategy["reps"][0]["name"] = value
    return json.dumps(result)


def saved_part(binary, directory, argument):
    """A part of a 1,500-trial run of the baseline: "K/N", then optionally ":cut", ":tamper",
    or ":seed=S" for a part of another run."""
    shard, _, edit = argument.partition(":")
    options = ["--seed", edit.split("=", 1)[1]] if edit.startswith("seed=") else []
    path = os.path.join(directory, ".part-" + shard.replace("/", "-of-") + edit.replace("=", "") + ".json")
    if edit == "sensitivity":
        command = ["sensitivity", os.path.join(ROOT, "Scenarios/baseline.yaml"), "--trials", "300", "--resamples", "5"]
    else:
        command = ["run", os.path.join(ROOT, "Scenarios/baseline.yaml"), "--trials", "1500", "--quiet"]
    subprocess.run([binary] + command + ["--shard", shard, "--output", path] + options, check=True)
    data = open(path, "rb").read()
    os.unlink(path)
    if edit == "cut":
        data = data[: len(data) // 2]
    elif edit == "tamper":
        data = data.replace(b'"noReplyDenominator":0', b'"noReplyDenominator":7', 1)
    return data


def enrollment_bomb():
    line = "{sequence: out, completed: 1, audience: core}"
    text = "name: bomb\nsegments:\n  core: {bounce: 0.02, reply: 0.08}\nreps:\n  - name: ana\n    enrollments: &l6\n"
    # Lists of lists are not enrollment lines, so the bomb is one flat list built from aliases of mappings.
    text = "name: bomb\nsegments:\n  core: &c {bounce: 0.02, reply: 0.08}\n"
    text += "a0: &a0 [" + ", ".join(["*c"] * 10) + "]\n"
    for i in range(1, 7):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n"
    text += "reps:\n  - name: ana\n    enrollments: [" + line + "]\n    skill: *a6\n"
    return text


def prepare(binary, directory, files):
    for name, content in files.items():
        path = os.path.join(directory, name)
        if isinstance(content, str) and content.startswith("@"):
            kind, _, argument = content[1:].partition(":")
            if kind == "symlink":
                os.symlink(argument, path)
                continue
            if kind == "fifo":
                os.mkfifo(path)
                continue
            if kind == "fifo-with":
                os.mkfifo(path)
                writer = subprocess.Popen(["sh", "-c", 'cat > "$1"', "sh", path], stdin=subprocess.PIPE)
                writer.stdin.write(argument.encode())
                writer.stdin.close()
                continue
            if kind == "result":
                content = saved_result(binary, directory, argument or None)
            elif kind == "builtin-rules":
                content = builtin_rules(binary, argument or None)
            elif kind == "part":
                content = saved_part(binary, directory, argument)
            elif kind == "enrollment-bomb":
                content = enrollment_bomb()
            elif kind == "mode000":
                content = argument
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as handle:
            handle.write(content)
        if isinstance(files[name], str) and files[name].startswith("@mode000"):
            os.chmod(path, 0)


def cap():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def printable(text):
    return not any(ord(c) < 32 and c not in "\n" or 0x7F <= ord(c) <= 0x9F for c in text)


def run_case(binary, name, kind, files, args, expect):
    directory = tempfile.mkdtemp(prefix="hostile-")
    try:
        prepare(binary, directory, files)
        before = {}
        for path in expect.get("unchanged", []):
            with open(os.path.join(directory, path), "rb") as handle:
                before[path] = handle.read()
        started = time.monotonic()
        process = subprocess.Popen(
            [binary] + args, cwd=directory, preexec_fn=cap,
            stdin=open(os.path.join(directory, expect["stdin_file"]), "rb") if "stdin_file" in expect
            else subprocess.PIPE if "stdin" in expect else subprocess.DEVNULL,
            stdout=open("/dev/full", "wb") if expect.get("full") else subprocess.PIPE, stderr=subprocess.PIPE,
        )
        if "interrupt" in expect:
            time.sleep(expect["interrupt"])
            process.send_signal(expect.get("stop", signal.SIGINT))
        try:
            stdout, stderr = process.communicate(input=expect.get("stdin", "").encode() if "stdin" in expect else None, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return [f"no answer within {TIMEOUT} s (a hang)"]
        elapsed = time.monotonic() - started
        out, err = (stdout or b"").decode("utf-8", "replace"), stderr.decode("utf-8", "replace")
        problems = []
        status = expect.get("status", "error")
        code = process.returncode
        if code < 0 and -code in (signal.SIGSEGV, signal.SIGABRT, signal.SIGILL, signal.SIGTRAP, signal.SIGBUS, signal.SIGKILL) and code != status:
            problems.append(f"crashed with signal {-code}: {err[-300:]}")
        elif status == "error" and code != 1:
            problems.append(f"exit status {code}, expected 1 (a clear error)")
        elif status == "ok" and code != 0:
            problems.append(f"exit status {code}, expected 0: {err[:300]}")
        elif isinstance(status, int) and code != status:
            problems.append(f"exit status {code}, expected {status}")
        for word in expect.get("words", []):
            if word not in err:
                problems.append(f"standard error lacks {word!r}: {err[:400]!r}")
        for word in expect.get("out", []):
            if word not in out:
                problems.append(f"standard output lacks {word!r}")
        for word in expect.get("not_out", []):
            if word in out:
                problems.append(f"standard output has {word!r}")
        if "Fatal error" in err or "Backtrac" in err or "Program crashed" in err:
            problems.append("a trap or a stack trace")
        if not printable(err) or (kind == "inject" and not printable(out.replace("\t", ""))):
            problems.append("control characters reach the terminal")
        if status != "ok" and err.count("\n") > 6:
            problems.append(f"more than one message ({err.count(chr(10))} lines)")
        limit = expect.get("max_message", 2000)
        if status != "ok" and len(err) > limit:
            problems.append(f"a message of {len(err)} characters (at most {limit})")
        if len(out) > expect.get("max_out", 10 << 20):
            problems.append(f"{len(out)} characters of output")
        for path, content in before.items():
            with open(os.path.join(directory, path), "rb") as handle:
                if handle.read() != content:
                    problems.append(f"{path} was changed")
        for path in expect.get("absent", []):
            if os.path.lexists(os.path.join(directory, path)):
                problems.append(f"{path} was written")
        for path, size in expect.get("max_file", {}).items():
            if os.path.getsize(os.path.join(directory, path)) > size:
                problems.append(f"{path} has {os.path.getsize(os.path.join(directory, path))} bytes")
        for path, text in expect.get("contains", {}).items():
            if text not in open(os.path.join(directory, path)).read():
                problems.append(f"{path} lacks {text!r}")
        for path in expect.get("links", []):
            if not os.path.islink(os.path.join(directory, path)):
                problems.append(f"the link {path} was replaced")
        for path in expect.get("runs", []):
            check = subprocess.run([binary, "run", path, "--trials", "100"], cwd=directory, capture_output=True, text=True)
            if check.returncode != 0:
                problems.append(f"{path} does not run: {check.stderr[:300]}")
        leftovers = [entry for entry in os.listdir(directory) if entry.endswith(".partial")]
        if leftovers:
            problems.append(f"temporary files left: {leftovers}")
        if elapsed > 30:
            problems.append(f"took {elapsed:.0f} s")
        return problems
    finally:
        for root, folders, names in os.walk(directory):
            for entry in names:
                try:
                    os.chmod(os.path.join(root, entry), 0o600)
                except OSError:
                    pass
        shutil.rmtree(directory, ignore_errors=True)


def main():
    arguments = sys.argv[1:]
    words = None
    if "-k" in arguments:
        index = arguments.index("-k")
        words = arguments[index + 1].lower()
        del arguments[index : index + 2]
    binary = os.path.abspath(arguments[0] if arguments else os.path.join(ROOT, ".build/debug/senderscore"))
    failed = []
    count = 0
    started = time.monotonic()
    for name, kind, files, args, expect in CASES:
        if words and words not in name.lower() and words != kind:
            continue
        if expect.get("root_skips") and os.geteuid() == 0:
            continue
        count += 1
        problems = run_case(binary, name, kind, files, args, expect)
        if problems:
            failed.append((name, kind, problems))
            print(f"FAIL [{kind}] {name}")
            for problem in problems:
                print(f"     {problem}")
    print(f"hostile inputs: {count - len(failed)} of {count} cases passed in {time.monotonic() - started:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
