#!/usr/bin/env python3
"""The competitor to beat: the senderscore model as a plain vectorized numpy script.

Same model as `senderscore run` (segments, reps, enrollment lines, audience split by a
multinomial draw, bounced / replied / unsubscribed by binomial draws per cohort, per-trial
parameter draws), vectorized over trials the way a data scientist would write it. It scores with
floating-point rates (not exact fractions) and the hubspot rule set, and reports trials per second.

    python3 Benchmarks/numpy_competitor.py Scenarios/baseline.yaml --trials 200000

Needs numpy and PyYAML.
"""
import argparse
import time

import numpy as np
import yaml

REPLY = ([0.0, 0.02, 0.04, 0.07], [0, 10, 25, 50])
BOUNCE = ([0.0, 0.03, 0.05, 0.10], [50, 25, 10, 0])
BANDS = [0, 40, 70, 90]


def draw(rng, spec, size, probability=True):
    if not isinstance(spec, dict):
        return np.full(size, float(str(spec).rstrip("%")) / (100 if str(spec).endswith("%") else 1))
    (kind, body), = spec.items()
    if kind == "beta":
        if "mean" in body:
            m, s = body["mean"], body["sd"]
            k = m * (1 - m) / s**2 - 1
            return rng.beta(m * k, (1 - m) * k, size)
        return rng.beta(body["alpha"], body["beta"], size)
    if kind == "uniform":
        return rng.uniform(body[0], body[1], size)
    if kind == "triangular":
        return rng.triangular(body[0], body[1], body[2], size)
    if kind == "normal":
        lo, hi = (0.0, 1.0) if probability else (0.0, np.inf)
        x = rng.normal(body["mean"], body["sd"], size)
        bad = (x < lo) | (x > hi)
        while bad.any():
            x[bad] = rng.normal(body["mean"], body["sd"], bad.sum())
            bad = (x < lo) | (x > hi)
        return x
    if kind == "lognormal":
        m = body["median"]
        if "sigma" in body:
            sigma = body["sigma"]
        else:
            r = body["sd"] / m
            sigma = np.sqrt(np.log((1 + np.sqrt(1 + 4 * r * r)) / 2))
        return rng.lognormal(np.log(m), sigma, size)
    if kind == "gamma":
        if "mean" in body:
            m, s = body["mean"], body["sd"]
            return rng.gamma(m * m / s**2, s**2 / m, size)
        return rng.gamma(body["shape"], body["scale"], size)
    raise ValueError(kind)


def draw_count(rng, spec, size):
    if not isinstance(spec, dict):
        return np.full(size, int(spec), dtype=np.int64)
    (kind, body), = spec.items()
    if kind == "poisson":
        return rng.poisson(body, size)
    if "mean" in body:
        m, s = body["mean"], body["sd"]
        return rng.negative_binomial(m * m / (s * s - m), m / (s * s), size)
    return rng.negative_binomial(body["n"], body["p"], size)


def simulate(scenario, trials, seed):
    rng = np.random.default_rng(seed)
    seg = {}
    for name, s in scenario["segments"].items():
        seg[name] = (draw(rng, s["bounce"], trials), draw(rng, s["reply"], trials),
                     draw(rng, s["unsubscribe"], trials) if "unsubscribe" in s else None)
    levels = {}
    team = np.zeros((3, trials), dtype=np.int64)
    for rep in scenario["reps"]:
        skill = draw(rng, rep["skill"], trials, probability=False) if "skill" in rep else 1.0
        total = np.zeros((3, trials), dtype=np.int64)
        for line in rep["enrollments"]:
            n = draw_count(rng, line["completed"], trials)
            audience = line["audience"]
            if isinstance(audience, str):
                audience = {audience: 1.0}
            names = list(audience)
            split = rng.multinomial(n, [audience[k] for k in names]) if len(names) > 1 else n[:, None]
            counts = np.zeros((3, trials), dtype=np.int64)
            for j, name in enumerate(names):
                bounce, reply, unsub = seg[name]
                nc = split[:, j]
                bounced = rng.binomial(nc, bounce)
                delivered = nc - bounced
                replied = rng.binomial(delivered, np.minimum(1.0, reply * skill))
                if unsub is not None:
                    rng.binomial(delivered - replied, unsub)
                counts += np.stack([nc, bounced, replied])
            key = (rep["name"], line["sequence"])
            levels[key] = levels.get(key, 0) + counts
            total += counts
        levels[(rep["name"], None)] = total
        team += total
    levels[("team", None)] = team
    results = {}
    for key, (completed, bounced, replied) in levels.items():
        minimum = 101 if key[1] else 100
        delivered = completed - bounced
        with np.errstate(divide="ignore", invalid="ignore"):
            reply_rate = np.where(delivered > 0, replied / np.maximum(delivered, 1), np.nan)
            bounce_rate = bounced / np.maximum(completed, 1)
        points = np.where(np.isnan(reply_rate), 0,
                          np.take(REPLY[1], np.searchsorted(REPLY[0], np.nan_to_num(reply_rate), "right") - 1))
        points = points + np.take(BOUNCE[1], np.searchsorted(BOUNCE[0], bounce_rate, "right") - 1)
        band = np.searchsorted(BANDS, points, "right") - 1
        band = np.where(completed >= minimum, band, len(BANDS))
        results[key] = np.bincount(band, minlength=len(BANDS) + 1) / trials
        np.histogram(reply_rate[~np.isnan(reply_rate)], bins=2000, range=(0, 1))
        np.histogram(bounce_rate, bins=2000, range=(0, 1))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario")
    parser.add_argument("--trials", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.scenario) as f:
        scenario = yaml.safe_load(f)
    best = float("inf")
    for _ in range(args.repeats):
        start = time.perf_counter()
        results = simulate(scenario, args.trials, args.seed)
        best = min(best, time.perf_counter() - start)
    print(f"numpy {np.__version__}: {args.trials:,} trials in {best:.3f} s, best of {args.repeats}: "
          f"{args.trials / best:,.0f} trials/s ({best * 1e9 / args.trials:,.0f} ns/trial), one thread")
    team = results[("team", None)]
    print("team bands (Low, Fair, Good, Excellent, Ineligible):", " ".join(f"{p:.3f}" for p in team))


if __name__ == "__main__":
    main()
