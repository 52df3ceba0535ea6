#!/usr/bin/env python3
"""Split `dateline eval events --misses` output by half of the PLOVER gold records: dev = the
records at an odd index of the gold file (0 = its first element, the DOCUMENT record), test =
the even ones. Prints each half's score to stderr and, given `dev` or `test`, that half's misses.

Usage: scripts/plover_halves.py GOLD MISSES [dev|test]"""
import json, sys, re
LEGACY = {'JAP': 'JPN', 'ITL': 'ITA', 'VTN': 'VNM'}  # as `dateline eval events` reads gold codes
MAP = {'DEMAND': 'REQUEST', 'DISAPPROVE': 'ACCUSE', 'INVESTIGATE': 'ACCUSE', 'FIGHT': 'ASSAULT'}
gold = json.load(open(sys.argv[1]))
show = sys.argv[3] if len(sys.argv) > 3 else None
keys = {}
size = {'dev': 0, 'test': 0}
for i, r in enumerate(gold):
    if r.get('event') == 'DOCUMENT' or 'text' not in r:
        continue
    h = 'dev' if i % 2 == 1 else 'test'
    size[h] += 1
    t = MAP.get(r['event'], r['event'])
    src = [LEGACY.get(a['code'][:3], a['code'][:3]) for a in r.get('source', []) if a.get('code')]
    keys.setdefault((r['text'], t, json.dumps(src)), []).append(h)
lines = open(sys.argv[2]).read().split('\n')
miss = {'dev': 0, 'test': 0, '?': 0}
out = {'dev': [], 'test': [], '?': []}
for j, l in enumerate(lines):
    m = re.match(r'MISS (\S+) (\[.*?\])->\[.*?\]: (.*)$', l)
    if not m:
        continue
    src = json.dumps(json.loads(m.group(2)))
    hs = keys.get((m.group(3), m.group(1), src))
    h = hs.pop(0) if hs else '?'
    miss[h] += 1
    out[h].append(l + '\n' + lines[j + 1])
for h in ('dev', 'test'):
    n = size[h]; f = n - miss[h]
    print(f'{h}: {f}/{n} = {100*f/n:.1f}%', file=sys.stderr)
if miss['?']:
    print('unmatched', miss['?'], file=sys.stderr)
if show:
    print('\n'.join(out[show]))
