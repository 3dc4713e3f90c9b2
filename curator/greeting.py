"""The salutation a reply opens with ("Hi Signal team,", "Bonjour,", "Hallo zusammen,").

The tagger leaves it out so that "the opening" is the reader's first words, and the digest
leaves a salutation that stands on its own line out of a quote (an editor would cut it).
"""

from __future__ import annotations

import re

# A salutation that opens a reply ("Hi Signal folks,", "Dear GZERO,", "Hallo liebes Team,",
# "Здравствуйте, Signal.", "Dzień dobry,"): a greeting word, at most five more words, then a
# comma, colon, "!" or full stop. Removed so that "the opening" is the reader's first words.
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening)|hallo|liebe[rs]?|"
    r"sehr geehrte[rs]?|guten (?:tag|morgen|abend)|moin|servus|bonjour|bonsoir|salut|chère?s?|"
    r"hola|buen[oa]s (?:días|tardes|noches)|estimad[oa]s?|querid[oa]s?|ciao|salve|gentil[ei]|"
    r"buongiorno|buonasera|cari|dzień dobry|witam|cześć|szanown[iey]|здравствуйте|привет|"
    r"добрый (?:день|вечер)|уважаем\w*|дорог\w*|вітаю|добрий (?:день|вечір)|привіт|шановн\w*|"
    r"tere|hei|hej|olá|bom dia|prezad[oa]s?|gamarjoba\w*|goedemorgen|beste|ahoj|szia)"
    r"(?:[ \t]+[^\s,:;!.]+){0,5}?[ \t]*[,:!.—–-]+(?=\s|$)",
    re.IGNORECASE,
)


def strip_greeting(text: str) -> str:
    """The text without an opening salutation; unchanged when there is none."""
    stripped = _GREETING.sub("", text, count=1).lstrip()
    return stripped if stripped else text


def without_salutation_line(text: str) -> str:
    """The text without a first line that is only a salutation ("Bonjour," then the reply).

    A greeting that runs into the reply ("Hi, I would admit them") stays: cutting it would
    change the reader's sentence. Unchanged when nothing would be left. The first letter of
    what is left is made upper case, as an editor would.
    """
    first, sep, rest = text.lstrip().partition("\n")
    if not sep or not rest.strip():
        return text
    match = _GREETING.match(first)
    if match is None or first[match.end() :].strip():
        return text
    rest = rest.lstrip()
    # "Hallo zusammen,\nauf Dienstgeräten: ja": the letter after a comma greeting is lower case.
    return rest[:1].upper() + rest[1:]
