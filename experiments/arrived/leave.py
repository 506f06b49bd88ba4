#!/usr/bin/env python3
"""What robots at their goal do, from `dfplan bench --trace` files: for the
replans made within 0.5 m of the goal after the first arrival, split by
whether the robot is out of 0.5 m at the next replan ("leave") or not
("stay"): its speed, the planned actions' mean |a| over the executed 5
frames, the plan's distance to the goal and speed at frame 5, and more.

Usage: python3 experiments/arrived/leave.py TRACE.jsonl ...
(session 29: dfplan bench --maze medium --task single|multi --planner df
--episodes 20 --seed 777 --batch 20 --trace T.jsonl, shipped model and
medium-long with --plan models/shipped/medium.plan.yaml)"""
import collections
import json
import math
import sys


def load(f):
    eps = collections.defaultdict(list)
    for line in open(f):
        l = json.loads(line)
        eps[l['episode']].append(l)
    return eps
def d(p, g): return math.hypot(p[0]-g[0], p[1]-g[1])
for f in sys.argv[1:]:
    eps = load(f)
    n_in = n_leave = 0
    stats = collections.defaultdict(list)
    for e, pl in eps.items():
        pl.sort(key=lambda l: l['step'])
        arrived = False
        for i, l in enumerate(pl[:-1]):
            g = l['goal']; s = l['state']
            if d(s, g) < 0.5: arrived = True
            if not arrived or d(s, g) >= 0.5: continue
            n_in += 1
            nxt = pl[i+1]['state']
            leave = d(nxt, g) >= 0.5
            k = 'leave' if leave else 'stay'
            obs = l['observations']; act = l['actions']
            stats[k+' speed'].append(math.hypot(s[2], s[3]))
            stats[k+' plan d5'].append(d(obs[4], g))
            stats[k+' plan dmax15'].append(max(d(o, g) for o in obs[:15]))
            stats[k+' plan dend'].append(d(obs[-1], g))
            stats[k+' plan v5'].append(math.hypot(obs[4][2], obs[4][3]))
            stats[k+' act mean5'].append(sum(math.hypot(*a) for a in act[:5])/5)
            stats[k+' exec err5'].append(d(obs[4], nxt) if pl[i+1]['step'] - l['step'] == 5 else float('nan'))
            stats[k+' inwall'].append(l['in_wall'])
            stats[k+' unguided'].append(1 if l['unguided'] else 0)
            if leave: n_leave += 1
    print(f, 'replans at goal', n_in, 'leaving', n_leave)
    for k in sorted(stats):
        v = [x for x in stats[k] if x == x]
        v.sort()
        if v: print('  %-18s n=%4d mean %.3f p50 %.3f p90 %.3f' % (k, len(v), sum(v)/len(v), v[len(v)//2], v[int(len(v)*0.9)]))
