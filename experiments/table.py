#!/usr/bin/env python3
"""Render the benchmark JSON files in this folder (written by `dfplan bench
--json`) as the Markdown tables in docs/results.md. Numbers come only from the
JSON files; nothing is typed by hand."""
import glob, json, os, sys

import paired as pairs  # experiments/paired.py: per-episode scores, mean ± s.e.

order = ["df", "df-nomcg", "fullseq", "mppi", "expert", "random"]
here = os.path.dirname(os.path.abspath(__file__))

def load(folder):
    rows = {}
    for path in sorted(glob.glob(os.path.join(here, folder, "*.json"))):
        with open(path) as f:
            r = json.load(f)
        for o in r if isinstance(r, list) else [r]:
            if o.get("config", {}).get("hold", 0) > 0:
                continue  # df + hold (results/hold.sh): the brief's row only
            rows[(o["task"], o["maze"], o["planner"])] = o
    return rows

def cell(o):
    s = o["normalized_score"]
    lat = o["plan_latency_ms"]
    drift = o.get("plan_drift_m")
    d = " · %.2f m" % drift if drift is not None else ""
    hold = o.get("hold_rate")
    h = " (hold %.0f%%)" % (100 * hold) if hold is not None else ""
    return "%.1f ± %.1f · %.0f%%%s · %.0f/%.0f ms%s" % (s["mean"], s["stderr"], 100 * o["success_rate"], h, lat["p50"], lat["p99"], d)

def short(o):
    """score ± s.e. · success (hold), for the smaller tables; – if not run."""
    if o is None:
        return "–"
    sc, hold = o["normalized_score"], o.get("hold_rate")
    h = " (hold %.0f%%)" % (100 * hold) if hold is not None else ""
    return "%.1f ± %.1f · %.0f%%%s" % (sc["mean"], sc["stderr"], 100 * o["success_rate"], h)

def settings(objs, with_stop=True):
    """The df planners' settings, read from the JSON: one phrase when every
    maze ran with the same, else one per group of mazes (a maze's model may
    ship its own settings). Within a maze they must agree."""
    objs = [o for o in objs if o["planner"] in ("df", "df-nomcg", "fullseq")]
    if not objs:
        return "no df planners"
    by_maze = {}
    for m in ["umaze", "medium", "large"]:
        mo = [o for o in objs if o["maze"] == m]
        if not mo:
            continue
        seen = {(o["config"]["horizon_tokens"], o["config"]["sampling_steps"], o["config"]["guidance_scale"], o["config"]["open_loop"],
                 o["config"]["eta"], o["config"].get("warm_rows", 0), o["config"].get("stop_weight", 0) if with_stop else 0,
                 o["config"].get("stop_gate", 2 * o["config"].get("stop_radius", 0.5)) if with_stop and o["config"].get("stop_weight", 0) else 0,
                 o["config"].get("discount", 0) or 1, o["config"].get("unstick", 0)) for o in mo}
        mcg = {o["config"]["mcg_samples"] for o in mo if o["planner"] == "df"}
        if len(seen) != 1 or len(mcg) > 1:
            sys.exit("table.py: %s: df planners with different settings in one table: %s, MCG %s" % (m, sorted(seen), sorted(mcg)))
        (tokens, steps, guidance, open_loop, eta, warm, stop, gate, discount, unstick), = seen
        if eta != 0 or warm != 0:
            sys.exit("table.py: df planners with eta %g, warm rows %d: the headers do not say so" % (eta, warm))
        mc = " MCG %d for df," % mcg.pop() if mcg else ""
        st = ", stop weight %g within %g m of the goal" % (stop, gate) if stop else ""
        st += ", goal discount %g per frame" % discount if discount != 1 else ""
        st += ", %d unguided replans for a pinned robot" % unstick if unstick else ""
        by_maze[m] = "%d tokens, %d sampling steps, guidance %g,%s open loop %d%s" % (tokens, steps, guidance, mc, open_loop, st)
    groups = {}
    for m, phrase in by_maze.items():
        groups.setdefault(phrase, []).append(m)
    if len(groups) == 1:
        return next(iter(groups))
    return "; ".join("%s: %s" % (", ".join(ms), phrase) for phrase, ms in sorted(groups.items(), key=lambda kv: -len(kv[1])))

def main_table(rows, title):
    for task in ["single", "multi"]:
        mazes = [m for m in ["umaze", "medium", "large"] if any(k[0] == task and k[1] == m for k in rows)]
        if not mazes:
            continue
        print("**%s-task%s**, %s episodes per cell, seed %s, %s. Cells: normalized score ± s.e. · success rate (hold: share of the steps from the first reach on spent at the goal) · plan latency p50/p99 (one batched call for all episodes that replan together; see `plans_per_call` in the JSON) · plan drift (where the executed open-loop actions left the robot vs. where the plan said; planners that predict states only)\n" % (task, title, "/".join(sorted({str(o["episodes"]) for k, o in rows.items() if k[0] == task})), "/".join(sorted({str(o["seed"]) for k, o in rows.items() if k[0] == task})), settings([o for k, o in rows.items() if k[0] == task])))
        print("| planner | " + " | ".join(mazes) + " |")
        print("|---|" + "---|" * len(mazes))
        for p in order:
            cells = [cell(rows[(task, m, p)]) if (task, m, p) in rows else "not run" for m in mazes]
            if all(c == "not run" for c in cells):
                continue
            print("| %s | %s |" % (p, " | ".join(cells)))
        print()

rows = load("../results")  # the main table
g10 = load("g10")
def paired(a, b):
    """Mean and standard error of b − a in normalized score over the same
    episodes (same seed: same starts and goals), or None."""
    if len(a["returns"]) != len(b["returns"]) or a["seed"] != b["seed"] or a["task"] != b["task"] or not a["return"]["stderr"] > 0:
        return None
    return pairs.mean_se([y - x for x, y in zip(pairs.scores(a), pairs.scores(b))])

def paired_table(rows, earlier):
    pairs = [("df-nomcg", rows, "df", rows, "df − df-nomcg (MCG)"),
             ("fullseq", rows, "df-nomcg", rows, "df-nomcg − fullseq (pyramid)"),
             ("df", earlier, "df", rows, "df − df at the earlier defaults")]
    n = "/".join(sorted({str(o["episodes"]) for o in rows.values()}))
    print("**paired differences**, same episodes (same seed, starts and goals): mean difference in normalized score ± its standard error over the %s episode pairs of a cell\n" % n)
    print("| maze | task | " + " | ".join(p[4] for p in pairs) + " |")
    print("|---|---|" + "---|" * len(pairs))
    for task in ["single", "multi"]:
        for m in ["umaze", "medium", "large"]:
            cells = []
            for pa, ta, pb, tb, _ in pairs:
                a, b = ta.get((task, m, pa)), tb.get((task, m, pb))
                r = paired(a, b) if a and b else None
                cells.append("%+.1f ± %.1f" % r if r else "–")
            print("| %s | %s | %s |" % (m, task, " | ".join(cells)))
    print()

main_table(rows, "")
paired_table(rows, g10)
# The df planners at the earlier defaults (experiments/g10/).
main_table(g10, ", earlier defaults")

# The compute sweep (experiments/sweep/*.json, one cell per sampling steps × MCG
# samples), if present.
sweep = []
for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sweep", "*.json"))):
    with open(path) as f:
        sweep.append(json.load(f))
if sweep:
    o = sweep[0]
    print("**compute sweep**, %s, %s task, df, %d episodes per cell, seed 0, guidance %g\n" % (o["maze"], o["task"], o["episodes"], o["config"]["guidance_scale"]))
    print("| sampling steps | MCG samples | score ± s.e. | success | plan p50/p99 per call of %d | wall |" % o["plans_per_call"])
    print("|---|---|---|---|---|---|")
    for o in sorted(sweep, key=lambda o: (o["config"]["sampling_steps"], o["config"]["mcg_samples"])):
        s, lat = o["normalized_score"], o["plan_latency_ms"]
        print("| %d | %d | %.1f ± %.1f | %.0f%% | %.0f/%.0f ms | %.0f s |" % (o["config"]["sampling_steps"], o["config"]["mcg_samples"], s["mean"], s["stderr"], 100 * o["success_rate"], lat["p50"], lat["p99"], o["wall_s"]))
    print()

# The choice of the df defaults (experiments/node-config/*.json: df on each
# maze's single-task goal, one file per setting), if present.
tune = {}
for path in sorted(glob.glob(os.path.join(here, "node-config", "*.json"))):
    with open(path) as f:
        o = json.load(f)
    c = o["config"]
    tune.setdefault((c["sampling_steps"], c["mcg_samples"], c["guidance_scale"]), {})[o["maze"]] = o
if tune:
    protos = {(o["task"], o["episodes"], o["seed"], o["plans_per_call"]) for v in tune.values() for o in v.values()}
    if len(protos) != 1 or sum(len(v) for v in tune.values()) != len(glob.glob(os.path.join(here, "node-config", "*.json"))):
        sys.exit("table.py: node-config/*.json mix protocols %s or repeat a maze and setting" % sorted(protos))
    o = next(iter(next(iter(tune.values())).values()))
    print("**choosing the defaults**, df, %s task, %d episodes per cell, seed %d. Cells: normalized score ± s.e. · success rate (hold); – not run\n" % (o["task"], o["episodes"], o["seed"]))
    print("| sampling steps | MCG samples | guidance | umaze | medium | large | plan p50 per call of %d |" % o["plans_per_call"])
    print("|---|---|---|---|---|---|---|")
    for (steps, mcg, g), by_maze in sorted(tune.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        cells = []
        for m in ["umaze", "medium", "large"]:
            cells.append(short(by_maze.get(m)))
        lat = sorted(o["plan_latency_ms"]["p50"] for o in by_maze.values())
        print("| %d | %d | %g | %s | %.0f–%.0f ms |" % (steps, mcg, g, " | ".join(cells), lat[0], lat[-1]))
    print()

# The two candidate settings on a third seed, run for the decision only
# (experiments/node-config/seed2/*.json: df, both tasks), if present.
val = {}
for path in sorted(glob.glob(os.path.join(here, "node-config", "seed2", "*.json"))):
    with open(path) as f:
        o = json.load(f)
    c = o["config"]
    val.setdefault((c["sampling_steps"], c["mcg_samples"], c["guidance_scale"]), {})[(o["task"], o["maze"])] = o
if len(val) == 2:
    (ka, a), (kb, b) = sorted(val.items(), reverse=True)
    o = next(iter(a.values()))
    name = lambda k: "%d steps, MCG %d, guidance %g" % k
    print("**a third seed**, df, %d episodes per cell, seed %d. Cells: normalized score ± s.e. · success rate (hold); the difference is paired over the same episodes\n" % (o["episodes"], o["seed"]))
    print("| maze | task | %s | %s | second − first |" % (name(ka), name(kb)))
    print("|---|---|---|---|---|")
    for task in ["single", "multi"]:
        for m in ["umaze", "medium", "large"]:
            x, y = a.get((task, m)), b.get((task, m))
            r = paired(x, y) if x and y else None
            print("| %s | %s | %s | %s | %s |" % (m, task, short(x), short(y), "%+.1f ± %.1f" % r if r else "–"))
    print()

# The stop weight (experiments/stop/*.json: cells with and without
# --stop-weight), one table per protocol (episodes, seed). A weight-0 cell
# missing there is taken from the main table or experiments/g10/ when its
# protocol and settings match.
stop = {}
for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "stop", "*.json"))):
    with open(path) as f:
        o = json.load(f)
    proto = (o["episodes"], o["seed"])
    # Runs from before the flag existed have no stop term: weight 0.
    stop.setdefault(proto, {}).setdefault((o["maze"], o["task"], o["planner"]), {})[o["config"].get("stop_weight", 0)] = o
for (eps, seed), cells_by_key in sorted(stop.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
    for key, by_w in cells_by_key.items():
        if 0 in by_w:
            continue
        # A weight-0 cell missing here is taken from the main table or
        # experiments/g10/, if one ran with the same settings and protocol.
        like = next(iter(by_w.values()))
        def same(o):
            strip = lambda c: {k: v for k, v in c.items() if k not in ("stop_weight", "stop_radius")}
            return (o["episodes"] == eps and o["seed"] == seed and o["config"].get("stop_weight", 0) == 0
                    and strip(o["config"]) == strip(like["config"]))
        for table in (rows, g10):
            main = table.get((key[1], key[0], key[2]))
            if main is not None and same(main):
                by_w[0] = main
                break
    weights = sorted({w for v in cells_by_key.values() for w in v})
    print("**stop weight**, %d episodes per cell, seed %d, %s. Cells: normalized score ± s.e. · success rate (hold); – not run\n" % (eps, seed, settings([o for v in cells_by_key.values() for o in v.values()], with_stop=False)))
    print("| maze | task | planner | " + " | ".join("stop weight %g" % w for w in weights) + " |")
    print("|---|---|---|" + "---|" * len(weights))
    mazes = ["umaze", "medium", "large"]
    for key in sorted(cells_by_key, key=lambda k: (mazes.index(k[0]) if k[0] in mazes else 9, k[1] != "single", order.index(k[2]) if k[2] in order else 9)):
        cells = []
        for w in weights:
            cells.append(short(cells_by_key[key].get(w)))
        print("| %s | %s | %s | %s |" % (key[0], key[1], key[2], " | ".join(cells)))
    print()

# Planner settings for umaze (the settings shipped in
# models/shipped/umaze.plan.yaml were chosen from these): every df run on
# umaze off the table's seed, from umaze-plan/, node-config/ and stop/,
# one table per protocol (episodes, seed), rows by setting.
umaze = {}
for pattern in ["umaze-plan/*/*.json", "node-config/umaze-*.json", "node-config/seed2/umaze-*.json", "stop/umaze-*-df-stop*.json"]:
    for path in sorted(glob.glob(os.path.join(here, pattern))):
        with open(path) as f:
            o = json.load(f)
        if o["planner"] != "df" or o["seed"] == 0:
            continue
        c = o["config"]
        r = c.get("stop_radius", 0.5)
        # Runs from before the gate was a setting had it at 2r.
        key = (c["sampling_steps"], c["mcg_samples"], c["guidance_scale"], c.get("stop_weight", 0), r, c.get("stop_gate", 2 * r), c.get("discount", 0) or 1)
        cells = umaze.setdefault((o["episodes"], o["seed"]), {}).setdefault(key, {})
        if o["task"] in cells and cells[o["task"]]["returns"] != o["returns"]:
            sys.exit("table.py: two umaze runs of %s, %s task, disagree" % (key, o["task"]))
        cells[o["task"]] = o
for (eps, seed), by_key in sorted(umaze.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
    fixed = {(o["config"]["horizon_tokens"], o["config"]["open_loop"]) for c in by_key.values() for o in c.values()}
    if len(fixed) != 1:
        sys.exit("table.py: umaze planner settings, seed %d: runs with different horizons or open loops %s" % (seed, sorted(fixed)))
    (tokens, open_loop), = fixed
    print("**umaze planner settings**, df, %d episodes per cell, seed %d, %d tokens, open loop %d. Cells: normalized score ± s.e. · success rate (hold); mean of the two tasks where both ran\n" % (eps, seed, tokens, open_loop))
    print("| sampling steps | MCG | guidance | stop weight | stop radius | stop gate | discount | single-task | multi-task | mean |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted(by_key):
        c = by_key[key]
        both = "%.1f" % ((c["single"]["normalized_score"]["mean"] + c["multi"]["normalized_score"]["mean"]) / 2) if len(c) == 2 else "–"
        r, g = ("%g" % key[4], "%g" % key[5]) if key[3] else ("–", "–")
        disc = "%g" % key[6] if key[6] != 1 else "–"
        print("| %d | %d | %g | %g | %s | %s | %s | %s | %s | %s |" % (key[0], key[1], key[2], key[3], r, g, disc, short(c.get("single")), short(c.get("multi")), both))
    print()

# Settings run on every tuning seed with both tasks: their means pooled
# over the seeds, weighted by episodes (the rule that picked umaze's stop
# gate; experiments/umaze-plan/README.md).
if umaze:
    both = lambda c: len(c) == 2
    common = set.intersection(*[{k for k, c in by_key.items() if both(c)} for by_key in umaze.values()])
    if common and len(umaze) > 1:
        print("**umaze settings run on every tuning seed** (%s), df: mean of the two tasks' scores per seed, pooled weighted by episodes\n" % ", ".join("seed %d" % s for _, s in sorted(umaze, key=lambda p: p[1])))
        print("| sampling steps | MCG | guidance | stop weight | stop radius | stop gate | discount | pooled mean |")
        print("|---|---|---|---|---|---|---|---|")
        for key in sorted(common):
            tot = w = 0
            for (eps, seed), by_key in umaze.items():
                c = by_key[key]
                tot += eps * (c["single"]["normalized_score"]["mean"] + c["multi"]["normalized_score"]["mean"]) / 2
                w += eps
            print("| %d | %d | %g | %g | %g | %g | %g | %.2f |" % (key + (tot / w,)))
        print()

# The df-family ablations at umaze's shipped settings off the table's seed
# (seeds 2 and 3; experiments/umaze-plan/README.md), with and without the goal
# discount: does the table's ordering hold there?
abl = {}
for path in sorted(glob.glob(os.path.join(here, "umaze-plan/seed*/*.json"))):
    with open(path) as f:
        o = json.load(f)
    c = o["config"]
    shipped = (c["sampling_steps"], c["guidance_scale"], c.get("stop_weight", 0), c.get("stop_gate"), c["horizon_tokens"], c["open_loop"]) == (10, 10, 2, 0.5, 15, 10)
    if o["episodes"] != 50 or not shipped or (o["planner"] == "df" and c["mcg_samples"] != 4):
        continue
    key = (o["seed"], c.get("discount", 0) or 1)
    cells = abl.setdefault(key, {})
    if (o["task"], o["planner"]) in cells:
        sys.exit("table.py: two umaze ablation runs of %s, %s, %s" % (key, o["task"], o["planner"]))
    cells[(o["task"], o["planner"])] = o
full = {k: v for k, v in abl.items() if len(v) == 6}
if full:
    print("**umaze ablations at the shipped settings**, 50 episodes per cell, 10 sampling steps, guidance 10 (MCG 4 for df), stop weight 2 within 0.5 m of the goal. Cells: normalized score ± s.e. · success rate (hold)\n")
    print("| seed | discount | task | df | df-nomcg | fullseq |")
    print("|---|---|---|---|---|---|")
    for (seed, disc), cells in sorted(full.items()):
        for task in ["single", "multi"]:
            print("| %d | %s | %s | %s |" % (seed, "%g" % disc if disc != 1 else "–", task, " | ".join(short(cells[(task, p)]) for p in ["df", "df-nomcg", "fullseq"])))
    print()
