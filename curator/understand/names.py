"""Reading one sign-off line: valediction, name, place, or a request to stay unnamed.

Conventions (signal_dev README): titles and couples are kept as signed ("Dr. Matthias
Oberländer", "Ruth and Dev Kapadia"); the Latin form wins when a name or place is given in
two scripts; the sign-off name wins over the From display name, which is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from curator.understand.gazetteer import Place, find_place

# Valedictions in the languages readers write in; the line may end in "," or "!".
_VALEDICTION = re.compile(
    r"^(?:(?:with )?(?:best|kind|warm|warmest|many|all the best|my best|sincere|cordial)?"
    r"\s*(?:regards|wishes|greetings)"  # "Kind regards", "Best wishes", "Warm greetings"
    r"|best|cheers|thanks|thank you|many thanks|thanks again|sincerely|yours(?: sincerely| truly"
    r"| faithfully)?|respectfully|take care|peace|cordially|all the best|warmly|ta"  # en
    r"|(?:viele|liebe|beste|freundliche|herzliche) grüße|mit freundlichen grüßen"
    r"|gruß|lg|mfg|viele grüsse|liebe grüsse|beste grüsse"  # de
    r"|cordialement|bien à vous|bien cordialement|amitiés|salutations|merci"  # fr
    r"|un saludo|saludos(?: cordiales)?|atentamente|un abrazo|gracias"  # es
    r"|cordiali saluti|saluti|distinti saluti|grazie|un saluto"  # it
    r"|pozdrawiam(?: serdecznie)?|z poważaniem|dziękuję"  # pl
    r"|met vriendelijke groet(?:en)?|groeten|hartelijke groet(?:en)?|vriendelijke groet"  # nl
    r"|lugupidamisega|parimate soovidega|tervitades"  # et
    r"|с уважением|всего доброго|спасибо|з повагою|дякую"  # ru, uk
    r"|med vennlig hilsen|vennlig hilsen|med venlig hilsen|venlig hilsen|hilsen"  # no, da
    r"|med vänliga hälsningar|vänliga hälsningar|hälsningar|mvh"  # sv
    r"|ystävällisin terveisin|terveisin|üdvözlettel|s pozdravem"  # fi, hu, cs
    r"|atenciosamente|abraços"  # pt
    r"|saudações|obrigad[oa])"
    # "Warm wishes from Porto,", "Viele Grüße aus Hamburg,": the place the reader writes from
    r"(?:\s+(?:from|aus|de|desde|da|z|van|från|fra)\s+(?P<place>[^,!.]{2,40}?))?[\s,.!—–-]*$",
    re.I,
)

# Titles kept as signed ("Dr. Matthias Oberländer", "Dr. med. Hans Meier", "Mag. Eva Gruber").
_TITLES = frozenset(
    (
        *("dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "mx", "mx.", "prof", "prof."),
        *("sir", "dame", "rev", "rev.", "col", "col.", "capt", "capt.", "gen", "gen.", "lt"),
        *("lt.", "maj", "maj.", "fr", "fr.", "sr", "sr.", "sra", "sra.", "herr", "frau", "mme"),
        *("mme.", "m.", "mlle", "med.", "rer.", "nat.", "phil.", "jur.", "dipl.", "ing."),
        *("mag.", "dr.-ing."),
    )
)
# Lower-case words inside names: "Femke van Rijswijk", "Ruth and Dev Kapadia".
_CONNECTORS = frozenset(
    (
        *("and", "&", "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la"),
        *("le", "y", "e", "bin", "ben", "al", "el", "of", "zu", "ter", "ten", "und", "et"),
        *("och", "og", "i"),
    )
)
# A name line may end in an initial or a post-nominal: "Marlene K.", "John Smith Jr.".
# "Northshore Millwork Ltd.", "Jr.", "(ret.)": a short capitalised word or initial.
_ABBREVIATION_END = re.compile(r"(?:\s[^\W\d_]\.|\s[A-Z][a-z]{1,3}\.|\b(?:Ph\.D|M\.D|ret)\.\)?)$")
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_]\.|[^\W\d_]\.[^\W\d_]\.|\(?[^\W\d_][\w'’.-]*\)?)$")
_WITHHOLD = re.compile(
    r"(?:withhold|leave out|omit|not (?:print|use|publish|include|give)|n[o']t (?:print|use"
    r"|publish|include)) my (?:full |last |real )?name"  # "Please withhold my name"
    r"|leave my (?:full |last )?name (?:out|off)"  # "leave my name out of it"
    r"|(?:keep|remain|stay|print (?:me|this|it)|quote me|publish (?:me|this|it))"
    r" anonymous(?:ly)?"  # "please keep me anonymous", "print this anonymously"
    r"|without my (?:full |last )?name|name withheld|no names?,? please"
    r"|(?:don'?t|do not) name me",
    re.I,
)
_READER_IN = re.compile(
    r"^(?:just\s+)?[\"'“‘]?(?:an?|one|your)\s+(?:\w+\s+)?(?:reader|subscriber|listener)"
    r"(?:\s+(?:in|from)\s+(?P<place>[^\"'”’]+?))?[\"'”’.]*$",
    re.I,
)
_INTRO = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:I'm|I am|My name is|This is|It's)\s+)?"
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3}),?\s+(?:from|in)\s+"
    r"(?P<place>[A-Z][^.,!?\n]*?(?:,\s*[A-Z][^.,!?\n]*?)?)\s+here\b"
    # "Arjun Mehrotra from Pune here."
    r"|(?:^|[.!?]\s+)(?:[Jj]ust\s+)?(?:[Cc]all me|My name is|I'm|I am)\s+"
    r"(?P<name2>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}),?\s+(?:from|in)\s+"
    r"(?P<place2>[A-Z][^.,!?\n]*?(?:,\s*[A-Z][^.,!?\n]*?)?)\s*(?:[.,!?]|$)"
    # "Just call me Bob from Florida.", "My name is Ana Souza, from Recife."
)


# "+ item", "1) item", "- Rowing.mpeg": list items. (Tab-aligned lines are not refused:
# signature blocks align phone numbers that way, e.g. "Portland, OR 97204<TAB>x@y.com".)
_LIST_ITEM = re.compile(r"^\s*(?:[+*•·]\s|\d{1,2}[.)]\s|-\s+\S+\.\w{2,4}$)")
# Post-nominals after a comma: "…, USN (ret.)", "…, PhD", "…, MD, FRCS", "…, Jr.".
_POSTNOMINAL = re.compile(
    r"^(?P<name>[^,]+),\s*(?:(?:[A-Z]{2,6}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|Esq\.?|MBE|OBE|CBE"
    r"|\(ret\.?\)|ret\.|[IVX]{1,4})[\s,]*)+$"
)
_VALEDICTION_THEN_NAME = re.compile(r"^(?P<valediction>[^,]{2,30}),\s+(?P<rest>\S.*)$")
# "Name: Jane Doe" / "Location: Lisbon", in the languages readers write in.
_PLACE_LABELS = frozenset(
    (
        "location",
        "place",
        "city",
        "town",
        "country",
        "where",
        "lieu",
        "ville",
        "ort",
        "stadt",
        "ciudad",
        "lugar",
        "città",
        "luogo",
        "miejscowość",
        "plaats",
        "woonplaats",
    )
)
_LEAD_IN = re.compile(
    r"^(?P<label>name|my name|nom|name und ort|nombre|nome|imię|naam|location|place|city|town"
    r"|country|where|lieu|ville|ort|stadt|ciudad|lugar|città|luogo|miejscowość|plaats"
    r"|woonplaats)\s*[:=]\s*(?P<value>\S.*)$",
    re.I,
)
_BRACKETED_REMARK = re.compile(r"\([^()]*\)")
_INITIALS = re.compile(r"^(?:[^\W\d_]\.\s?){1,3}$")  # "J.B.", "A. K."
_AGE = re.compile(r"^\d{1,3},\s*")  # "Chloé D., 19, Brussels": the age before the town
_CONTACT = re.compile(r"[@|+]|\d{3}")  # an e-mail, a "Name | Title" bar, a phone number
_LEADING_DASH = re.compile(r"^(?:[-–—~]+|//?)\s*")  # "- Antwerp", "— Jane", "//Jef", "/John"
_WITHHOLD_PARTS = re.compile(r"\s+[-–—]\s+|,\s+(?=[A-Z])|[.!]\s+")
_NAME_BRACKET_PLACE = re.compile(
    r"^(?P<name>[^()]+?)\s*\((?P<place>[^()]+)\)$"
)  # "Aurelio (Valletta)"
# "Phoebe from Brighton", "Priya in Toronto", "Grüße aus", "Marie de Lyon", "Jan z Krakowa".
_NAME_FROM_PLACE = re.compile(r"^(?P<name>.+?)\s+(?:from|in|aus|de|z)\s+(?P<place>.+)$")
# "Barbara, a retired teacher in Leeds", "Tom, an engineer from Delft".
_NAME_DESCRIBED = re.compile(
    r"^(?P<name>[^,]+),\s+(?:an?|the|one)\s+[^,]{1,50}?\s+(?:in|from|near)\s+(?P<place>.+)$", re.I
)
# "Name, Place", "Name | Place" or "Name / Place", "Name - Place"; the first is the comma.
_SEPARATORS = (re.compile(r"\s*,\s*"), re.compile(r"\s+[|/]\s+"), re.compile(r"\s+[-–—]\s+"))
# "Кирилл Одинцов (Kirill Odintsov)", "Бишкек / Bishkek": one thing in two scripts.
_TWO_SCRIPTS = (
    re.compile(r"^(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)$"),
    re.compile(r"^(?P<a>.+?)\s+/\s+(?P<b>.+)$"),
)


@dataclass(frozen=True)
class Found:
    name: str | None
    location: str | None
    withhold: bool


@lru_cache(maxsize=4096)
def is_valediction(line: str) -> bool:
    """Cached: "Best,", "Thanks," and "Cheers," close most replies, and the table is long."""
    if len(line) > 60:
        return False
    m = _VALEDICTION.match(line.strip())
    if m is None:
        return False
    # "Greetings from Porto," names a place; "Merci de me désabonner." is a sentence.
    return not m["place"] or find_place(m["place"]) is not None


def find_valediction_place(line: str) -> str | None:
    """ "Greetings from Porto!" → "Porto" (when it is a place)."""
    m = _VALEDICTION.match(line.strip())
    place = m["place"] if m and m["place"] else None
    return place if place and find_place(place) else None


def is_withhold_request(text: str) -> bool:
    low = text.lower()  # every pattern names the name, or anonymity: skip the rest cheaply
    return ("name" in low or "anonym" in low) and bool(_WITHHOLD.search(text))


def is_name(text: str) -> bool:
    """ "Dr. Matthias Oberländer", "Ruth and Dev Kapadia", "B. Lindahl", "Кирилл Одинцов"."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 6 or len(text) > 60:
        return False
    named = 0
    for token in tokens:
        low = token.lower()
        if low in _CONNECTORS or low in _TITLES:
            continue
        if not _NAME_TOKEN.match(token) or not token.lstrip("(")[0].isupper():
            return False
        named += 1
    return named >= 1


def is_signoff_line(line: str, from_name: str | None = None) -> bool:
    """Could this line belong to a sign-off or signature block (not prose)?"""
    return _is_signoff_line(line)


@lru_cache(maxsize=4096)
def _is_signoff_line(line: str) -> bool:
    """Cached: the lines above a sign-off are tested one by one, and replies share them."""
    if _LIST_ITEM.match(line):
        return False  # a list, not a sign-off
    line = strip_dash(line)
    if not line or len(line) > 90:
        return False
    words = line.split()
    if len(words) > 10:
        return False
    if _INITIALS.match(line):
        return True  # "J.B.", "A. K."
    if is_valediction(line) or _READER_IN.match(line) or is_withhold_request(line):
        return True
    described = _NAME_DESCRIBED.match(line)
    if described and is_name(described["name"]) and _place(described["place"]):
        return True
    # Words in brackets are a remark ("(Kyiv, now in Kraków)"), not prose.
    outside = _BRACKETED_REMARK.sub(" ", line).split()
    lower = [w for w in outside if w[:1].islower() and w.lower() not in _CONNECTORS]
    if len(lower) >= 2 and not _CONTACT.search(line):
        return False  # prose: "let them in and run the checks"
    # A sentence end is prose, unless it is an initial or abbreviation ("Marlene K.").
    return line[-1] not in ".?!;:" or (len(words) > 1 and bool(_ABBREVIATION_END.search(line)))


def strip_dash(line: str) -> str:
    line = line.strip()
    if line[:1] not in ("-", "–", "—", "~", "/"):
        return line  # most lines: nothing for the pattern to remove
    return _LEADING_DASH.sub("", line).strip()


def read_block(lines: list[str], from_name: str | None) -> Found:
    """The name, place and withhold request a sign-off block gives.

    What a line says is read once and cached (``_read_signoff_line``): a block is read
    twice, to decide where it starts and then with the From name, and most of a reading
    does not depend on the From name. Only a one-word name that is also a place, and a
    place with a place in brackets, look at it (``_resolve``).
    """
    name: str | None = None
    location: str | None = None
    withhold = False
    from_tokens = {t.lower().strip(",") for t in (from_name or "").split()}
    after_valediction = False
    closing_place: str | None = None
    for raw in lines:
        kind, value, reading, closing, dashed = _read_signoff_line(raw)
        if kind == _BLANK:
            continue
        if kind == _CLOSING:
            after_valediction = True
            closing_place = closing_place or value
            continue
        # A single word right under "Cheers," is a name ("Sam", "Florence"), unless dashed.
        under = (after_valediction or closing) and not dashed
        after_valediction = False
        if kind == _PLACE_LABEL:
            location = location or value
            continue
        if kind == _WITHHOLD_LINE:
            withhold = True
            location = location or value
            continue
        assert reading is not None
        got_name, got_place = _resolve(reading, from_tokens, under and name is None)
        if got_place and location is None:
            location = got_place
        if got_name:
            name = fuller(name, got_name)
    return Found(name, location or closing_place, withhold)


# What one sign-off line is (_read_signoff_line): blank, a valediction, "Location: …", a
# request to stay unnamed, or a line read for a name and place.
_BLANK, _CLOSING, _PLACE_LABEL, _WITHHOLD_LINE, _NAME_OR_PLACE = range(5)


@lru_cache(maxsize=4096)
def _read_signoff_line(raw: str) -> _LineReading:
    """(kind, value, reading, after a closing, dashed) for one line of a sign-off block."""
    line = strip_dash(raw)
    if not line:
        return _BLANK, None, None, False, False
    if is_valediction(line):
        return _CLOSING, find_valediction_place(line), None, False, False
    closing = _VALEDICTION_THEN_NAME.match(line)
    after_closing = bool(closing and is_valediction(closing["valediction"]))
    if closing and after_closing:
        line = closing["rest"]  # "Thanks, David Poston"
    dashed = raw.strip().startswith(("-", "–", "—", "~", "/"))
    lead_in = _LEAD_IN.match(line)
    if lead_in:  # "Name: Jane Doe", "Location: Lisbon" (readers answering the request)
        if lead_in["label"].lower() in _PLACE_LABELS:
            return _PLACE_LABEL, lead_in["value"].strip(), None, after_closing, dashed
        line = lead_in["value"].strip()
    if is_withhold_request(line) or _READER_IN.match(line):
        return _WITHHOLD_LINE, _place_in_withhold(line), None, after_closing, dashed
    return _NAME_OR_PLACE, None, _read_form(line), after_closing, dashed


def _place_in_withhold(line: str) -> str | None:
    reader = _READER_IN.match(line)
    if reader:
        return reader.group("place")
    for part in _WITHHOLD_PARTS.split(line):
        reader = _READER_IN.match(part.strip())
        if reader:  # "Please don't use my name — a reader in Riga"
            return reader.group("place")
        if find_place(part.strip(" .")):
            return _tail_place(line, part)
    return None


def _tail_place(line: str, first: str) -> str:
    # "Please withhold my name - Thessaloniki, Greece": the place runs to the end of the line.
    at = line.find(first)
    tail = line[at:].strip(" .")
    return tail if find_place(tail) else first.strip(" .")


NamePlace = tuple[str | None, str | None]


def parse_line(line: str, from_tokens: set[str], name_expected: bool = False) -> NamePlace:
    """(name, place) given by one sign-off line; either may be None.

    ``name_expected``: the line sits right under a valediction and no name came yet, so a
    word that is both a name and a place ("Florence") is read as the name. The forms are
    tried in order; the first that reads the line wins.
    """
    return _resolve(_read_form(line), from_tokens, name_expected)


# How a line reads (_read_form): as it stands, or by the From name (_resolve): a place in
# brackets after a place ("Ghent (Belgium)"), one word that is a name and a place, one
# word that is a name and a city or region ("Florence").
_FIXED, _PLACE_IN_BRACKETS, _NAME_OR_PLACE_WORD, _NAME_OR_CITY_WORD = range(4)
# (form, name, place, the whole line as a place: for _PLACE_IN_BRACKETS)
_Reading = tuple[int, str | None, str | None, str | None]
# (kind, its value: a place, what the line reads as, after "Thanks," on the line, dashed)
_LineReading = tuple[int, str | None, _Reading | None, bool, bool]


@lru_cache(maxsize=4096)
def _read_form(line: str) -> _Reading:
    line = _prefer_latin(line)
    found = _bracketed(line)
    if found is not None:
        return found
    for form in (_described, _postnominal, _separated):
        fixed = form(line)
        if fixed is not None:
            return _FIXED, fixed[0], fixed[1], None
    return _single(line)


def _resolve(reading: _Reading, from_tokens: set[str], name_expected: bool) -> NamePlace:
    form, name, place, whole = reading
    if form == _FIXED:
        return name, place
    assert name is not None
    low = name.lower()
    if form == _PLACE_IN_BRACKETS:
        # "Ghent (Belgium)", "Sherbrooke (Québec)": a place in full, unless From says Ghent.
        return (name, place) if low in from_tokens else (None, whole)
    # One word that is both: a From-header name (or its short form, "Sam" for Samuel)
    # wins; right under a valediction it is a name; otherwise it is the place.
    if any(t == low or (len(low) >= 3 and t.startswith(low)) for t in from_tokens):
        return name, None
    if name_expected and form == _NAME_OR_CITY_WORD:
        return name, None
    return None, name


def _bracketed(line: str) -> _Reading | None:
    """ "Aurelio (Valletta)", "Ghent (Belgium)", "Olena (Kyiv, now in Kraków)"."""
    if "(" not in line:
        return None
    bracket = _NAME_BRACKET_PLACE.match(line)
    if not bracket or not is_name(bracket["name"]):
        return None
    head, remark = bracket["name"], bracket["place"]
    if _place(remark):
        return (_PLACE_IN_BRACKETS if _place(head) else _FIXED), head, remark, line
    if _mentions_place(remark):
        return _FIXED, head, remark, None  # "Olena (Kyiv, now in Kraków)": as written
    return None


def _described(line: str) -> NamePlace | None:
    """ "Barbara, a retired teacher in Leeds", "Priya from Toronto"."""
    for pattern in (_NAME_DESCRIBED, _NAME_FROM_PLACE):
        m = pattern.match(line)
        if m and is_name(m["name"]) and _place(m["place"]):
            return m["name"], m["place"]
    return None


def _postnominal(line: str) -> NamePlace | None:
    """ "Capt. Sarah Nguyen, USN (ret.)": printed as signed. A tail that is a place is
    one ("Norfolk, VA", "Jane Doe, UK"), read by the next form."""
    m = _POSTNOMINAL.match(line)
    tail = line[len(m["name"]) :].strip(" ,") if m else ""
    if m and is_name(m["name"]) and not _place(line) and not _place(tail):
        return line, None
    return None


def _separated(line: str) -> NamePlace | None:
    """ "Name, Place", "Chloé D., 19, Brussels", "Name | Place", "Alicia Fairbairn | Counsel"."""
    for sep in _SEPARATORS:
        parts = sep.split(line, maxsplit=1)
        if len(parts) != 2:
            continue
        left, right = _prefer_latin(parts[0]), _prefer_latin(_AGE.sub("", parts[1]))
        if is_name(left) and _place(right) and not (_place(left) and _place(line)):
            return left, right
        if sep is not _SEPARATORS[0] and is_name(left) and not _place(left):
            return left, None  # "Alicia Fairbairn | Counsel": a title after the bar
    return None


def _single(line: str) -> _Reading:
    """A whole line that is a place, a name, or one word that could be either."""
    place = _place(line)
    if place and is_name(line) and " " not in line.strip():
        form = _NAME_OR_CITY_WORD if place.kind in ("city", "region") else _NAME_OR_PLACE_WORD
        return form, line, None, None
    if place:
        return _FIXED, None, line, None
    return (_FIXED, line, None, None) if is_name(line) else (_FIXED, None, None, None)


def _mentions_place(remark: str) -> bool:
    """A remark in brackets that names a place: "Kyiv, now in Kraków", "retired, Leeds"."""
    parts = re.split(r",\s*|\b(?:now |currently )?(?:in|from|near)\s+", remark)
    return any(part.strip() and find_place(part.strip()) for part in parts)


def _place(text: str) -> Place | None:
    return find_place(_prefer_latin(text))


def _prefer_latin(text: str) -> str:
    """ "Кирилл Одинцов (Kirill Odintsov)" or "Бишкек / Bishkek" → the Latin form."""
    text = text.strip()
    if "(" not in text and "/" not in text:
        return text
    for pattern in _TWO_SCRIPTS:
        m = pattern.match(text)
        if m and {_script(m["a"]), _script(m["b"])} == {"latin", "other"}:
            return m["a"] if _script(m["a"]) == "latin" else m["b"]
    return text


def _script(text: str) -> str:
    """ "latin", "other" (Cyrillic, Georgian…) or "mixed"."""
    latin = [ord(c) < 0x250 for c in text if c.isalpha()]
    if latin and all(latin):
        return "latin"
    return "other" if latin and not any(latin) else "mixed"


def fuller(current: str | None, new: str) -> str:
    """Keep the first name signed, unless a later line spells the same name out in full."""
    if current is None:
        return new
    first = current.split()[0].rstrip(".").lower()
    if len(new) > len(current) and new.split()[0].lower().startswith(first):
        return new
    return current


def find_introduction(body: str) -> tuple[str, str] | None:
    """ "Arjun Mehrotra from Pune here." → ("Arjun Mehrotra", "Pune")."""
    head = body[:400]
    low = head.lower()
    if not any(w in low for w in (" here", "call me", "name is", "i'm ", "i am ")):
        return None
    for m in _INTRO.finditer(head):
        name, place = m["name"] or m["name2"], m["place"] or m["place2"]
        if name and place and is_name(name) and find_place(place):
            return name, place
    return None


def is_senders_name(name: str, from_name: str | None) -> bool:
    """Could ``name`` be how the From header's person signs? True when From has no name.

    A shared word ("Jim" / "Jim Beam"), a short form ("Sam" / "Samuel"), or the initials
    ("JB", "J.B." / "Jim Beam") count; "God Bless America" under "Jim Beam" does not.
    """
    sender = [
        t.strip(".,\"'").lower() for t in (from_name or "").split() if any(c.isalpha() for c in t)
    ]
    if not sender or "@" in (from_name or ""):
        return True
    words = [t.strip(".,\"'").lower() for t in name.split()]
    words = [w for w in words if w and w not in _CONNECTORS and w not in _TITLES]
    for word in words:
        for token in sender:
            short, long_ = sorted((word, token), key=len)
            if word == token or (len(short) >= 3 and long_.startswith(short)):
                return True
    letters = "".join(c for c in name if c.isalpha()).lower()
    initials = "".join(t[0] for t in sender)
    return (
        len(letters) <= 3
        and bool(letters)
        and initials.startswith(letters[:1])
        and (set(letters) <= set(initials))
    )


def parse_display_name(value: str | None) -> str | None:
    """The From display name as a printable name: "Lee, Daniel" → "Daniel Lee"."""
    if not value:
        return None
    value = value.strip().strip("\"'")
    if "@" in value or not any(c.isalpha() for c in value):
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 2 and all(p and " " not in p for p in parts):
        value = f"{parts[1]} {parts[0]}"
    if " " not in value and (value.islower() or any(c.isdigit() for c in value)):
        return None  # a handle ("jsmith42"), not a name
    return value
