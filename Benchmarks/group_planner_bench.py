#!/usr/bin/env python3
"""The group planner's speed and quality benchmark (issue 14, "Speed and quality"), called by group-planner.sh.

  generate N SEED FILE       writes a planner input: N waiting parents, 12 languages, 3 audiences, 2 times of day,
                             20 districts plus online, facilitators scarce enough that not everyone can be placed
  check INPUT PLAN           independent checker of a plan (exit 1 and the problems when it breaks a rule)
  compare INPUT PLAN SECONDS TIME_LIMIT [LABEL [DETAIL]]
                             checks the plan, solves the aggregated ILP with HiGHS (highspy) within TIME_LIMIT
                             seconds, runs the plain greedy, and prints one line with GOAL MET / NOT MET

Nothing here is used by the application; the planner itself is Swift (Sources/WegwijsCore/Groups).
"""
import json
import random
import sys
import time
from collections import defaultdict

LANGUAGES = ["ar", "ti", "fa", "so", "uk", "tr", "pl", "bg", "am", "ps", "ru", "en"]
WEIGHTS = [22, 16, 12, 10, 9, 7, 6, 5, 4, 4, 3, 2]
SECOND = {"ti": "am", "am": "ti", "fa": "ps", "ps": "fa", "uk": "ru", "ru": "uk", "ar": "en", "so": "en",
          "tr": "en", "pl": "en", "bg": "ru", "en": "ar"}
DISTRICTS = [f"D{i:02d}" for i in range(1, 21)]
AUDIENCES = ["mothers", "fathers", "mixed"]


def generate(n, seed):
    rng = random.Random(seed)
    parents = []
    for i in range(n):
        first = rng.choices(LANGUAGES, WEIGHTS)[0]
        languages = [first] + ([SECOND[first]] if rng.random() < 0.25 else [])
        audience = rng.choices(AUDIENCES, [55, 35, 10])[0]
        mixed_ok = audience != "mixed" and rng.random() < 0.3
        evening_bias = 0.15 if audience == "fathers" else 0.0
        r = rng.random()
        times = ["daytime"] if r < 0.4 - evening_bias else (["evening"] if r < 0.7 else ["daytime", "evening"])
        online = rng.random() < 0.25
        home = rng.randrange(20)
        reach = [home]
        r = rng.random()
        if r < 0.6:
            reach.append((home + rng.choice([-1, 1])) % 20)
        elif r < 0.85:
            reach += [(home - 1) % 20, (home + 1) % 20]
        districts = [] if online and rng.random() < 0.1 else sorted(DISTRICTS[d] for d in set(reach))
        parents.append({"id": f"p{i + 1}", "languages": languages, "audience": audience, "mixedOk": mixed_ok,
                        "times": times, "online": online, "districts": districts})
    # Scarce: room for roughly 55% of the parents if every series were full, unevenly spread over languages/times.
    series_supply = max(2, round(0.55 * n / 15))
    facilitators = []
    capacity = 0
    t = 0
    while capacity < series_supply:
        t += 1
        cap = rng.choice([1, 2, 2, 3, 4])
        capacity += cap
        r = rng.random()
        times = ["daytime"] if r < 0.45 else (["evening"] if r < 0.75 else ["daytime", "evening"])
        facilitators.append({"id": f"t{t}", "role": "trainer", "languages": ["nl"], "times": times,
                             "maxSeries": cap})
    capacity = 0
    k = 0
    while capacity < round(series_supply * 1.1):
        k += 1
        first = rng.choices(LANGUAGES, [w * (0.5 + rng.random()) for w in WEIGHTS])[0]
        languages = [first] + ([SECOND[first]] if rng.random() < 0.35 else [])
        cap = rng.choice([1, 1, 2, 2, 3])
        capacity += cap
        r = rng.random()
        times = ["daytime"] if r < 0.4 else (["evening"] if r < 0.75 else ["daytime", "evening"])
        facilitators.append({"id": f"k{k}", "role": "keyPerson", "languages": languages, "times": times,
                             "maxSeries": cap})
    return {"rules": {"minSize": 8, "maxSize": 15}, "parents": parents, "facilitators": facilitators}


# --- the contract's rules, checked independently of the Swift code -----------------------------------------------

def check(inp, plan):
    problems = []
    lo, hi = inp["rules"]["minSize"], inp["rules"]["maxSize"]
    parents = {p["id"]: p for p in inp["parents"]}
    people = {f["id"]: f for f in inp["facilitators"]}
    led = defaultdict(int)
    seen = defaultdict(int)
    for i, s in enumerate(plan["series"]):
        if not lo <= len(s["parents"]) <= hi:
            problems.append(f"series {i}: {len(s['parents'])} parents")
        tr, kp = people.get(s["trainer"]), people.get(s["keyPerson"])
        if not tr or tr["role"] != "trainer" or s["time"] not in tr["times"]:
            problems.append(f"series {i}: trainer")
        if not kp or kp["role"] != "keyPerson" or s["time"] not in kp["times"] or s["language"] not in kp["languages"]:
            problems.append(f"series {i}: key person")
        led[s["trainer"]] += 1
        led[s["keyPerson"]] += 1
        for pid in s["parents"]:
            seen[pid] += 1
            p = parents.get(pid)
            if p is None:
                problems.append(f"series {i}: unknown parent")
                continue
            ok_audience = s["audience"] == p["audience"] or (
                s["audience"] == "mixed" and (p.get("mixedOk") or p["audience"] == "mixed"))
            ok_place = p.get("online") if s["place"] == "online" else s["place"] in p.get("districts", [])
            if s["language"] not in p["languages"] or not ok_audience or s["time"] not in p["times"] or not ok_place:
                problems.append(f"series {i}: parent {pid} does not fit")
    for fid, count in led.items():
        if fid in people and count > people[fid]["maxSeries"]:
            problems.append(f"{fid} leads {count} series")
    problems += [f"{pid} in {c} series" for pid, c in seen.items() if c > 1]
    unplaced = {u["id"] for u in plan["unplaced"]}
    for u in plan["unplaced"]:
        if u["id"] in seen or not u.get("reason") or not u.get("explanation"):
            problems.append(f"unplaced {u['id']}")
    problems += [f"{pid} missing" for pid in parents if pid not in seen and pid not in unplaced]
    return problems


# --- the aggregated exact model --------------------------------------------------------------------------------

def aggregate(inp):
    """Identical parents become one type with a count; a kind is (language, audience, time, place)."""
    types = defaultdict(int)
    for p in inp["parents"]:
        audiences = [p["audience"]] + (["mixed"] if p.get("mixedOk") and p["audience"] != "mixed" else [])
        places = list(p.get("districts", [])) + (["online"] if p.get("online") else [])
        kinds = tuple(sorted((l, a, t, pl) for l in p["languages"] for a in audiences for t in p["times"]
                             for pl in places))
        types[kinds] += 1
    return types


def solve_ilp(inp, time_limit):
    import highspy
    import numpy as np
    lo, hi = inp["rules"]["minSize"], inp["rules"]["maxSize"]
    types = aggregate(inp)
    trainers = [f for f in inp["facilitators"] if f["role"] == "trainer" and f["maxSeries"] > 0]
    keys = [f for f in inp["facilitators"] if f["role"] == "keyPerson" and f["maxSeries"] > 0]
    key_slots = {(l, t) for f in keys for l in f["languages"] for t in f["times"]}
    trainer_times = {t for f in trainers for t in f["times"]}
    kinds = sorted({k for ks in types for k in ks if (k[0], k[2]) in key_slots and k[2] in trainer_times})
    kind_index = {k: i for i, k in enumerate(kinds)}
    cols_cost, cols_lo, cols_hi, integer = [], [], [], []

    def col(cost, upper, is_int=False):
        cols_cost.append(cost)
        cols_lo.append(0.0)
        cols_hi.append(upper)
        integer.append(is_int)
        return len(cols_cost) - 1

    n = [col(0.0, highspy.kHighsInf, True) for _ in kinds]
    rows = []  # (lower, upper, {col: coef})
    kind_load = defaultdict(dict)
    for ks, count in types.items():
        row = {}
        for k in ks:
            if k in kind_index:
                c = col(1.0, float(count))
                row[c] = 1.0
                kind_load[kind_index[k]][c] = 1.0
        if row:
            rows.append((-highspy.kHighsInf, float(count), row))
    for i in range(len(kinds)):
        load = kind_load[i]
        rows.append((0.0, highspy.kHighsInf, {**load, n[i]: -float(lo)}))    # load >= lo * n
        rows.append((-highspy.kHighsInf, 0.0, {**load, n[i]: -float(hi)}))    # load <= hi * n
    # Facilitators: series at time t need trainers (transportation), at (language, t) key persons.
    for group, slot_of in ((trainers, lambda k: k[2]), (keys, lambda k: (k[0], k[2]))):
        supply = defaultdict(dict)
        for f in group:
            slots = [t for t in f["times"]] if group is trainers else [(l, t) for l in f["languages"] for t in f["times"]]
            row = {}
            for s in slots:
                c = col(0.0, float(f["maxSeries"]))
                row[c] = 1.0
                supply[s][c] = 1.0
            rows.append((-highspy.kHighsInf, float(f["maxSeries"]), row))
        need = defaultdict(dict)
        for i, k in enumerate(kinds):
            need[slot_of(k)][n[i]] = 1.0
        for s, series in need.items():
            rows.append((0.0, highspy.kHighsInf, {**supply.get(s, {}), **{c: -1.0 for c in series}}))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    ncol = len(cols_cost)
    h.addVars(ncol, np.array(cols_lo), np.array(cols_hi))
    h.changeColsCost(ncol, np.arange(ncol, dtype=np.int32), np.array(cols_cost))
    starts, index, value, rlo, rhi = [], [], [], [], []
    for lower, upper, row in rows:
        starts.append(len(index))
        for c, v in row.items():
            index.append(c)
            value.append(v)
        rlo.append(lower)
        rhi.append(upper)
    h.addRows(len(rows), np.array(rlo), np.array(rhi), len(index), np.array(starts, dtype=np.int32),
              np.array(index, dtype=np.int32), np.array(value))
    ints = np.array([i for i, v in enumerate(integer) if v], dtype=np.int32)
    h.changeColsIntegrality(len(ints), ints, np.array([highspy.HighsVarType.kInteger] * len(ints)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    started = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    best = info.objective_function_value
    bound = info.mip_dual_bound
    optimal = status == "Optimal"
    if optimal:
        bound = best
    return {"bound": float(bound), "best": float(best), "seconds": seconds, "status": status, "optimal": optimal,
            "types": len(types), "kinds": len(kinds), "columns": ncol, "rows": len(rows)}


# --- the plain greedy: fill the largest series first ----------------------------------------------------------

def greedy(inp):
    lo, hi = inp["rules"]["minSize"], inp["rules"]["maxSize"]
    left = {f["id"]: f["maxSeries"] for f in inp["facilitators"]}
    trainers = [f for f in inp["facilitators"] if f["role"] == "trainer"]
    keys = [f for f in inp["facilitators"] if f["role"] == "keyPerson"]
    waiting = defaultdict(list)
    for p in inp["parents"]:
        audiences = [p["audience"]] + (["mixed"] if p.get("mixedOk") and p["audience"] != "mixed" else [])
        places = list(p.get("districts", [])) + (["online"] if p.get("online") else [])
        for l in p["languages"]:
            for a in audiences:
                for t in p["times"]:
                    for pl in places:
                        waiting[(l, a, t, pl)].append(p["id"])
    placed = set()
    total = 0
    while True:
        best, best_count = None, 0
        for kind in sorted(waiting):
            count = sum(1 for pid in waiting[kind] if pid not in placed)
            if count > best_count:
                tr = next((f for f in trainers if left[f["id"]] > 0 and kind[2] in f["times"]), None)
                kp = next((f for f in keys if left[f["id"]] > 0 and kind[2] in f["times"]
                           and kind[0] in f["languages"]), None)
                if tr and kp:
                    best, best_count = (kind, tr, kp), count
        if best is None or best_count < lo:
            return total
        kind, tr, kp = best
        members = [pid for pid in waiting[kind] if pid not in placed][:hi]
        placed.update(members)
        total += len(members)
        left[tr["id"]] -= 1
        left[kp["id"]] -= 1


def main():
    command = sys.argv[1]
    if command == "generate":
        n, seed, path = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        with open(path, "w") as f:
            json.dump(generate(n, seed), f)
    elif command == "check":
        inp, plan = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
        problems = check(inp, plan)
        if problems:
            print("\n".join(problems[:20]))
            sys.exit(1)
    elif command == "compare":
        inp, plan = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
        planner_seconds, time_limit = float(sys.argv[4]), float(sys.argv[5])
        label = sys.argv[6] if len(sys.argv) > 6 else ""
        detail = f" ({sys.argv[7]})" if len(sys.argv) > 7 else ""
        problems = check(inp, plan)
        if problems:
            print(f"{label} PLAN INVALID: " + "; ".join(problems[:5]))
            sys.exit(2)
        placed = sum(len(s["parents"]) for s in plan["series"])
        ilp = solve_ilp(inp, time_limit)
        base = greedy(inp)
        share = 100.0 * placed / ilp["bound"] if ilp["bound"] > 0 else 100.0
        speed = ilp["seconds"] / planner_seconds if planner_seconds > 0 else float("inf")
        met = share >= 98.0 and speed >= 20.0
        print(f"{label} placed {placed} of bound {ilp['bound']:.0f} ({ilp['status']}, solver best {ilp['best']:.0f})"
              f" = {share:.1f}% | greedy {100.0 * base / ilp['bound']:.1f}% | planning {planner_seconds:.3f} s{detail},"
              f" solver {ilp['seconds']:.1f} s = {speed:.0f}x | series {len(plan['series'])}"
              f" | model {ilp['types']} types {ilp['kinds']} kinds {ilp['columns']} cols | "
              f"{'GOAL MET' if met else 'GOAL NOT MET'}")
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
