#!/usr/bin/env python3
"""Builds resources/events/cameo.tsv: every CAMEO event code with its name, Goldstein score and
PLOVER event type, mode and context, from the codebook tables in ../shared/data/event-coding.

    python3 scripts/build_cameo_table.py

Standard library only; run from anywhere. The output is deterministic (sorted by code).
Sources: the CAMEO codebook's event codes and the Goldstein scale (as GDELT publishes them) and
the PLOVER project's CAMEO-to-PLOVER mapping (CC BY-SA 4.0).
"""
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
data = os.path.join(root, "..", "shared", "data", "event-coding")


def table(path):
    rows = {}
    with open(path, encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0].strip():
                rows[parts[0].strip()] = parts[1].strip()
    return rows


names = table(os.path.join(data, "cameo", "eventcodes.tsv"))
goldstein = table(os.path.join(data, "cameo", "goldstein.tsv"))
plover = {}
with open(os.path.join(data, "plover", "CAMEO2PLOVER-2021.txt"), encoding="utf-8") as handle:
    for line in handle:
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        code, mapping = line.split(":", 1)
        fields = [field.strip() for field in mapping.split(",")]
        while len(fields) < 3:
            fields.append("")
        plover[code.strip()] = fields[:3]

missing = sorted(set(names) - set(goldstein))
if missing:
    sys.exit(f"codes without a Goldstein score: {missing}")
out_path = os.path.join(root, "resources", "events", "cameo.tsv")
with open(out_path, "w", encoding="utf-8") as out:
    out.write("# CAMEO event codes: code, Goldstein score, PLOVER type, mode and context, name.\n")
    out.write("# Built by scripts/build_cameo_table.py from the CAMEO codebook's event codes and the\n")
    out.write("# Goldstein scale, and the PLOVER project's CAMEO-to-PLOVER mapping (CC BY-SA 4.0).\n")
    out.write("# code\tgoldstein\tplover\tmode\tcontext\tname\n")
    for code in sorted(names):
        event, mode, context = plover.get(code, ["", "", ""])
        out.write(f"{code}\t{goldstein[code]}\t{event}\t{mode}\t{context}\t{names[code]}\n")
print(f"wrote {out_path}: {len(names)} codes, {sum(1 for c in names if c in plover)} with a PLOVER type")
