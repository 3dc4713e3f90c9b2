"""What kind of mail is this, from its text: out-of-office notes, unsubscribe one-liners,
subscription requests, replies about another story, forwards and empty replies.

Each table is (pattern, an example line it exists for); the tests check every example.
"""

from __future__ import annotations

import re

from curator.questions import Argument, Position, Question
from curator.understand.labels import (
    AUTO_REPLY,
    EMPTY,
    FORWARD,
    OFF_TOPIC,
    UNSUBSCRIBE,
    has_any,
)

# Subjects of automatic replies, at the start of the subject: (pattern, example).
AUTO_SUBJECT_FORMS: tuple[tuple[str, str], ...] = (
    (r"auto(?:matic)?[- ]?(?:reply|response|answer)", "Automatic reply: Signal"),  # Exchange
    (r"auto:|autoreply|\[auto generated\]|\[auto-reply\]", "AUTO: Jane is away"),  # Notes
    (r"out of (?:the )?office|ooo\b|away from (?:the )?office", "Out of Office: Signal"),
    (r"vacation|on leave|absence\b", "Vacation reply"),  # Gmail vacation responder
    (r"abwesenheit(?:snotiz)?|automatische antwort", "Automatische Antwort: Signal"),  # de
    (r"réponse automatique|absence du bureau", "Réponse automatique : Signal"),  # fr
    (r"respuesta automática|fuera de la oficina|ausente", "Fuera de la oficina: Signal"),  # es
    (r"risposta automatica|fuori sede|risposta non al computer", "Risposta automatica: x"),  # it
    (r"automatisch antwoord|afwezig", "Automatisch antwoord: Signal"),  # nl
    (r"automatiskt? svar|autosvar|frånvaro|fravær", "Automatiskt svar: Signal"),  # sv, da, no
    (r"odpowiedź automatyczna|nieobecność|urlop\b", "Urlop / Out of office"),  # pl
    (r"automaattinen vastaus|poissa|automaatne vastus", "Automaattinen vastaus: x"),  # fi, et
    (r"automatická odpověď|автоответ|автоматический ответ", "Автоответ: Signal"),  # cs, ru
    (r"\[?ticket\s*#?[\w-]+\]?|request received", "[Ticket #HB-20931] Signal"),  # help desks
    (
        r"thank you for (?:your|contacting)|we(?:'ve| have) received your",
        "Thank you for contacting us",
    ),  # ticket systems
)
_AUTO_SUBJECT = re.compile(
    r"^\W*(?:" + "|".join(f"(?:{p})" for p, _ in AUTO_SUBJECT_FORMS) + ")", re.I
)
# Out-of-office and robot wording in the body: (pattern, words, an example line it exists
# for). An absence counts only with when it ends or how mail is handled, so that a reader who
# writes "I'm travelling this week but here is my answer" stays a reader.
# ``words`` (lower-case) are what the pattern needs, one of them at least: each form is
# searched only in text holding one (a search of all forms at once costs ~1 ms on a reply).
# Up to 80 characters of one sentence; a period after a digit ("7. Oktober") does not end it.
_SAME_SENTENCE = r"(?:[^.!?\n]|(?<=\d)\.){0,80}"
AUTO_BODY_FORMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        r"\bI(?: am|'m| will be) (?:currently |now )?(?:out of (?:the )?office|away|on (?:annual )?"
        rf"leave|on vacation|on holiday|travell?ing){_SAME_SENTENCE}?"
        r"\b(?:until|till|returning|back on|back in the office|limited access|no access"
        r"|patchy access|upon my return"
        r"|will (?:reply|respond|get back|answer))",
        ("out of", "away", "leave", "vacation", "holiday", "travel"),
        "I am out of the office until Monday 10 October with limited access to email.",
    ),
    (
        r"\bout of (?:the )?office (?:until|till|from)\b",
        ("out of",),
        "Out of the office until 3 October.",
    ),
    (
        r"\bthis (?:message|email|e-mail) was (?:generated|sent) automatically|"
        r"\bautomatically generated\b",
        ("automatically",),
        "This message was generated automatically.",
    ),
    (
        r"\b(?:please )?do not reply to this (?:message|email|e-mail|address)",
        ("do not reply",),
        "Please do not reply to this message.",
    ),  # help desks, notification robots
    (
        r"\b(?:ticket|case|request) (?:number|#|no\.?|id)\s*:?\s*[\w-]*\d[\w-]*"
        r"\s+(?:has been|was|is)\s+(?:received|created|opened|logged|assigned)",
        ("ticket", "case", "request"),
        "Ticket #HB-20931 has been created.",
    ),
    (
        r"\byour (?:request|message|email) has been (?:received|logged|held)",
        ("has been",),
        "Your request has been received and assigned ticket number HB-20931.",
    ),
    (
        r"\bonly accepts mail from known senders|\bverify (?:that )?you are (?:a )?human"
        r"|\bto release it, reply",
        ("known senders", "human", "to release it"),
        "This mailbox only accepts mail from known senders.",
    ),
    (
        rf"(?:nicht im büro|abwesend|außer haus){_SAME_SENTENCE}\bbis\b"
        rf"|\bbis\b{_SAME_SENTENCE}(?:nicht im büro|abwesend|außer haus)",
        ("büro", "abwesend", "außer haus"),
        "Bis zum 7. Oktober 2022 bin ich nicht im Büro.",
    ),  # de, Exchange
    (
        rf"(?:je suis absente?|absente? du (?:bureau|cabinet)|en congés?){_SAME_SENTENCE}"
        r"\b(?:jusqu|retour)",
        ("absent", "congé"),
        "Absente du cabinet jusqu'au lundi 3 octobre.",
    ),  # fr
    (
        rf"(?:fuera de la oficina|estoy fuera|me encuentro fuera|ausente){_SAME_SENTENCE}\bhasta\b",
        ("fuera", "ausente"),
        "Estaré fuera de la oficina hasta el 5 de octubre.",
    ),  # es
    (
        rf"(?:fuori (?:ufficio|sede)|sarò assente|assente){_SAME_SENTENCE}\b(?:fino|rientro)",
        ("fuori", "assente"),
        "Sono fuori ufficio fino al 10 ottobre.",
    ),  # it
    (
        rf"(?:poza biurem|nieobecn\w*|na urlopie){_SAME_SENTENCE}\bdo\b",
        ("biurem", "nieobecn", "urlopie"),
        "Jestem na urlopie do 9 października 2022 r.",
    ),  # pl, Zimbra
    (
        rf"(?:afwezig|niet aanwezig){_SAME_SENTENCE}\btot\b",
        ("afwezig", "aanwezig"),
        "Ik ben afwezig tot 10 oktober.",
    ),  # nl
    (
        rf"(?:är borta|är ledig|på semester){_SAME_SENTENCE}\b(?:till|tillbaka)\b",
        ("borta", "ledig", "semester"),
        "Jag är på semester till den 10 oktober.",
    ),  # sv
    (
        rf"(?:в отпуске|буду отсутствовать){_SAME_SENTENCE}\bдо\b",
        ("отпуске", "отсутствовать"),
        "Я в отпуске до 10 октября.",
    ),  # ru
)
_AUTO_BODY = tuple((words, re.compile(p, re.I)) for p, words, _ in AUTO_BODY_FORMS)
# A short reply asking to be taken off the list: (pattern, example).
UNSUBSCRIBE_FORMS: tuple[tuple[str, str], ...] = (
    (r"unsubscribe|opt[- ]out", "Unsubscribe"),
    (
        r"remove (?:me|my (?:e-?mail|address)|this (?:e-?mail|address))",
        "Please remove this address from the mailing list.",
    ),
    (r"take me off|stop (?:sending|emailing)", "please take me off this list"),
    (r"désabonner|désinscri", "Merci de me désabonner."),  # fr
    (r"abmelden|austragen", "Bitte abmelden."),  # de
    (r"dar(?:me)? de baja|cancelar (?:la )?suscripci", "Por favor, darme de baja."),  # es
    (r"cancella(?:re)? (?:l'iscrizione|iscrizione)", "Cancellare l'iscrizione, grazie."),  # it
    (r"wypis", "Proszę mnie wypisać."),  # pl
    (r"uitschrijven|afmelden", "Graag afmelden."),  # nl
    (r"отписать|avsluta prenumeration", "Прошу отписать меня."),  # ru, sv
)
_UNSUBSCRIBE = re.compile("|".join(f"(?:{p})" for p, _ in UNSUBSCRIBE_FORMS), re.I)
_SUBSCRIPTION_ADMIN = re.compile(
    r"(?:(?:change|update|move|switch|transfer)\w* (?:my|the) (?:\w+ ){0,3}"
    r"(?:subscription|e-?mail address|address|delivery)"
    r"|(?:subscription|newsletter) (?:to|at) (?:my|a|the) (?:new|personal|other)"
    r"|(?:pause|resume) (?:my )?(?:subscription|delivery))",
    re.I,
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|tr|wg|rv|enc|i|vs|vb|doorst|vl)\s*:", re.I)


# Words one of each table's patterns needs: the tables are long alternations, ~100 µs a
# search, so they run only on text that holds one of these (lower-cased) words.
_AUTO_HINTS = (
    "out of",
    "office",
    "away",
    "on leave",
    "annual leave",
    "vacation",
    "holiday",
    "travel",
    "automatic",
    "generated",
    "not reply",
    "ticket",
    "case number",
    "request number",
    "has been received",
    "has been logged",
    "has been held",
    "known senders",
    "human",
    "to release",
    "büro",
    "abwesend",
    "außer haus",
    "absent",
    "congé",
    "fuera",
    "ausente",
    "ufficio",
    "fuori sede",
    "assente",
    "sarò",
    "biurem",
    "nieobecn",
    "urlop",
    "afwezig",
    "aanwezig",
    "borta",
    "ledig",
    "semester",
    "tillbaka",
    "отпуск",
    "отсутств",
)
_UNSUBSCRIBE_HINTS = (
    "unsubscri",
    "remove",
    "take me off",
    "stop",
    "opt",
    "désabonn",
    "désinscri",
    "abmeld",
    "austragen",
    "baja",
    "suscrip",
    "wypis",
    "cancella",
    "uitschrijven",
    "afmelden",
    "отпис",
    "avsluta",
)
_ADMIN_HINTS = ("subscription", "address", "delivery", "newsletter")
_ADMIN_VERBS = (
    *("change", "update", "move", "switch", "transfer", "pause", "resume"),
    *("subscription to", "subscription at", "newsletter to", "newsletter at"),
)


def find_content_kind(subject: str, reply: str) -> str | None:
    """A kind the text shows: an auto-reply, an unsubscribe, a subscription request…"""
    words = len(reply.split())
    if _AUTO_SUBJECT.match(subject) and words < 150:
        return AUTO_REPLY
    low = reply.lower()
    if words < 120 and has_any(low, _AUTO_HINTS) and _has_auto_body(low, reply):
        return AUTO_REPLY
    if 0 < words <= 40 and has_any(low, _UNSUBSCRIBE_HINTS) and _UNSUBSCRIBE.search(reply):
        return UNSUBSCRIBE
    if 0 < words <= 80 and _may_be_subscription_admin(low, reply):
        return OFF_TOPIC
    if words == 0:
        return FORWARD if _FORWARD_SUBJECT.match(subject) else EMPTY
    return None


def _may_be_subscription_admin(low: str, reply: str) -> bool:
    if not has_any(low, _ADMIN_HINTS):
        return False
    # Every form also needs one of its verbs ("change", "pause", "subscription to"…): the
    # search costs ~60 µs on a reply. Outside ASCII, re.I also folds "ſ" to "s" and "K"
    # (Kelvin) to "k", which lower() does not: there the pattern decides alone.
    if reply.isascii() and not has_any(low, _ADMIN_VERBS):
        return False
    return bool(_SUBSCRIPTION_ADMIN.search(reply))


def _has_auto_body(low: str, reply: str) -> bool:
    """Out-of-office or robot wording in ``reply`` (``low`` is it lower-cased)."""
    return any(has_any(low, words) and form.search(reply) for words, form in _AUTO_BODY)


# "Your piece on the Italian election last week …": a reply that names the story it is about.
_OTHER_STORY = re.compile(
    r"(?i:\b(?:your|the|this|yesterday's|today's|last week's|last)\s+(?:piece|article|story"
    r"|column|coverage|report|item|newsletter|issue|edition|take)s?\s+(?:on|about|regarding"
    r"|covering|of)\s+(?P<topic>[^.,;!?]{3,80}))"
    # "Your piece on the Italian election …"
    r"|\b[Yy]our\s+(?P<named>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+(?:piece|article|story"
    r"|item|column|coverage|report|section)\b"
    # "Your Nigeria item says …"
)
_WORD = re.compile(r"[^\W\d_]{4,}")


_STORY_WORDS = (
    "piece",
    "article",
    "story",
    "column",
    "coverage",
    "report",
    "item",
    "newsletter",
    "issue",
    "edition",
    "take",
)
# Words too common to tell one story from another.
_STOP = frozenset(
    (
        *("about", "after", "again", "their", "there", "these", "those", "which", "would"),
        *("could", "should", "while", "where", "being", "other", "every", "still", "think"),
        "thing",
    )
)


def is_about_another_story(reply: str, question: Question) -> bool:
    """Does the reply name another story it is about, and share no words with the question?

    "Your piece on the Italian election …" under a question on Russian draft dodgers: the
    story named has nothing in common with the question, and neither has the reply.
    """
    head = reply[:1000]
    low = head.lower()
    if not any(w in low for w in _STORY_WORDS):
        return False
    m = _OTHER_STORY.search(head)
    if m is None:
        return False
    asked = _stems(_vocabulary(question))
    topic = _stems(m["topic"] or m["named"] or "")
    return bool(topic) and not topic & asked and len(_stems(reply) & asked) <= 1


def _vocabulary(question: Question) -> str:
    """Everything the configuration says about the question: title, prompt, subjects, and
    each position's and argument's label, description and examples."""
    parts = [question.title, question.prompt, *question.subject_contains]
    items: list[Position | Argument] = [*question.positions, *question.arguments]
    for item in items:
        parts += [item.label, item.description, *item.examples]
    return " ".join(parts)


def _stems(text: str) -> set[str]:
    # Five-letter prefixes: "Russian"/"Russians"/"Russia" meet as "russi".
    return {w[:5].lower() for w in _WORD.findall(text) if w.lower() not in _STOP}
