"""Deterministic, realistic reader replies for benchmarks.

    generate_replies(n, seed=42) -> Iterator[bytes]      # raw RFC 5322 messages, CRLF
    generate_labelled(n, seed=42) -> Iterator[tuple[bytes, Label]]

    python -m curator.samples.generate 100000 --out DIR     # one NNNNNN.eml per message
    python -m curator.samples.generate 100000 --mbox FILE   # one mboxrd file

Every message answers the bundled sample question (``question.toml``: should the EU ban
TikTok?) and looks like what sits in a real reply mailbox: the receiving server's trace
headers and the sender's DKIM-Signature, a client's own header order, boundaries and
quoting of the newsletter (Gmail, Outlook for Windows and iOS, Apple Mail, Thunderbird,
Yahoo, Proton), UTF-8 names and subjects as RFC 2047 encoded-words, about a third of the
text parts quoted-printable, and sign-offs in many shapes. Replies are assembled from
sentence fragments (opening, one to three arguments, closing, sign-off, person, place), so
100,000 messages are all distinct; about 3% are auto-replies and bounces.

The mean message is about 3 KB and generation runs at well over 20,000 messages a second:
the newsletter quote for each client is encoded once, and messages are built with
f-strings. Only the standard library is used.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from curator.samples import newsletter as nl
from curator.samples._mime import ew_b, ew_q, html_escape, rfc2822_date

__all__ = ["Label", "generate_labelled", "generate_replies", "main"]


@dataclass(frozen=True, slots=True)
class Label:
    """What a generated message is, for accuracy checks at scale."""

    kind: str  # response | auto_reply | bounce
    position: str | None
    arguments: tuple[str, ...]
    name: str | None
    location: str | None
    withhold_name: bool
    language: str
    client: str


# ---------------------------------------------------------------------------------------------
# Sentence fragments. Arguments carry their tag; each position has its own openings.

OPENERS: dict[str, tuple[str, ...]] = {
    "ban_everywhere": (
        "Ban it everywhere.",
        "Everywhere, and the sooner the better.",
        "I'd ban it outright across the whole EU.",
        "Honestly? Pull it from the app stores altogether.",
        "The Commission has only done half the job. Ban it for everyone.",
        "Full ban. Not just on official phones.",
        "I used to think a ban was over the top, but I've come round to it: everywhere.",
        "If it's too risky for a civil servant's phone it's too risky for mine. Ban it.",
        "Yes, ban it, and not only on work phones.",
        "Get rid of it completely.",
    ),
    "ban_government_only": (
        "Government devices, yes. Everyone else, no.",
        "Official phones only.",
        "Take it off work phones and leave the rest of us alone.",
        "The Commission got this about right: government devices and nothing more.",
        "On state-issued devices, absolutely. A general ban would be overreach.",
        "Ban it on anything that carries sensitive information, but not for the public.",
        "Work phones yes, private phones no.",
        "A device ban makes sense. A nationwide one doesn't.",
        "Keep it off ministers' and officials' phones. That's where the line should be.",
        "For government staff, sure. For ordinary citizens it's none of Brussels' business.",
    ),
    "no_ban": (
        "No ban.",
        "I wouldn't ban it anywhere.",
        "Banning one app is the wrong tool.",
        "No, and not even on government phones.",
        "Please don't ban it.",
        "A ban would be a mistake.",
        "I'm against a ban, full stop.",
        "No. Regulate it, don't ban it.",
        "This is security theatre and I wouldn't do it.",
        "Leave it alone.",
    ),
    "unclear": (
        "Honestly, I go back and forth on this one.",
        "I genuinely don't know.",
        "Hard question and I'm not sure there's a right answer.",
        "Before I answer, what exactly would a ban achieve?",
        "I can see both sides.",
        "Ask me next week, I keep changing my mind.",
        "I'm torn.",
        "Wrong question, I think.",
    ),
}

# Argument sentences by tag and stance: "pro" supports a ban, "con" argues against a general
# ban. Each position draws from the pools that fit it (POOLS below).
ARGUMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "security_china": {
        "pro": (
            "Under China's intelligence law ByteDance has to cooperate with the state if "
            "asked, whatever the company says in public.",
            "ByteDance already admitted staff used the app to track journalists, so the "
            "'we'd never do that' line doesn't wash.",
            "An app that can read your location, contacts and clipboard is a gift to any "
            "intelligence service.",
            "The data on an official's phone tells you who they meet, where and when, and "
            "that's exactly what a foreign service wants.",
            "We kept Huawei out of our 5G networks for the same reason.",
            "In the end the parent company answers to Beijing.",
            "I work in cyber security and the permissions this app asks for are extraordinary.",
        ),
        "con": (
            "If Chinese intelligence wants data on Europeans it can buy it, it doesn't need "
            "TikTok.",
            "Nobody has shown any actual evidence of European data going to Beijing.",
        ),
    },
    "propaganda_influence": {
        "pro": (
            "The data is the smaller risk; the algorithm decides what a whole generation sees.",
            "Nobody outside the company can audit how the feed is tuned, and it could be "
            "changed overnight in a crisis.",
            "We have elections coming and I don't want a foreign government's app deciding "
            "what young voters see.",
            "My kids get their news from it now, which should worry everyone.",
            "Imagine what it could do to public opinion during a crisis over Taiwan.",
            "Quiet nudges in a recommendation engine are far harder to spot than fake news.",
        ),
        "con": (
            "Every media outlet can push an agenda; we don't ban newspapers for it.",
            "If the feed is being manipulated, publish the evidence and act on it under the DSA.",
        ),
    },
    "free_speech": {
        "pro": (
            "This isn't a free-speech issue: nobody is stopping anyone from saying anything "
            "on other platforms.",
        ),
        "con": (
            "Governments deciding which apps adults can install is a line I don't want crossed.",
            "Banning a platform because of who owns it is what authoritarian states do.",
            "Millions of people use it to speak, sell and organise; a ban silences them, not "
            "Beijing.",
            "Once we ban one app the next one is easier, and the next government may pick a "
            "platform you like.",
            "For the general public it's a free-speech question before it's a security question.",
            "A blanket ban would never survive the courts, and it shouldn't.",
        ),
    },
    "data_broker_problem": {
        "pro": (
            "Yes, other apps collect data too, but they don't answer to the Chinese Communist "
            "Party.",
        ),
        "con": (
            "Instagram, Snapchat and half the apps on my phone collect the same data.",
            "Anyone, including Chinese intelligence, can buy location data from brokers "
            "legally; banning one app doesn't touch that.",
            "Enforce the GDPR properly against every company instead of picking one.",
            "The problem is the business model, not the flag on the headquarters.",
            "Pass a real privacy law that covers all platforms, American ones included.",
            "If the worry is data, fix data protection for everyone.",
        ),
    },
    "kids_mental_health": {
        "pro": (
            "I'm a teacher and I see what it does to attention spans every day.",
            "My daughter is thirteen and loses whole evenings to it.",
            "In China the kids' version is limited to forty minutes a day; ours isn't "
            "limited at all.",
            "The endless scroll is designed to be addictive and children have no defence "
            "against it.",
            "Teenagers are being fed diet and body-image content at two in the morning.",
            "Forget China for a second, the thing is bad for kids.",
        ),
        "con": (
            "What children watch is a job for parents, not for Brussels.",
            "If we're worried about kids, regulate autoplay and infinite scroll on every platform.",
        ),
    },
    "enforceability": {
        "pro": (
            "A ban doesn't need to be perfect; removing it from the app stores kills the "
            "network effect.",
            "Some people will use a VPN. Most won't bother, which is the point.",
        ),
        "con": (
            "Any fifteen-year-old can get round a ban with a VPN in five minutes.",
            "People would just sideload old, unpatched versions, which is worse for security.",
            "Users would move to Reels and Shorts the next morning.",
            "Good luck enforcing it across 27 countries.",
            "India banned it in 2020 and the users just moved to other apps.",
        ),
    },
    "reciprocity": {
        "pro": (
            "China has blocked Facebook, Google and YouTube for over a decade.",
            "Beijing doesn't let our platforms in, so why should we let theirs run freely?",
            "Reciprocity is a normal principle in trade, and it should apply to apps.",
            "Let Western apps into China on the same terms and then we can talk.",
        ),
        "con": (
            "China banning our apps is a reason to be different from China, not to copy it.",
            "'They ban ours' is not an argument a free society should make.",
        ),
    },
}

# (tag, stance) pools per position; the first pool of ban_government_only is drawn first.
# fmt: off
POOLS: dict[str, tuple[tuple[str, str], ...]] = {
    "ban_everywhere": (
        ("security_china", "pro"), ("propaganda_influence", "pro"),
        ("kids_mental_health", "pro"), ("reciprocity", "pro"), ("enforceability", "pro"),
        ("data_broker_problem", "pro"), ("free_speech", "pro"),
    ),
    "ban_government_only": (
        ("security_china", "pro"), ("free_speech", "con"), ("enforceability", "con"),
        ("data_broker_problem", "con"), ("kids_mental_health", "con"),
    ),
    "no_ban": (
        ("free_speech", "con"), ("data_broker_problem", "con"), ("enforceability", "con"),
        ("reciprocity", "con"), ("security_china", "con"), ("propaganda_influence", "con"),
        ("kids_mental_health", "con"),
    ),
    "unclear": tuple((tag, stance) for tag in ARGUMENTS for stance in ("pro", "con")),
}
# fmt: on

FILLERS = (
    "I've thought about this quite a bit since your last issue.",
    "This one hits home for me.",
    "Short answer from me.",
    "I'm probably in the minority among your readers here.",
    "My whole family argued about this at dinner.",
    "I use it most days, for what it's worth.",
    "I'm a parent of two teenagers.",
    "I worked in government IT for years.",
)

CLOSERS = (
    "",
    "",
    "",
    "Thanks for asking the question.",
    "Keep up the good work.",
    "Love the newsletter.",
    "Curious what other readers think.",
    "Just my two cents.",
    "Thanks for a great newsletter.",
)

GREETINGS = ("", "", "", "", "Hi,", "Hello,", "Hi Signal team,", "Dear GZERO,", "Hi all,")
VALEDICTIONS = ("", "", "", "Best,", "Regards,", "Cheers,", "Thanks,", "Best regards,")

# A few replies in other languages: (language, position, text, arguments).
# fmt: off
FOREIGN: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("de", "ban_government_only", "Auf Diensthandys: ja. Ein allgemeines Verbot halte ich "
     "f\u00fcr \u00fcberzogen und kaum durchsetzbar.", ("enforceability",)),
    ("de", "ban_everywhere", "Komplett verbieten. Die Daten landen am Ende in Peking, egal "
     "was das Unternehmen behauptet.", ("security_china",)),
    ("de", "no_ban", "Kein Verbot. Instagram sammelt genauso viele Daten, nur regt sich "
     "niemand dar\u00fcber auf.", ("data_broker_problem",)),
    ("fr", "ban_everywhere", "Interdiction totale. Nos enfants y passent des heures et "
     "l'algorithme est con\u00e7u pour \u00e7a.", ("kids_mental_health",)),
    ("fr", "no_ban", "Pas d'interdiction : c'est exactement ce que ferait P\u00e9kin, pas "
     "une d\u00e9mocratie.", ("free_speech", "reciprocity")),
    ("fr", "ban_government_only", "Sur les t\u00e9l\u00e9phones professionnels des "
     "fonctionnaires, oui. Pour le reste, non.", ()),
    ("es", "no_ban", "No lo prohibir\u00eda. Que se aplique el RGPD a todas las "
     "plataformas por igual.", ("data_broker_problem",)),
    ("es", "ban_government_only", "En los m\u00f3viles oficiales s\u00ed, por seguridad. "
     "Prohibirlo a todo el mundo ser\u00eda excesivo.", ("security_china",)),
    ("pl", "ban_everywhere", "Zakaza\u0107 wsz\u0119dzie. Chi\u0144ski algorytm nie "
     "powinien decydowa\u0107, co ogl\u0105daj\u0105 nasze dzieci.",
     ("kids_mental_health", "propaganda_influence")),
    ("pl", "unclear", "Szczerze m\u00f3wi\u0105c, nie wiem. Rozumiem obie strony.", ()),
)

FIRST = (
    "Anna", "James", "Sophie", "Lukas", "Maria", "Tom", "Elena", "David", "Chloe", "Marco",
    "Fatima", "Oliver", "Ingrid", "Pavel", "Aisha", "Henrik", "Laura", "Kevin", "Zofia", "Rui",
    "Priya", "Matteo", "Emma", "Jonas", "Sara", "Niamh", "Carlos", "Hannah", "Piotr", "Lea",
    "Mehmet", "Grace", "Andrea", "Tobias", "Helen", "Ravi", "Marta", "Stefan", "Julia", "Ben",
    "Amélie", "José", "Łukasz", "Zoë", "Søren", "Björn", "Małgorzata", "Inês", "Ángel",
    "Chiara", "Dmitri", "Eva", "Frank", "Gwen", "Hugo", "Ivana", "Jack", "Katrin", "Liam",
    "Mia", "Noah", "Olga", "Paul", "Rosa", "Simon", "Tessa", "Uwe", "Vera", "Will", "Yusuf",
)
LAST = (
    "Schmidt", "Murphy", "Rossi", "Kowalski", "Jansen", "Dubois", "García", "Novak",
    "Andersson", "O'Brien", "Silva", "Papadopoulos", "Horvat", "Meyer", "Walsh", "Moreau",
    "Fischer", "Costa", "Nielsen", "Lindberg", "Byrne", "Ferreira", "Kovač", "Weber",
    "Martens", "Russo", "Kaczmarek", "Hughes", "Bianchi", "Lambert", "Morgan", "Evans",
    "Müller", "Wójcik", "Sørensen", "Gonçalves", "Jovanović", "Nováková", "Ó Briain",
    "Brennan", "Carter", "Delgado", "Eriksen", "Fontaine", "Gallo", "Hartley", "Ivanova",
    "Keller", "Larsen", "Mahoney", "Nolan", "Okafor", "Patel", "Quinn", "Ramos", "Sato",
    "Thompson", "Vasquez", "Whitaker", "Zimmermann",
)
# (city, region or country for the "City, Region" form, country, UTC offset in hours)
PLACES: tuple[tuple[str, str, str, float], ...] = (
    ("Lisbon", "Portugal", "Portugal", 0), ("Porto", "Portugal", "Portugal", 0),
    ("Dublin", "Ireland", "Ireland", 0), ("Cork", "Ireland", "Ireland", 0),
    ("Manchester", "UK", "UK", 0), ("Leeds", "UK", "UK", 0), ("Glasgow", "Scotland", "UK", 0),
    ("Bristol", "UK", "UK", 0), ("Norwich", "UK", "UK", 0), ("Belfast", "NI", "UK", 0),
    ("Madrid", "Spain", "Spain", 1), ("Seville", "Spain", "Spain", 1),
    ("Barcelona", "Spain", "Spain", 1), ("Lyon", "France", "France", 1),
    ("Bordeaux", "France", "France", 1), ("Paris", "France", "France", 1),
    ("Brussels", "Belgium", "Belgium", 1), ("Antwerp", "Belgium", "Belgium", 1),
    ("Utrecht", "Netherlands", "Netherlands", 1), ("Rotterdam", "NL", "Netherlands", 1),
    ("Hamburg", "Germany", "Germany", 1), ("Munich", "Germany", "Germany", 1),
    ("Köln", "Germany", "Germany", 1), ("Freiburg", "Germany", "Germany", 1),
    ("Vienna", "Austria", "Austria", 1), ("Graz", "Austria", "Austria", 1),
    ("Zürich", "Switzerland", "Switzerland", 1), ("Milan", "Italy", "Italy", 1),
    ("Bologna", "Italy", "Italy", 1), ("Turin", "Italy", "Italy", 1),
    ("Copenhagen", "Denmark", "Denmark", 1), ("Aarhus", "Denmark", "Denmark", 1),
    ("Malmö", "Sweden", "Sweden", 1), ("Uppsala", "Sweden", "Sweden", 1),
    ("Oslo", "Norway", "Norway", 1), ("Kraków", "Poland", "Poland", 1),
    ("Poznań", "Poland", "Poland", 1), ("Prague", "Czechia", "Czechia", 1),
    ("Brno", "Czech Republic", "Czechia", 1), ("Ljubljana", "Slovenia", "Slovenia", 1),
    ("Zagreb", "Croatia", "Croatia", 1), ("Budapest", "Hungary", "Hungary", 1),
    ("Tallinn", "Estonia", "Estonia", 2), ("Tartu", "Estonia", "Estonia", 2),
    ("Riga", "Latvia", "Latvia", 2), ("Vilnius", "Lithuania", "Lithuania", 2),
    ("Helsinki", "Finland", "Finland", 2), ("Athens", "Greece", "Greece", 2),
    ("Thessaloniki", "Greece", "Greece", 2), ("Bucharest", "Romania", "Romania", 2),
    ("Sofia", "Bulgaria", "Bulgaria", 2), ("Nicosia", "Cyprus", "Cyprus", 2),
    ("Austin", "TX", "USA", -6), ("Denver", "CO", "USA", -7), ("Portland", "OR", "USA", -8),
    ("Chicago", "IL", "USA", -6), ("Boston", "MA", "USA", -5), ("Atlanta", "GA", "USA", -5),
    ("Brooklyn", "NY", "USA", -5), ("Seattle", "WA", "USA", -8),
    ("Toronto", "Ontario", "Canada", -5), ("Montréal", "Québec", "Canada", -5),
    ("Vancouver", "BC", "Canada", -8), ("Sydney", "NSW", "Australia", 11),
    ("Wellington", "New Zealand", "New Zealand", 13), ("Singapore", "Singapore", "Singapore", 8),
    ("Bengaluru", "India", "India", 5.5), ("Cape Town", "South Africa", "South Africa", 2),
)
DOMAINS = (
    "example.com", "example.net", "example.org", "mail.example.com", "post.example.net",
    "inbox.example.org", "webmail.example.com", "example.co.uk", "example.de", "example.fr",
)
# fmt: on


# ---------------------------------------------------------------------------------------------
# Per-client templates, encoded once


def _ascii(text: str) -> str:
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in flat.lower() if ch.isalnum())


def _qp(text: str) -> str:
    return binascii.b2a_qp(text.encode("utf-8")).decode("ascii")


def _b64(text: str) -> str:
    return base64.encodebytes(text.encode("utf-8")).decode("ascii")


NL_ID = nl.MESSAGE_ID
NL_ADDR = f"{nl.FROM_NAME} <{nl.FROM_ADDR}>"
# Replies quote the newsletter; for a ~3 KB benchmark message only its question is quoted.
_ASK_SHORT = nl.ASK[: nl.ASK.index("Reply to this email.") + len("Reply to this email.")]
_SHORT_PLAIN = f"{nl.HEADLINE}\n\n{nl.ASK_LEAD} {_ASK_SHORT}"
_SHORT_HTML = (
    f"<h2>{html_escape(nl.HEADLINE)}</h2><p>{html_escape(nl.ASK_LEAD)} "
    f"{html_escape(_ASK_SHORT)}</p>"
)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))


@dataclass(frozen=True, slots=True)
class _Tail:
    """A fixed block with at most one line holding ``{to}``, pre-encoded as QP."""

    pre: str
    pre_qp: str
    to_line: str
    post: str
    post_qp: str

    @classmethod
    def of(cls, text: str) -> _Tail:
        at = text.find("{to}")
        if at < 0:
            return cls(text, _qp(text), "", "", "")
        start = text.rfind("\n", 0, at) + 1
        end = text.index("\n", at) + 1
        pre, line, post = text[:start], text[start:end], text[end:]
        return cls(pre, _qp(pre), line, post, _qp(post))

    def raw(self, to: str) -> str:
        if not self.to_line:
            return self.pre
        return f"{self.pre}{self.to_line.replace('{to}', to)}{self.post}"

    def qp(self, to: str) -> str:
        if not self.to_line:
            return self.pre_qp
        return f"{self.pre_qp}{_qp(self.to_line.replace('{to}', to))}{self.post_qp}"


@dataclass(frozen=True, slots=True)
class _Client:
    key: str
    plain_tail: _Tail  # after the reader's text + "\n": tagline, attribution, quote
    html_head: str
    html_head_qp: str
    html_line: str  # one reader line, {0} is the escaped text
    html_blank: str
    html_tail: _Tail


def _client(key: str, plain: str, head: str, line: str, blank: str, tail: str) -> _Client:
    # The reader's text is followed by "\n" + plain[1:], so the QP of the parts concatenates.
    assert plain.startswith("\n") and (not head or head.endswith("\n"))
    return _Client(key, _Tail.of(plain[1:]), head, _qp(head), line, blank, _Tail.of(tail))


def _clients() -> dict[str, _Client]:
    g_attr = f"On Fri, Feb 24, 2023 at 10:17\u202fAM {NL_ADDR} wrote:"
    out = {
        "gmail": _client(
            "gmail",
            f"\n\n{g_attr}\n\n{_quote(_SHORT_PLAIN)}\n",
            '<div dir="ltr">\n',
            "<div>{0}</div>\n",
            "<div><br></div>\n",
            '</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
            f"{html_escape(g_attr)}<br></div>\n"
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px '
            f'solid rgb(204,204,204);padding-left:1ex">{_SHORT_HTML}</blockquote></div>\n',
        ),
        "outlook": _client(
            "outlook",
            f"\n\nFrom: {NL_ADDR}\nSent: Friday, February 24, 2023 10:17 AM\n"
            f"To: {{to}}\nSubject: {nl.SUBJECT}\n\n{_SHORT_PLAIN}\n",
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            "</head>\n"
            '<body lang="EN-US" link="#0563C1" vlink="#954F72"><div class="WordSection1">\n',
            '<p class="MsoNormal">{0}<o:p></o:p></p>\n',
            '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n',
            '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
            f'<p class="MsoNormal"><b>From:</b> {html_escape(NL_ADDR)}<br>\n'
            "<b>Sent:</b> Friday, February 24, 2023 10:17 AM<br>\n"
            f"<b>To:</b> {{to}}<br>\n<b>Subject:</b> {html_escape(nl.SUBJECT)}</p></div>\n"
            f"{_SHORT_HTML}\n</div></body></html>\n",
        ),
        "outlook_ios": _client(
            "outlook_ios",
            "\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\n"
            f"From: {NL_ADDR}\nSent: Friday, February 24, 2023 11:17:42 AM\nTo: {{to}}\n"
            f"Subject: {nl.SUBJECT}\n\n{_SHORT_PLAIN}\n",
            '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            '</head><body><div dir="auto">\n',
            "<div>{0}</div>\n",
            "<div><br></div>\n",
            '</div><div id="ms-outlook-mobile-signature">Get <a href="https://aka.ms/o0ukef">'
            'Outlook for iOS</a></div><hr style="display:inline-block;width:98%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" '
            f'style="font-size:11pt"><b>From:</b> {html_escape(NL_ADDR)}<br>'
            "<b>Sent:</b> Friday, February 24, 2023 11:17:42 AM<br>\n<b>To:</b> {to}<br>\n"
            f"<b>Subject:</b> {html_escape(nl.SUBJECT)}</font><div>&nbsp;</div></div>\n"
            f"{_SHORT_HTML}\n</body></html>\n",
        ),
        "iphone": _client(
            "iphone",
            "\n\nSent from my iPhone\n\n> On Feb 24, 2023, at 10:17\u202fAM, "
            f"{NL_ADDR} wrote:\n>\n{_quote(_SHORT_PLAIN)}\n",
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
            '</head><body dir="auto">\n',
            '<div dir="ltr">{0}</div>\n',
            '<div dir="ltr"><br></div>\n',
            '<div dir="ltr"><br></div><div dir="ltr">Sent from my iPhone</div>'
            '<div dir="ltr"><br><blockquote type="cite">On Feb 24, 2023, at 10:17\u202fAM, '
            f"{html_escape(NL_ADDR)} wrote:<br><br></blockquote></div>\n"
            f'<blockquote type="cite"><div dir="ltr">{_SHORT_HTML}</div></blockquote>'
            "</body></html>\n",
        ),
        "apple_mail": _client(
            "apple_mail",
            f"\n\n> On 24 Feb 2023, at 10:17, {NL_ADDR} wrote:\n> \n{_quote(_SHORT_PLAIN)}\n",
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
            '</head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; '
            'line-break: after-white-space;">\n',
            "<div>{0}</div>\n",
            "<div><br></div>\n",
            '<div><br><blockquote type="cite"><div>On 24 Feb 2023, at 10:17, '
            f'{html_escape(NL_ADDR)} wrote:</div><br class="Apple-interchange-newline">'
            f"<div>{_SHORT_HTML}</div></blockquote></div><br></body></html>\n",
        ),
        "yahoo": _client(
            "yahoo",
            "\n\n\n    On Friday, February 24, 2023 at 05:17:42 AM EST, "
            f"{NL_ADDR} wrote:  \n \n {_SHORT_PLAIN}\n",
            '<html><head></head><body><div class="ydp9c1a2b3fyahoo-style-wrap" '
            'style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:16px;">\n',
            '<div dir="ltr" data-setdir="false">{0}</div>\n',
            '<div dir="ltr" data-setdir="false"><br></div>\n',
            '</div><div id="yahoo_quoted_4410723" class="yahoo_quoted">'
            "<div style=\"font-family:'Helvetica Neue', Helvetica, Arial, sans-serif;"
            'font-size:13px;color:#26282a;"><div>On Friday, February 24, 2023 at 05:17:42 AM '
            f"EST, {html_escape(NL_ADDR)} wrote:</div><div><br></div>\n"
            f"<div>{_SHORT_HTML}</div></div></div></body></html>\n",
        ),
        "proton": _client(
            "proton",
            "\n\nSent with Proton Mail secure email.\n\n------- Original Message -------\n"
            f"On Friday, February 24th, 2023 at 10:17, {NL_ADDR} wrote:\n\n\n"
            f"{_quote(_SHORT_PLAIN)}\n",
            '<div style="font-family: Arial, sans-serif; font-size: 14px;">\n',
            "{0}<br>\n",
            "<br>\n",
            '</div><div class="protonmail_signature_block">Sent with <a href="https://proton.me/">'
            'Proton Mail</a> secure email.</div><div class="protonmail_quote">\n'
            "------- Original Message -------<br>On Friday, February 24th, 2023 at 10:17, "
            f"{html_escape(NL_ADDR)} wrote:<br><br>\n"
            f'<blockquote class="protonmail_quote" type="cite">{_SHORT_HTML}</blockquote>'
            "</div>\n",
        ),
        "thunderbird": _client(
            "thunderbird",
            f"\n\nOn 2/24/23 10:17 AM, {nl.FROM_NAME} wrote:\n{_quote(_SHORT_PLAIN)}\n",
            "",
            "",
            "",
            "",
        ),
    }
    return out


CLIENTS = _clients()
_ASCII = {x: _ascii(x) for x in FIRST + LAST}
# Weighted client mix (roughly what a newsletter's reply mailbox sees).
# fmt: off
_MIX = (
    ("gmail", 36), ("outlook", 16), ("iphone", 14), ("apple_mail", 8), ("outlook_ios", 7),
    ("yahoo", 6), ("thunderbird", 7), ("proton", 6),
)
_CLIENT_TABLE: tuple[str, ...] = tuple(k for k, w in _MIX for _ in range(w))

_RELAYS = {
    "gmail": ("mail-wm1-f{n}.google.com", "209.85.128.{n}", "google"),
    "outlook": ("EUR0{d}-AM{d}-obe.outbound.protection.outlook.com", "40.107.{n}.{d}", "selector1"),
    "outlook_ios": ("EUR0{d}-DB{d}-obe.outbound.protection.outlook.com", "40.92.{n}.{d}",
                    "selector2"),
    "iphone": ("st43p00im-zteg1011{n}.me.com", "17.58.63.{n}", "sig1"),
    "apple_mail": ("st43p00im-ztfb1006{n}.me.com", "17.58.6.{n}", "sig1"),
    "yahoo": ("sonic30{d}-{n}.consmr.mail.ne1.yahoo.com", "66.163.191.{n}", "s2048"),
    "thunderbird": ("mout-p-10{d}.mailbox.org", "80.241.56.{n}", "MBO0001"),
    "proton": ("mail-40{n}.proton.ch", "185.70.40.{n}", "protonmail3"),
}
# fmt: on
_SUBJECTS = {
    "gmail": "Re: Should the EU ban TikTok?",
    "outlook": "RE: Should the EU ban TikTok?",
    "outlook_ios": "Re: Should the EU ban TikTok?",
}
_ODD_SUBJECTS = (
    "Re: Should the EU ban TikTok? My answer",
    "Re: Should the EU ban TikTok? \u2013 a reader's view",
    "AW: Should the EU ban TikTok?",
    "Odp: Should the EU ban TikTok?",
    "RE: Should the EU ban TikTok? (from a teacher)",
    "Re: Should the EU ban TikTok? \u2014 reply",
    "TikTok ban",
    "Re: TikTok \u2013 yes, ban it",
    "Re: Should the EU ban TikTok? \U0001f914",
)
_B32 = "0123456789abcdefghijklmnopqrstuv"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _encode_subject(text: str) -> str:
    if text.isascii():
        return text
    words = text.split(" ")
    first = next(i for i, w in enumerate(words) if not w.isascii())
    head = " ".join(words[:first])
    tail = ew_q(" ".join(words[first:]))
    return f"{head} {tail}" if head else tail


_ENC_SUBJECTS = tuple(_encode_subject(s) for s in _ODD_SUBJECTS)
_NAME_CACHE: dict[str, str] = {}


def _display(name: str, addr: str, b: bool) -> str:
    if name.isascii():
        if "'" in name or "." in name:
            return f'"{name}" <{addr}>'
        return f"{name} <{addr}>"
    key = f"{b}{name}"
    enc = _NAME_CACHE.get(key)
    if enc is None:
        enc = ew_b(name) if b else ew_q(name)
        _NAME_CACHE[key] = enc
    return f"{enc} <{addr}>"


_TOKEN_FIX = bytes.maketrans(b"+/", b"Xk")


def _token(rng: random.Random, n: int) -> str:
    """``n`` letters and digits (n <= 64)."""
    raw = binascii.b2a_base64(rng.randbytes(48), newline=False)
    return raw.translate(_TOKEN_FIX)[:n].decode("ascii")


def _counter(i: int) -> str:
    out = []
    while True:
        out.append(_B32[i & 31])
        i >>= 5
        if not i:
            return "".join(out)


_DAY_CACHE: dict[int, str] = {}
_ZONE_CACHE: dict[int, str] = {}
_TWO = tuple(f"{x:02d}" for x in range(60))


def _date(ts: float, off_min: int) -> str:
    """RFC 5322 date of ``ts`` at UTC+``off_min`` minutes, fast (cached day prefixes)."""
    local = int(ts) + off_min * 60
    day, rest = divmod(local, 86400)
    prefix = _DAY_CACHE.get(day)
    if prefix is None:
        t = time.gmtime(day * 86400)
        prefix = f"{_DAYS[t.tm_wday]}, {t.tm_mday} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        _DAY_CACHE[day] = prefix
    zone = _ZONE_CACHE.get(off_min)
    if zone is None:
        a = abs(off_min)
        zone = f"{'-' if off_min < 0 else '+'}{a // 60:02d}{a % 60:02d}"
        _ZONE_CACHE[off_min] = zone
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    two = _TWO
    return f"{prefix}{two[h]}:{two[m]}:{two[sec]} {zone}"


# ---------------------------------------------------------------------------------------------
# One reply


def _compose(rng: random.Random, r: float) -> tuple[str, str, tuple[str, ...], str]:
    """(reader text, position, arguments, language)."""
    rand = rng.random
    if r < 0.05:
        lang, pos, text, args = FOREIGN[int(rand() * len(FOREIGN))]
        return text, pos, args, lang
    p = rand()
    pos = (
        "ban_government_only"
        if p < 0.34
        else "no_ban"
        if p < 0.64
        else "ban_everywhere"
        if p < 0.91
        else "unclear"
    )
    openers = OPENERS[pos]
    parts = [openers[int(rand() * len(openers))]]
    if rand() < 0.2:
        parts.insert(0, FILLERS[int(rand() * len(FILLERS))])
    pools = POOLS[pos]
    kr = rand()
    k = 0 if kr < 0.12 else 1 if kr < 0.50 else 2 if kr < 0.82 else 3
    if pos == "ban_government_only" and k and rand() < 0.3:
        k = max(k, 2)
    tags: list[str] = []
    sentences: list[str] = []
    for j in range(k):
        if pos == "ban_government_only" and j == 0 and rand() < 0.7:
            tag, stance = pools[0]
        else:
            tag, stance = pools[int(rand() * len(pools))]
        pool = ARGUMENTS[tag][stance]
        s = pool[int(rand() * len(pool))]
        if s in sentences:
            continue
        sentences.append(s)
        if tag not in tags:
            tags.append(tag)
    paragraphs = [" ".join(parts)]
    if sentences:
        if len(sentences) == 3 and rand() < 0.6:
            paragraphs += [" ".join(sentences[:2]), sentences[2]]
        else:
            paragraphs.append(" ".join(sentences))
    closer = CLOSERS[int(rand() * len(CLOSERS))]
    if closer:
        paragraphs.append(closer)
    greeting = GREETINGS[int(rand() * len(GREETINGS))]
    if greeting:
        paragraphs.insert(0, greeting)
    text = "\n\n".join(paragraphs)
    if rand() < 0.06:  # a typo now and then
        text = text.replace(" the ", " teh ", 1) if rand() < 0.5 else text.replace("'", "", 1)
    return text, pos, tuple(sorted(tags)), "en"


def _signoff(
    rng: random.Random, first: str, last: str, place: tuple[str, str, str, float]
) -> tuple[str, str | None, str | None, bool]:
    """(sign-off text, printed name, printed location, withhold)."""
    city, region, country, _ = place
    full = f"{first} {last}"
    v = VALEDICTIONS[int(rng.random() * len(VALEDICTIONS))]
    lead = f"{v}\n" if v else ""
    r = rng.random()
    if r < 0.22:
        return f"{lead}{full}\n{city}, {region}", full, f"{city}, {region}", False
    if r < 0.40:
        return f"\u2014 {full}, {city}, {country}", full, f"{city}, {country}", False
    if r < 0.52:
        return f"{lead}{first} from {city}", first, city, False
    if r < 0.66:
        return f"{lead}{full}, {city}", full, city, False
    if r < 0.74:
        return f"{lead}{full}", full, None, False
    if r < 0.80:
        initials = f"{first[0]}.{last[0]}."
        return f"{initials}, {city}", initials, city, False
    if r < 0.85:
        return (
            f"Please don't print my name \u2013 just a reader in {city}.",
            None,
            city,
            True,
        )
    if r < 0.88:
        return f"{lead}Dr. {full}\n{city}", f"Dr. {full}", city, False
    if r < 0.91:
        return f"- {city}, {region}", full, f"{city}, {region}", False
    return "", full, None, False


def _trace(rng: random.Random, client: str, addr: str, domain: str, ts: float) -> str:
    helo_t, ip_t, selector = _RELAYS[client]
    n = 10 + int(rng.random() * 240)
    d = 1 + int(rng.random() * 8)
    helo = helo_t.format(n=n, d=d)
    ip = ip_t.format(n=n, d=d)
    recv = _date(ts + 2 + rng.random() * 6, 0)
    rb = rng.randbytes(300)
    key = 128 if domain.startswith(("post.", "inbox.", "example.org")) else 256
    b = binascii.b2a_base64(rb[:key], newline=False).decode()
    bh = binascii.b2a_base64(rb[256:288], newline=False).decode()
    tok = binascii.b2a_base64(rng.randbytes(27), newline=False).translate(_TOKEN_FIX).decode()
    return (
        f"Return-Path: <{addr}>\n"
        f"Delivered-To: {nl.FROM_ADDR}\n"
        f"Received: from {helo} ({helo} [{ip}])\n"
        "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\n"
        f"\tby mx2.gzeromedia.com (Postfix) with ESMTPS id 4P{tok[22:34]}\n"
        f"\tfor <{nl.FROM_ADDR}>; {recv} (UTC)\n"
        f"X-Original-To: {nl.FROM_ADDR}\n"
        f"Authentication-Results: mx2.gzeromedia.com; dkim=pass header.d={domain};\n"
        f"\tspf=pass smtp.mailfrom={domain}; dmarc=pass header.from={domain}\n"
        f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s={selector};\n"
        f"\tt={int(ts)}; bh={bh};\n"
        "\th=From:To:Subject:Date:Message-ID:In-Reply-To:References;\n"
        f"\tb={_fold(b)}\n"
    )


def _fold(b: str) -> str:
    return "\n\t ".join(b[j : j + 70] for j in range(0, len(b), 70))


def _reply(rng: random.Random, i: int, ts: float) -> tuple[str, Label]:
    rand = rng.random
    client = _CLIENT_TABLE[int(rand() * len(_CLIENT_TABLE))]
    c = CLIENTS[client]
    first = FIRST[int(rand() * len(FIRST))]
    last = LAST[int(rand() * len(LAST))]
    place = PLACES[int(rand() * len(PLACES))]
    domain = DOMAINS[int(rand() * len(DOMAINS))]
    style = rand()
    fa, la = _ASCII[first], _ASCII[last]
    local = f"{fa}.{la}" if style < 0.5 else f"{fa[0]}{la}" if style < 0.75 else f"{fa}{la}{i % 97}"
    addr = f"{local}@{domain}"
    name = f"{first} {last}"
    text, pos, args, lang = _compose(rng, rand())
    sign, printed, location, withhold = _signoff(rng, first, last, place)
    own = f"{text}\n\n{sign}" if sign else text
    off = round(place[3] * 60)
    date = _date(ts, off)
    tok = _token(rng, 40)
    ctr = _counter(i)
    display = _display(name, addr, rand() < 0.3)
    subj = _SUBJECTS.get(client, "Re: Should the EU ban TikTok?")
    if rand() < 0.12:
        subj = _ENC_SUBJECTS[int(rand() * len(_ENC_SUBJECTS))]
    enc = rand()
    cte = "quoted-printable" if enc < 0.34 else "base64" if enc < 0.40 else "8bit"
    to = f"{name} <{addr}>"
    # Apple Mail and Gmail in plain-text mode send a single text/plain part.
    plain_only = client == "thunderbird" or (
        client in ("apple_mail", "gmail", "proton", "iphone") and rand() < 0.38
    )

    if cte == "quoted-printable":
        plain_body = _qp(own + "\n") + c.plain_tail.qp(to)
    elif cte == "base64":
        plain_body = _b64(own + "\n" + c.plain_tail.raw(to))
    else:
        plain_body = own + "\n" + c.plain_tail.raw(to) + "\n"

    if client == "gmail":
        mid = f"<CA{tok[:30]}{ctr}@mail.gmail.com>"
    elif client in ("outlook", "outlook_ios"):
        mid = f"<AM0PR{tok[:12].upper()}{ctr.upper()}@AM0PR03MB6274.eurprd03.prod.outlook.com>"
    elif client == "yahoo":
        mid = f"<{rng.getrandbits(30) + 1000000000}.{ctr}.{int(ts * 1000)}@mail.yahoo.com>"
    elif client == "proton":
        mid = f"<{tok}{ctr}=@proton.me>"
    else:
        mid = f"<{tok[:8]}-{tok[8:12]}-{ctr}-{tok[12:24]}@{domain}>"
    label = Label(
        "response", pos, args, None if withhold else printed, location, withhold, lang, client
    )
    trace = _trace(rng, client, addr, domain, ts)
    refs = f"References: {NL_ID}\nIn-Reply-To: {NL_ID}\n"
    nl_to = f'"{nl.FROM_NAME}" <{nl.FROM_ADDR}>'

    if plain_only:
        head = (
            f"Message-ID: {mid}\nDate: {date}\nMIME-Version: 1.0\n"
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101\n"
            " Thunderbird/102.8.0\n"
            f"Subject: {subj}\nContent-Language: en-US\n"
            f"To: {nl_to}\n{refs}From: {display}\n"
            if client == "thunderbird"
            else f"From: {display}\nDate: {date}\nMessage-ID: {mid}\nSubject: {subj}\n"
            f"To: {nl_to}\n{refs}MIME-Version: 1.0\n"
        )
        return (
            f"{trace}{head}Content-Type: text/plain; charset=UTF-8\n"
            f"Content-Transfer-Encoding: {cte}\n\n{plain_body}",
            label,
        )

    line_t, blank = c.html_line, c.html_blank
    body = "".join(line_t.format(x) if x else blank for x in html_escape(own).split("\n"))
    if cte == "quoted-printable" or client in ("iphone", "apple_mail"):
        html_body = c.html_head_qp + _qp(body) + c.html_tail.qp(html_escape(to))
        html_cte = "quoted-printable"
    elif client == "outlook_ios" or cte == "base64":
        html_body = _b64(c.html_head + body + c.html_tail.raw(html_escape(to)))
        html_cte = "base64"
    else:
        html_body = c.html_head + body + c.html_tail.raw(html_escape(to)) + "\n"
        html_cte = "8bit"
    if client == "gmail":
        bnd = f"000000000000{tok[20:32].lower()}{ctr}"
        head = (
            f"MIME-Version: 1.0\n{refs}From: {display}\nDate: {date}\nMessage-ID: {mid}\n"
            f"Subject: {subj}\nTo: {nl_to}\n"
            f'Content-Type: multipart/alternative; boundary="{bnd}"\n'
        )
    elif client in ("outlook", "outlook_ios"):
        bnd = f"_000_AM0PR{tok[16:36].upper()}{ctr.upper()}_"
        head = (
            f"From: {display}\nTo: {nl_to}\nSubject: {subj}\n"
            f"Thread-Topic: {nl.SUBJECT}\nThread-Index: AQHZSD{tok[20:40]}\n"
            f"Date: {_date(ts, 0)}\nMessage-ID: {mid}\n{refs}"
            "Accept-Language: en-US\nContent-Language: en-US\nX-MS-Has-Attach:\n"
            "X-MS-TNEF-Correlator:\n"
            f'Content-Type: multipart/alternative;\n\tboundary="{bnd}"\nMIME-Version: 1.0\n'
        )
    elif client in ("iphone", "apple_mail"):
        bnd = f"Apple-Mail-{tok[24:32]}-{tok[32:36]}-{ctr}"
        mailer = "iPhone Mail (20D47)" if client == "iphone" else "Apple Mail (2.3731.400.51)"
        head = (
            f"Content-Type: multipart/alternative; boundary={bnd}\n"
            f"Content-Transfer-Encoding: 7bit\nFrom: {display}\nMime-Version: 1.0 (1.0)\n"
            f"Subject: {subj}\nDate: {date}\nMessage-Id: {mid}\n{refs}"
            f"To: {NL_ADDR}\nX-Mailer: {mailer}\n"
        )
    elif client == "yahoo":
        bnd = f"----=_Part_{tok[:10]}_{ctr}.{int(ts)}"
        head = (
            f"Date: {_date(ts, 0)}\nFrom: {display}\nTo: {NL_ADDR}\nMessage-ID: {mid}\n"
            f"In-Reply-To: {NL_ID}\nReferences: {NL_ID}\nSubject: {subj}\nMIME-Version: 1.0\n"
            f'Content-Type: multipart/alternative; \n\tboundary="{bnd}"\n'
            "X-Mailer: WebService/1.1.21183 YMailNorrin\n"
        )
    else:  # proton
        bnd = f"b1_{tok[:30]}{ctr}"
        head = (
            f"Date: {_date(ts, 0)}\nTo: {NL_ADDR}\nFrom: {display}\nSubject: {subj}\n"
            f"Message-ID: {mid}\nIn-Reply-To: {NL_ID}\nReferences: {NL_ID}\n"
            f"Feedback-ID: {tok[30:38]}:user:proton\nMIME-Version: 1.0\n"
            f'Content-Type: multipart/alternative;\n boundary="{bnd}"\n'
        )
    return (
        f"{trace}{head}\n--{bnd}\nContent-Type: text/plain; charset=UTF-8\n"
        f"Content-Transfer-Encoding: {cte}\n\n{plain_body}\n--{bnd}\n"
        f"Content-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: {html_cte}\n\n"
        f"{html_body}\n--{bnd}--\n",
        label,
    )


# ---------------------------------------------------------------------------------------------
# Noise: out-of-office replies and bounces

_OOO = (
    (
        "Automatic reply: Should the EU ban TikTok?",
        "Thank you for your message. I am out of the office until {d} March with limited access "
        "to email. For urgent matters please contact {c}.",
    ),
    (
        "Out of Office: Should the EU ban TikTok?",
        "I'm currently on leave and will be back on {d} March. Your email will not be forwarded.",
    ),
    (
        "Abwesenheitsnotiz: Should the EU ban TikTok?",
        "Vielen Dank f\u00fcr Ihre Nachricht. Ich bin bis zum {d}. M\u00e4rz nicht im B\u00fcro. "
        "In dringenden F\u00e4llen wenden Sie sich bitte an {c}.",
    ),
    (
        "R\u00e9ponse automatique : Should the EU ban TikTok?",
        "Je suis absent(e) jusqu'au {d} mars. Pour toute urgence, merci de contacter {c}.",
    ),
)
_ENC_OOO = tuple((_encode_subject(s), t) for s, t in _OOO)


def _auto_reply(rng: random.Random, i: int, ts: float) -> tuple[str, Label]:
    first = FIRST[int(rng.random() * len(FIRST))]
    last = LAST[int(rng.random() * len(LAST))]
    domain = DOMAINS[int(rng.random() * len(DOMAINS))]
    addr = f"{_ASCII[first]}.{_ASCII[last]}@{domain}"
    k = int(rng.random() * len(_ENC_OOO))
    subj, body = _ENC_OOO[k]
    text = body.format(d=1 + int(rng.random() * 20), c=f"office{i % 50}@{domain}")
    text = f"{text}\n\n{first} {last}\n"
    mid = f"<OOO{_token(rng, 24)}{_counter(i)}@{domain}>"
    date = _date(ts, 60)
    trace = _trace(rng, "outlook", addr, domain, ts)
    head = (
        f"From: {_display(f'{first} {last}', addr, False)}\nTo: {NL_ADDR}\nSubject: {subj}\n"
        f"Date: {date}\nMessage-ID: {mid}\nIn-Reply-To: {NL_ID}\nReferences: {NL_ID}\n"
        "Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n"
    )
    lang = ("en", "en", "de", "fr")[k]
    return f"{trace}{head}\n{_qp(text)}", Label(
        "auto_reply", None, (), None, None, False, lang, "exchange/ooo"
    )


def _bounce(rng: random.Random, i: int, ts: float) -> tuple[str, Label]:
    host = f"mx{1 + i % 9}.{DOMAINS[int(rng.random() * len(DOMAINS))]}"
    user = f"{_ASCII[FIRST[int(rng.random() * len(FIRST))]]}{i % 1000}@{host[4:]}"
    qid = _token(rng, 12)
    date = _date(ts, 0)
    bnd = f"{qid}.{int(ts)}/{host}"
    status = ("5.1.1", "550 5.1.1 <{u}>: Recipient address rejected: User unknown")
    if rng.random() < 0.4:
        status = ("5.2.2", "552 5.2.2 <{u}>: Mailbox full")
    diag = status[1].format(u=user)
    return (
        "Return-Path: <>\n"
        f"Delivered-To: {nl.FROM_ADDR}\n"
        "Received: from mx2.gzeromedia.com\n\tby mx2.gzeromedia.com with LMTP\n"
        f"\tid {_token(rng, 22)}\n\t(envelope-from <>)\n\tfor <{nl.FROM_ADDR}>; {date}\n"
        f"Received: from {host} ({host} [198.51.100.{1 + i % 250}])\n"
        f"\tby mx2.gzeromedia.com (Postfix) with ESMTPS id 4P{_token(rng, 12)}\n"
        f"\tfor <{nl.FROM_ADDR}>; {date} (UTC)\n"
        f"Date: {date}\nFrom: MAILER-DAEMON@{host} (Mail Delivery System)\n"
        f"Subject: Undelivered Mail Returned to Sender\nTo: {nl.FROM_ADDR}\n"
        "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
        f'Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="{bnd}"\n'
        f"Message-Id: <{int(ts)}.{qid}{_counter(i)}@{host}>\n\n"
        "This is a MIME-encapsulated message.\n\n"
        f"--{bnd}\nContent-Description: Notification\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        f"This is the mail system at host {host}.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n\n"
        f"<{user}>: host {host} said: {diag}\n\n"
        f"--{bnd}\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
        f"Reporting-MTA: dns; {host}\nX-Postfix-Queue-ID: {qid}\n"
        f"Arrival-Date: {date}\n\nFinal-Recipient: rfc822; {user}\nAction: failed\n"
        f"Status: {status[0]}\nDiagnostic-Code: smtp; {diag}\n\n"
        f"--{bnd}\nContent-Description: Undelivered Message Headers\n"
        "Content-Type: text/rfc822-headers\n\n"
        f"Date: {rfc2822_date(nl.SENT)}\nFrom: {NL_ADDR}\nTo: {user}\nSubject: {nl.SUBJECT}\n"
        f"Message-ID: {NL_ID}\n\n--{bnd}--\n",
        Label("bounce", None, (), None, None, False, "en", "postfix/dsn"),
    )


# ---------------------------------------------------------------------------------------------
# Public API

_START = nl.SENT.timestamp() + 60
_SPAN = 3 * 24 * 3600.0


def generate_labelled(n: int, seed: int = 42) -> Iterator[tuple[bytes, Label]]:
    """Yield ``n`` messages with what each one is. Same ``(n, seed)`` → same bytes."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    step = _SPAN / max(n, 1)
    for i in range(n):
        ts = _START + i * step + rng.random() * step
        r = rng.random()
        if r < 0.02:
            text, label = _auto_reply(rng, i, ts)
        elif r < 0.03:
            text, label = _bounce(rng, i, ts)
        else:
            text, label = _reply(rng, i, ts)
        yield text.replace("\n", "\r\n").encode("utf-8"), label


def generate_replies(n: int, seed: int = 42) -> Iterator[bytes]:
    """Yield ``n`` raw reader replies (CRLF bytes, as IMAP ``FETCH BODY[]`` returns them)."""
    for raw, _ in generate_labelled(n, seed):
        yield raw


_MBOX_FROM = b"From MAILER-DAEMON Fri Feb 24 10:17:42 2023\n"
_FROM_RE = re.compile(rb"(?m)^(>*From )")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m curator.samples.generate",
        description="Write N realistic reader replies for benchmarks.",
    )
    ap.add_argument("n", type=int, help="number of messages")
    ap.add_argument("--seed", type=int, default=42)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="folder for NNNNNN.eml files (created)")
    where.add_argument("--mbox", type=Path, help="mbox file to write (mboxrd, LF line ends)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("n must be >= 0")
    t0 = time.perf_counter()
    total = 0
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        width = max(6, len(str(args.n)))
        for i, raw in enumerate(generate_replies(args.n, args.seed), 1):
            (args.out / f"{i:0{width}d}.eml").write_bytes(raw)
            total += len(raw)
    else:
        with args.mbox.open("wb") as fh:
            for raw in generate_replies(args.n, args.seed):
                body = _FROM_RE.sub(rb">\1", raw.replace(b"\r\n", b"\n"))  # mboxrd
                fh.write(_MBOX_FROM + body + b"\n")
                total += len(raw)
    dt = time.perf_counter() - t0
    if not args.quiet:
        mean = total / args.n if args.n else 0
        print(
            f"wrote {args.n} messages ({total / 1e6:.1f} MB, mean {mean:.0f} B) in {dt:.2f} s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
