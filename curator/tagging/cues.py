"""Answer cues: how a reply says yes, no, "only if", or "I don't know", in many languages.

These are general features of answering a yes/no question, not of any one question: they say
nothing about draft dodgers or work weeks. The learned head (``position.py``) decides how much
each cue counts for each position of a question, from the config's examples and the editors'
corrections. Languages: en, de, fr, es, it, pt, nl, pl, ru, uk, et, with a few Nordic forms.

Each table lists lower-case phrases matched on word boundaries; one example line per family
says what it is for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from curator.tagging.text import fold, sentences, strip_greeting

# "Yes, absolutely." / "Ja, natürlich." / "Да, конечно." — an affirmative answer word.
YES = (
    "yes",
    "yeah",
    "yep",
    "yup",
    "absolutely",
    "definitely",
    "certainly",
    "of course",
    "sure",
    "by all means",
    "without doubt",
    "without a doubt",
    "undoubtedly",
    "indeed",
    "totally",
    "ja",
    "jawohl",
    "natürlich",
    "selbstverständlich",
    "auf jeden fall",
    "unbedingt",
    "klar",
    "oui",
    "bien sûr",
    "évidemment",
    "absolument",
    "tout à fait",
    "certainement",
    "sí",
    "si",
    "claro",
    "por supuesto",
    "desde luego",
    "sin duda",
    "claro que sí",
    "sì",
    "certo",
    "certamente",
    "assolutamente",
    "senz'altro",
    "ovviamente",
    "sim",
    "claro que sim",
    "com certeza",
    "ja zeker",
    "zeker",
    "natuurlijk",
    "jazeker",
    "tak",
    "oczywiście",
    "zdecydowanie",
    "jak najbardziej",
    "owszem",
    "да",
    "конечно",
    "безусловно",
    "разумеется",
    "определённо",
    "несомненно",
    "так",
    "звісно",
    "звичайно",
    "безумовно",
    "авжеж",
    "безперечно",
    "jah",
    "muidugi",
    "kindlasti",
    "loomulikult",
    "absoluutselt",
    "kyllä",
    "joo",
)
# "No. Never." / "Nein, auf keinen Fall." / "Нет." — a negative answer word or phrase.
NO = (
    "no",
    "nope",
    "nah",
    "never",
    "absolutely not",
    "certainly not",
    "definitely not",
    "of course not",
    "no way",
    "not at all",
    "by no means",
    "under no circumstances",
    "hell no",
    "nein",
    "niemals",
    "auf keinen fall",
    "keinesfalls",
    "keineswegs",
    "nie und nimmer",
    "non",
    "jamais",
    "surtout pas",
    "absolument pas",
    "certainement pas",
    "en aucun cas",
    "nunca",
    "de ninguna manera",
    "en absoluto",
    "para nada",
    "claro que no",
    "jamás",
    "mai",
    "assolutamente no",
    "per niente",
    "in nessun caso",
    "neanche per sogno",
    "não",
    "de jeito nenhum",
    "nee",
    "nooit",
    "absoluut niet",
    "nie",
    "nigdy",
    "w żadnym wypadku",
    "absolutnie nie",
    "zdecydowanie nie",
    "przenigdy",
    "нет",
    "никогда",
    "ни в коем случае",
    "ни за что",
    "конечно нет",
    "категорически нет",
    "ні",
    "ніколи",
    "в жодному разі",
    "ні в якому разі",
    "звісно ні",
    "категорично ні",
    "ei",
    "mitte mingil juhul",
    "kindlasti mitte",
    "mitte kunagi",
    "ei iial",
    "nej",
    "aldrig",
)
# Answer words that are also ordinary words ("no reason", "si tu veux", "nie wiem"): they count
# only when they stand alone, i.e. before a comma, full stop, dash, "!" or the end.
AMBIGUOUS_ANSWER = frozenset(
    {"no", "si", "non", "nie", "ei", "так", "mai", "sure", "indeed", "klar"}
)

# "not", "nicht", "не": plain negation, counted per reply and used to flip the verbs below.
NEGATION = (
    "not",
    "never",
    "no",
    "none",
    "nobody",
    "nothing",
    "neither",
    "nor",
    "cannot",
    "without",
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "nie",
    "niemals",
    "ohne",
    "ne",
    "pas",
    "jamais",
    "aucun",
    "aucune",
    "sans",
    "ni",
    "nunca",
    "ningún",
    "ninguna",
    "ninguno",
    "tampoco",
    "sin",
    "non",
    "mai",
    "nessun",
    "nessuna",
    "nessuno",
    "senza",
    "né",
    "não",
    "nem",
    "nenhum",
    "niet",
    "geen",
    "zonder",
    "nie",
    "nigdy",
    "żaden",
    "żadnych",
    "bez",
    "не",
    "нет",
    "никогда",
    "ни",
    "без",
    "нельзя",
    "ні",
    "ніколи",
    "жоден",
    "жодних",
    "не можна",
    "ei",
    "mitte",
    "ilma",
    "pole",
    "inte",
    "ikke",
    "ikkje",
    "ingen",
)
NEGATION_SUFFIXES = ("n't",)

# "Only if they...", "provided that", "nur wenn", "à condition que", "при условии": a condition.
CONDITIONAL = (
    "only if",
    "if and only if",
    "only when",
    "only after",
    "only once",
    "provided",
    "providing",
    "as long as",
    "so long as",
    "on condition",
    "on the condition",
    "under conditions",
    "with conditions",
    "conditional",
    "conditionally",
    "subject to",
    "case by case",
    "case-by-case",
    "on a case",
    "it depends",
    "depends on",
    "depending on",
    "unless",
    "but only",
    "only those",
    "only the ones",
    "only people",
    "only for",
    "not all",
    "some of them",
    "each case",
    "every case",
    "on its merits",
    "on their merits",
    "own merits",
    "with strict",
    "strict conditions",
    "under strict",
    "individually",
    "individual basis",
    "nur wenn",
    "nur falls",
    "nur unter",
    "nur nach",
    "vorausgesetzt",
    "sofern",
    "solange",
    "unter der bedingung",
    "unter bedingungen",
    "unter auflagen",
    "mit auflagen",
    "kommt darauf an",
    "hängt davon ab",
    "im einzelfall",
    "einzelfallprüfung",
    "außer wenn",
    "seulement si",
    "uniquement si",
    "à condition",
    "pourvu que",
    "tant que",
    "sous condition",
    "sous réserve",
    "au cas par cas",
    "ça dépend",
    "cela dépend",
    "sauf si",
    "solo si",
    "sólo si",
    "únicamente si",
    "siempre que",
    "siempre y cuando",
    "con la condición",
    "a condición",
    "bajo condiciones",
    "caso por caso",
    "depende",
    "a menos que",
    "solo se",
    "soltanto se",
    "solamente se",
    "purché",
    "a condizione",
    "a patto che",
    "caso per caso",
    "dipende",
    "a meno che",
    "só se",
    "desde que",
    "contanto que",
    "caso a caso",
    "alleen als",
    "mits",
    "op voorwaarde",
    "tylko jeśli",
    "tylko jeżeli",
    "tylko pod",
    "pod warunkiem",
    "o ile",
    "indywidualnie",
    "zależy",
    "chyba że",
    "только если",
    "лишь если",
    "только при",
    "при условии",
    "если только",
    "в индивидуальном",
    "индивидуально",
    "зависит",
    "кроме случаев",
    "лише якщо",
    "тільки якщо",
    "тільки за",
    "лише за умови",
    "за умови",
    "індивідуально",
    "залежить",
    "ainult kui",
    "vaid juhul",
    "ainult juhul",
    "tingimusel",
    "juhtumipõhiselt",
    "oleneb",
    "sõltub",
    "bara om",
    "kun hvis",
    "vain jos",
)
# "only", "nur", "только": restricts who or what is meant.
ONLY = (
    "only",
    "just those",
    "nur",
    "bloß",
    "seulement",
    "uniquement",
    "solo",
    "sólo",
    "solamente",
    "únicamente",
    "soltanto",
    "solamente",
    "só",
    "somente",
    "alleen",
    "tylko",
    "jedynie",
    "только",
    "лишь",
    "лише",
    "тільки",
    "ainult",
    "vaid",
    "bara",
    "kun",
    "vain",
)
# "but", "however", "aber", "mais", "но": a turn inside the answer.
CONTRAST = (
    "but",
    "however",
    "although",
    "though",
    "yet",
    "still",
    "nevertheless",
    "on the other hand",
    "aber",
    "jedoch",
    "allerdings",
    "trotzdem",
    "mais",
    "cependant",
    "pourtant",
    "toutefois",
    "pero",
    "sin embargo",
    "aunque",
    "ma",
    "però",
    "tuttavia",
    "mas",
    "porém",
    "maar",
    "ale",
    "jednak",
    "lecz",
    "но",
    "однако",
    "хотя",
    "зато",
    "але",
    "проте",
    "однак",
    "хоча",
    "aga",
    "kuid",
    "ent",
    "siiski",
    "men",
    "mutta",
)
# "I don't know", "on the one hand", "schwer zu sagen", "не знаю": no answer given.
HEDGE = (
    "i don't know",
    "i do not know",
    "don't know",
    "not sure",
    "i'm not sure",
    "unsure",
    "hard to say",
    "difficult to say",
    "hard question",
    "difficult question",
    "tough question",
    "tough one",
    "torn",
    "on the one hand",
    "on one hand",
    "both sides",
    "who knows",
    "can't decide",
    "cannot decide",
    "mixed feelings",
    "of two minds",
    "no idea",
    "no opinion",
    "i wonder",
    "depends who you ask",
    "i'm undecided",
    "undecided",
    "ambivalent",
    "weiß nicht",
    "weiß es nicht",
    "schwer zu sagen",
    "einerseits",
    "andererseits",
    "keine ahnung",
    "hin- und hergerissen",
    "zwiegespalten",
    "je ne sais pas",
    "difficile à dire",
    "d'un côté",
    "d'un autre côté",
    "aucune idée",
    "no sé",
    "difícil de decir",
    "por un lado",
    "por otro lado",
    "ni idea",
    "non so",
    "difficile dire",
    "da un lato",
    "dall'altro",
    "non saprei",
    "não sei",
    "por um lado",
    "ik weet het niet",
    "aan de ene kant",
    "nie wiem",
    "trudno powiedzieć",
    "z jednej strony",
    "z drugiej strony",
    "не знаю",
    "трудно сказать",
    "сложно сказать",
    "с одной стороны",
    "с другой стороны",
    "важко сказати",
    "складно сказати",
    "з одного боку",
    "з іншого боку",
    "ei tea",
    "raske öelda",
    "ühelt poolt",
    "teiselt poolt",
    "vet inte",
    "en tiedä",
)
# "Take them if they...", "wenn", "если": a bare "if" (weaker than "only if", hence apart).
IF = ("if", "wenn", "falls", "jeśli", "jeżeli", "если", "якщо", "kui", "ifall", "jos")
# "Those who can prove it", "ceux qui", "тех, кто": the answer covers only part of the group.
RESTRICTIVE = (
    "those who",
    "the ones who",
    "anyone who can",
    "some of them",
    "some of",
    "not all",
    "not every",
    "diejenigen",
    "jene, die",
    "nicht alle",
    "ceux qui",
    "celles qui",
    "pas tous",
    "quienes",
    "los que",
    "aquellos que",
    "no todos",
    "coloro che",
    "quelli che",
    "non tutti",
    "aqueles que",
    "os que",
    "nem todos",
    "degenen die",
    "niet alle",
    "tych, którzy",
    "ci, którzy",
    "tym, którzy",
    "nie wszyscy",
    "nie wszystkich",
    "тех, кто",
    "те, кто",
    "тем, кто",
    "не всех",
    "не все",
    "тих, хто",
    "ті, хто",
    "тим, хто",
    "не всіх",
    "не всі",
    "need, kes",
    "neile, kes",
    "nende, kes",
    "mitte kõik",
)
# "Thanks for the newsletter", "love your work": talking to the editors, not answering.
META = (
    "thank you",
    "thanks",
    "newsletter",
    "great issue",
    "love your",
    "keep up",
    "subscribe",
    "unsubscribe",
    "your team",
    "danke",
    "merci",
    "gracias",
    "grazie",
    "dziękuję",
    "спасибо",
    "дякую",
    "aitäh",
    "tack",
)
# Verbs of saying yes to a proposal ("accept", "let in", "support") and of saying no ("refuse",
# "keep out"): general to any yes/no policy question. A negation just before flips them.
PRO_VERBS = (
    "accept",
    "admit",
    "allow",
    "let",
    "welcome",
    "take",
    "grant",
    "give",
    "support",
    "adopt",
    "approve",
    "agree",
    "favour",
    "favor",
    "embrace",
    "open",
    "introduce",
    "back",
    "endorse",
    "aufnehmen",
    "akzeptieren",
    "erlauben",
    "zulassen",
    "lassen",
    "willkommen",
    "unterstützen",
    "accepter",
    "accueillir",
    "admettre",
    "laisser",
    "soutenir",
    "autoriser",
    "aceptar",
    "acoger",
    "admitir",
    "dejar",
    "apoyar",
    "permitir",
    "accettare",
    "accogliere",
    "ammettere",
    "lasciare",
    "sostenere",
    "permettere",
    "aceitar",
    "acolher",
    "permitir",
    "toelaten",
    "accepteren",
    "steunen",
    "przyjąć",
    "przyjmować",
    "wpuścić",
    "wpuszczać",
    "pozwolić",
    "popieram",
    "akceptować",
    "принять",
    "принимать",
    "впустить",
    "пустить",
    "пускать",
    "разрешить",
    "поддерживаю",
    "прийняти",
    "приймати",
    "впустити",
    "пустити",
    "дозволити",
    "підтримую",
    "vastu võtta",
    "lubada",
    "sisse lasta",
    "toetan",
    "aktsepteerida",
)
CON_VERBS = (
    "reject",
    "refuse",
    "deny",
    "ban",
    "block",
    "close",
    "stop",
    "oppose",
    "turn away",
    "turn back",
    "send back",
    "keep out",
    "keep them out",
    "turn them away",
    "turn them back",
    "send them back",
    "turn people away",
    "shut",
    "forbid",
    "prevent",
    "exclude",
    "ablehnen",
    "abweisen",
    "verweigern",
    "verbieten",
    "schließen",
    "zurückschicken",
    "refuser",
    "rejeter",
    "interdire",
    "fermer",
    "renvoyer",
    "rechazar",
    "negar",
    "prohibir",
    "cerrar",
    "devolver",
    "rifiutare",
    "respingere",
    "vietare",
    "chiudere",
    "rimandare",
    "recusar",
    "rejeitar",
    "weigeren",
    "afwijzen",
    "odrzucić",
    "odmówić",
    "zamknąć",
    "zakazać",
    "отказать",
    "отказывать",
    "запретить",
    "закрыть",
    "выслать",
    "не пускать",
    "відмовити",
    "заборонити",
    "закрити",
    "вислати",
    "keelata",
    "sulgeda",
    "tagasi saata",
    "keelduda",
)


_WORD_IN_FOLDED = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_STANDALONE = re.compile(r"\s*(?:[,.!;:—–\-)]|$)")
_NEGATION_WORDS = frozenset(p for p in NEGATION if " " not in p)
_YES_WORDS = frozenset({"yes", "sì", "sí", "si", "da", "tak", "так", "да", "jah", "ja", "oui"})
_AMBIGUOUS_YES = frozenset({"si", "так", "sure", "indeed", "klar"})


_ENGLISH_ENDINGS = ("s", "es", "d", "ed", "ing")
_STEM_MIN = 5


class _PhraseIndex:
    """Phrase families matched on word tokens: one dictionary lookup per word, whatever the
    number of phrases. An English ending may follow the last word ("on conditions", "it
    depends", "refused"). Families in ``stemmed`` also match single long words by their stem,
    for inflecting languages: "accogliere" matches "accoglierei", "przyjąć" "przyjmę"."""

    def __init__(
        self, families: dict[str, Iterable[str]], stemmed: frozenset[str] = frozenset()
    ) -> None:
        self.index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.stems: dict[str, list[tuple[str, str]]] = {}
        for family, phrases in families.items():
            for phrase in phrases:
                toks = tuple(_WORD_IN_FOLDED.findall(phrase.casefold()))
                if not toks:
                    continue
                last = toks[-1]
                variants = {toks} | {(*toks[:-1], last + e) for e in _ENGLISH_ENDINGS}
                for variant in variants:
                    self.index.setdefault(variant[0], []).append((variant, family))
                # English words have their endings above; stemming short ones would match
                # "approached" for "approve".
                long_enough = len(last) >= 8 or (not last.isascii() and len(last) >= 7)
                if family in stemmed and len(toks) == 1 and long_enough:
                    stem = last[: max(_STEM_MIN, len(last) - 3)]
                    self.stems.setdefault(stem[:_STEM_MIN], []).append((stem, family))
        for entries in self.index.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)

    def find(self, toks: list[str]) -> dict[str, list[int]]:
        """Per family, the token index where each match starts (matches of one family do
        not overlap; the longest wins)."""
        found: dict[str, list[int]] = {}
        busy: dict[str, int] = {}
        for i, tok in enumerate(toks):
            for phrase, family in self.index.get(tok, ()):
                n = len(phrase)
                if busy.get(family, 0) > i or tuple(toks[i : i + n]) != phrase:
                    continue
                found.setdefault(family, []).append(i)
                busy[family] = i + n
            for stem, family in self.stems.get(tok[:_STEM_MIN], ()):
                if busy.get(family, 0) <= i and tok.startswith(stem):
                    found.setdefault(family, []).append(i)
                    busy[family] = i + 1
        return found


_PHRASES = _PhraseIndex(
    {
        "yes": [p for p in YES if p not in AMBIGUOUS_ANSWER],
        "no": [p for p in NO if p not in AMBIGUOUS_ANSWER],
        "ambiguous": AMBIGUOUS_ANSWER,
        "conditional": CONDITIONAL,
        "only": ONLY,
        "if": IF,
        "restrictive": RESTRICTIVE,
        "contrast": CONTRAST,
        "hedge": HEDGE,
        "meta": META,
        "pro": PRO_VERBS,
        "con": CON_VERBS,
    },
    stemmed=frozenset({"pro", "con"}),
)

NAMES: tuple[str, ...] = (
    "yes_open",
    "no_open",
    "yes_any",
    "no_any",
    "mixed_answer",
    "negation",
    "pro_verb",
    "con_verb",
    "conditional",
    "only",
    "if",
    "restrictive",
    "contrast",
    "yes_then_but",
    "hedge",
    "question",
    "opens_with_question",
    "meta",
    "length",
)
OPENING_WORDS = 6  # an answer word among the first six words "opens" the reply


def _is_negation(word: str) -> bool:
    return word in _NEGATION_WORDS or word.endswith(NEGATION_SUFFIXES)


def _squash(count: float, scale: float = 2.0) -> float:
    return 1.0 - math.exp(-count / scale)


def cue_vector(text: str) -> npt.NDArray[np.float32]:
    """The answer cues of one reply, each in [0, 1], in the order of ``NAMES``."""
    text = strip_greeting(text)
    folded = fold(text)
    spans = list(_WORD_IN_FOLDED.finditer(folded))
    toks = [m.group(0) for m in spans]
    n_words = max(len(toks), 1)
    sents = sentences(text)
    found = _PHRASES.find(toks)

    yes_at = list(found.get("yes", ()))
    no_at = list(found.get("no", ()))
    # "no", "si", "nie" ... are answers only when they stand alone: "No.", not "no reason".
    for i in found.get("ambiguous", ()):
        if _STANDALONE.match(folded, spans[i].end()):
            word = toks[i]
            (yes_at if word in _YES_WORDS or word in _AMBIGUOUS_YES else no_at).append(i)
    first_yes = min(yes_at, default=n_words)
    first_no = min(no_at, default=n_words)
    yes_open = first_yes < OPENING_WORDS and first_yes < first_no
    no_open = first_no < OPENING_WORDS and first_no < first_yes

    # Saying yes to a proposal ("accept", "let in") or no ("refuse"); a negation among the
    # three words before flips it ("we should not turn them away").
    pro = con = 0
    for family, flipped in (("pro", False), ("con", True)):
        for i in found.get(family, ()):
            negated = any(_is_negation(w) for w in toks[max(0, i - 3) : i])
            if negated != flipped:
                con += 1
            else:
                pro += 1
    contrast_at = found.get("contrast", [])
    questions = sum(1 for s in sents if s.rstrip().endswith("?"))

    def count(family: str) -> int:
        return len(found.get(family, ()))

    values = (
        float(yes_open),
        float(no_open),
        _squash(len(yes_at)),
        _squash(len(no_at)),
        float(bool(yes_at) and bool(no_at)),
        _squash(sum(1 for w in toks if _is_negation(w)) / math.sqrt(n_words) * 3),
        _squash(pro),
        _squash(con),
        _squash(count("conditional"), 1.0),
        _squash(count("only"), 1.0),
        _squash(count("if"), 1.0),
        _squash(count("restrictive"), 1.0),
        _squash(len(contrast_at)),
        float(bool(yes_at) and any(c > first_yes for c in contrast_at)),
        _squash(count("hedge"), 1.0),
        questions / max(len(sents), 1),
        float(bool(sents) and sents[0].rstrip().endswith("?")),
        _squash(count("meta"), 1.0),
        min(math.log1p(n_words) / math.log(400), 1.0),
    )
    return np.asarray(values, dtype=np.float32)


def cue_matrix(texts: Iterable[str]) -> npt.NDArray[np.float32]:
    rows = [cue_vector(t) for t in texts]
    if not rows:
        return np.zeros((0, len(NAMES)), dtype=np.float32)
    return np.stack(rows)
