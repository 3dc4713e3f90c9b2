"""Rebuild the bundled sample mailbox: ``curator/samples/mail/*.eml`` and ``labels.jsonl``.

    python -m curator.samples.build           # rewrite the files
    python -m curator.samples.build --check   # write nothing; fail if the files differ

The readers, addresses and companies are invented; addresses use example.com/.org/.net
or the reserved ``.example`` TLD, and phone numbers come from ranges reserved for fiction.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from curator.samples import clients as c
from curator.samples import newsletter as nl
from curator.samples._mime import crlf, fake_b64, html_escape, qp_body, rfc2822_date, tz

HERE = Path(__file__).resolve().parent
MAIL_DIR = HERE / "mail"
LABELS = HERE / "labels.jsonl"


def at(day: int, hh: int, mm: int, ss: int, offset: float) -> datetime:
    """Local wall-clock time in February 2023 at UTC``offset``."""
    return datetime(2023, 2, day, hh, mm, ss, tzinfo=tz(offset))


@dataclass
class Entry:
    reply: c.Reply
    kind: str
    client_label: str
    render: str  # key into RENDER
    position: str | None = None
    arguments: list[str] = field(default_factory=list)
    name: str | None = None
    location: str | None = None
    withhold_name: bool = False
    language: str = "en"
    quality: int | None = None
    notes: str = ""
    related_file: str | None = None
    meta_text: list[str] = field(default_factory=list)
    relay: str = "google"
    opts: dict[str, Any] = field(default_factory=dict)
    file: str = ""  # defaults to reply.file (a duplicate copies another entry's reply)

    @property
    def filename(self) -> str:
        return self.file or self.reply.file


def norm(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# The mailbox, in order of arrival


def entries() -> list[Entry]:
    R = c.Reply
    e: list[Entry] = []

    e.append(
        Entry(
            R(
                "01-exchange-out-of-office.eml",
                "exchange_ooo",
                "Hannah Greaves",
                "h.greaves@brightwater-partners.example",
                at(24, 10, 17, 58, 0),
                locale="en-GB",
            ),
            "auto_reply",
            "exchange/automatic_reply",
            "exchange_ooo",
            notes="Exchange automatic reply: Auto-Submitted: auto-generated, "
            "X-Auto-Response-Suppress, subject 'Automatic reply:'. Arrives 16 s after the send.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "02-postfix-bounce.eml",
                "postfix_dsn",
                "Mail Delivery System",
                "MAILER-DAEMON@mail.hoflinger-bau.example",
                at(24, 10, 18, 40, 0),
            ),
            "bounce",
            "postfix/dsn",
            "bounce",
            notes="Postfix multipart/report DSN (mailbox full), empty Return-Path, the "
            "newsletter's headers attached as text/rfc822-headers.",
            relay="hosting",
        )
    )
    e.append(
        Entry(
            R(
                "03-iphone.eml",
                "iphone",
                "Gary Fenwick",
                "garyfenwick@example.net",
                at(24, 10, 31, 12, 0),
                text="Ban it. Everywhere. Next question.",
                signoff="Gaz, Sunderland",
                locale="en-GB",
            ),
            "response",
            "iphone/en-GB",
            "iphone",
            position="ban_everywhere",
            name="Gaz",
            location="Sunderland",
            quality=1,
            notes="One-liner; sign-off nickname 'Gaz' wins over the From name Gary Fenwick.",
            relay="apple",
        )
    )
    e.append(
        Entry(
            R(
                "04-gmail.eml",
                "gmail",
                "Karen Lindqvist",
                "karen.lindqvist@example.com",
                at(24, 4, 44, 9, -6),
                text=(
                    "Government devices, yes, obviously. Anyone who handles classified "
                    "material or even just sits in sensitive meetings shouldn't carry an app "
                    "that answers to a company subject to Beijing's intelligence law. That's "
                    "basic hygiene and frankly it should have happened years ago.\n\n"
                    "But a ban for everyone else is a different thing entirely. My teenage "
                    "daughter watching dance videos is not a national security threat, and "
                    "I don't want the government deciding what's on her phone. That's my job."
                ),
                signoff="\u2014 Karen Lindqvist, Minneapolis, MN",
            ),
            "response",
            "gmail/web/en-US",
            "gmail",
            position="ban_government_only",
            arguments=["free_speech", "security_china"],
            name="Karen Lindqvist",
            location="Minneapolis, MN",
            quality=4,
            notes="Em-dash sign-off on one line: name, city, state.",
        )
    )
    e.append(
        Entry(
            R(
                "05-iphone.eml",
                "iphone",
                "Priya Raman",
                "priya.raman@example.org",
                at(24, 5, 52, 40, -5),
                text=(
                    "No ban. Governments deciding which apps adults may install is a line I "
                    "don't want crossed, whatever the app and whoever owns it. Today it's "
                    "TikTok, tomorrow it's whatever platform the party in power finds "
                    "inconvenient."
                ),
                signoff="Priya from Toronto",
            ),
            "response",
            "iphone/en-US",
            "iphone",
            position="no_ban",
            arguments=["free_speech"],
            name="Priya",
            location="Toronto",
            quality=3,
            notes="'Priya from Toronto': first name only in the sign-off, so 'Priya' wins over "
            "the From name.",
            relay="apple",
        )
    )
    e.append(
        Entry(
            R(
                "06-thunderbird-de.eml",
                "thunderbird",
                "Jens Hartmann",
                "jens.hartmann@example.de",
                at(24, 12, 3, 51, 1),
                text=(
                    "Hallo zusammen,\n\n"
                    "auf Dienstger\u00e4ten: ja, selbstverst\u00e4ndlich. Das ist keine Zensur, "
                    "sondern IT-Sicherheit, und die Bundesverwaltung h\u00e4tte das l\u00e4ngst "
                    "tun sollen. Auf einem Diensthandy hat auch Candy Crush nichts zu suchen.\n\n"
                    "Ein allgemeines Verbot halte ich dagegen f\u00fcr nicht durchsetzbar. Die "
                    "App ist in f\u00fcnf Minuten per VPN oder als APK aus irgendeiner Quelle "
                    "installiert, und dann haben wir Millionen Nutzer mit einer veralteten, "
                    "ungepatchten Version auf dem Handy. Sicherheitstechnisch w\u00e4re das "
                    "schlechter als vorher."
                ),
                signoff="Viele Gr\u00fc\u00dfe\nJens Hartmann\nLeipzig",
                locale="de",
            ),
            "response",
            "thunderbird/de/format=flowed",
            "thunderbird",
            position="ban_government_only",
            arguments=["enforceability", "security_china"],
            name="Jens Hartmann",
            location="Leipzig",
            language="de",
            quality=4,
            notes="German, plain text only, format=flowed, 8bit UTF-8; name and city on two "
            "lines under 'Viele Gr\u00fc\u00dfe'.",
            relay="gmx",
        )
    )
    e.append(
        Entry(
            R(
                "07-autoresponder-de.eml",
                "autoresponder_de",
                "Klaus Obermeier",
                "k.obermeier@obermeier-steuerberatung.example",
                at(24, 12, 20, 3, 1),
            ),
            "auto_reply",
            "plesk/autoresponder/de",
            "autoresponder_de",
            language="de",
            notes="German out-of-office from a hosting autoresponder with no Auto-Submitted, "
            "X-Autoreply or Precedence header and no In-Reply-To: only the subject "
            "('Abwesenheitsnotiz') and the body give it away.",
            relay="hosting",
        )
    )
    e.append(
        Entry(
            R(
                "08-outlook-windows.eml",
                "outlook",
                "Alistair Penhaligon",
                "alistair@severngate-consulting.example",
                at(24, 11, 41, 27, 0),
                text=(
                    "Dear Signal team,\n\n"
                    "I'd go further than the Commission. Ban it everywhere in the EU, and do it "
                    "properly rather than in instalments.\n\n"
                    "The device ban concedes the point. If the app is too dangerous for a "
                    "Commission official's phone, it is hard to see why it is fine on the "
                    "phone of that official's teenage son, who lives in the same house, uses "
                    "the same Wi-Fi and hears about his parent's job over dinner. Data doesn't "
                    "respect the line between work and personal devices.\n\n"
                    "The bigger issue for me isn't even the data, it's the algorithm. A "
                    "platform that tens of millions of Europeans now use to get their news, "
                    "whose recommendation system is ultimately answerable in a jurisdiction "
                    "where the Party can tell any company what to do, is a lever we are "
                    "handing to a strategic rival. We would not have let Soviet state "
                    "television run the most popular channel in Western Europe in 1980.\n\n"
                    "And let's not pretend this is about open markets. Facebook, Google, "
                    "YouTube and Twitter have all been blocked in China for well over a "
                    "decade. Reciprocity is a perfectly respectable principle in trade policy; "
                    "I don't see why it should stop at apps.\n\n"
                    "Yes, some people will use VPNs. Most won't bother, which is rather the "
                    "point."
                ),
                signoff="Best regards,\n\nAlistair Penhaligon\nBristol, UK",
                locale="en-GB",
                to_name="Alistair Penhaligon <alistair@severngate-consulting.example>",
            ),
            "response",
            "outlook/m365/en-GB",
            "outlook",
            position="ban_everywhere",
            arguments=[
                "enforceability",
                "propaganda_influence",
                "reciprocity",
                "security_china",
            ],
            name="Alistair Penhaligon",
            location="Bristol, UK",
            quality=5,
            notes="Outlook for Windows with a company signature block under the sign-off; "
            "From:/Sent:/To:/Subject: block above the unquoted newsletter.",
            relay="microsoft",
            opts={
                "signature": "Alistair Penhaligon | Director\nSevern Gate Consulting Ltd\n"
                "T: +44 117 496 0734 | www.severngate-consulting.example"
            },
        )
    )
    e.append(
        Entry(
            R(
                "09-outlook-android.eml",
                "outlook_mobile",
                "Ilze Kalni\u0146a",
                "ilze.kalnina@example.lv",
                at(24, 14, 5, 16, 2),
                text=(
                    "I work in a ministry here so I see this from the inside. We were told to "
                    "remove TikTok from work phones last year, nobody complained, it took one "
                    "afternoon. That part is easy and obviously right, an official's phone "
                    "is a target.\n\n"
                    "For the general public I'm not convinced. Most people here worry far "
                    "more about Russian Telegram channels than chinese dance videos, and "
                    "banning one app while those run freely would look strange."
                ),
                signoff="Please don't use my name \u2014 a reader in Riga",
                name_encoding="B",
            ),
            "response",
            "outlook/android",
            "outlook_android",
            position="ban_government_only",
            arguments=["security_china"],
            location="Riga",
            withhold_name=True,
            quality=4,
            notes="Withheld name in the sign-off although From carries a full (B-encoded, "
            "Latvian) name; HTML part base64 as Outlook mobile sends it.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "10-outlook-iso-8859-1.eml",
                "outlook",
                "Ingrid Halvorsen",
                "ingrid@halvorsen-it.example",
                at(24, 13, 30, 2, 1),
                text=(
                    "Government devices \u2013 yes. Everywhere \u2013 no, at least not yet.\n\n"
                    "The Commission is right that an app whose parent company can be compelled "
                    "by Chinese law to hand over data has no place on phones that carry "
                    "diplomatic or procurement traffic. I advise public sector clients on "
                    "mobile security and we stripped it from managed devices in 2021; nobody "
                    "noticed.\n\n"
                    "But a general ban needs a legal basis the EU does not really have, and it "
                    "would be challenged for years. Use the rules already on the books first: "
                    "if ByteDance cannot show that European data stays in Europe, fine it "
                    "until it can."
                ),
                signoff="Regards,\nDr. Ingrid Halvorsen\nBergen, Norway",
                charset="iso-8859-1",
                locale="en-GB",
                to_name="Ingrid Halvorsen <ingrid@halvorsen-it.example>",
            ),
            "response",
            "outlook/windows/iso-8859-1-mislabelled",
            "outlook_1252",
            position="ban_government_only",
            arguments=["security_china"],
            name="Dr. Ingrid Halvorsen",
            location="Bergen, Norway",
            quality=4,
            notes="Both parts declare ISO-8859-1 but hold windows-1252 bytes (0x96 en dash, "
            "0x92/0x93/0x94 quotes in the quoted newsletter). Title kept in the name.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "11-proton.eml",
                "proton",
                "",
                "jrk@example.nl",
                at(24, 12, 58, 33, 0),
                text=(
                    "Ban it everywhere, and then look hard at whichever app comes next.\n\n"
                    "People keep framing this as being about data. Data matters, but it is the "
                    "smaller risk. The bigger one is that in a crisis over Taiwan the most "
                    "powerful distribution channel for young Europeans could be quietly "
                    "re-tuned overnight \u2013 nobody would see the change, and no regulator "
                    "on earth can audit a recommender system in real time. We found out in "
                    "2016 what Russia could do with Facebook ads. This would be that, with the "
                    "keys to the algorithm itself."
                ),
                signoff="J.R.K., Utrecht",
            ),
            "response",
            "proton/web",
            "proton",
            position="ban_everywhere",
            arguments=["propaganda_influence", "security_china"],
            name="J.R.K.",
            location="Utrecht",
            quality=4,
            notes="Initials only; bare address in From (no display name). Proton quote header.",
            relay="proton",
        )
    )
    e.append(
        Entry(
            R(
                "12-gmail-android.eml",
                "gmail",
                "Trevor Bassett",
                "tbassett61@example.com",
                at(24, 13, 15, 48, 0),
                text="Please unsubscribe me.",
                locale="en-GB",
            ),
            "unsubscribe",
            "gmail/android/en-GB",
            "gmail",
            notes="One-line unsubscribe request above the full quote.",
        )
    )
    e.append(
        Entry(
            R(
                "13-gmail-fr-base64.eml",
                "gmail",
                "H\u00e9l\u00e8ne Marchetti",
                "helene.marchetti@example.fr",
                at(24, 14, 40, 19, 1),
                text=(
                    "Bonjour,\n\n"
                    "Interdiction partout, et sans \u00e9tats d'\u00e2me. La Chine elle-m\u00eame "
                    "ne laisse pas ses enfants utiliser TikTok : ils ont Douyin, "
                    "limit\u00e9 \u00e0 "
                    "40 minutes par jour pour les moins de 14 ans, avec des contenus "
                    "\u00e9ducatifs. Chez nous, on leur sert la version sans limite, "
                    "optimis\u00e9e pour les garder \u00e9veill\u00e9s jusqu'\u00e0 minuit. Si "
                    "l'application est trop dangereuse pour les enfants chinois, pourquoi "
                    "serait-elle bonne pour les n\u00f4tres ?\n\n"
                    "Et P\u00e9kin interdit Facebook, Google et YouTube depuis des ann\u00e9es. "
                    "Je ne vois pas pourquoi l'Europe serait la seule \u00e0 jouer le jeu."
                ),
                signoff="Cordialement,\nH\u00e9l\u00e8ne Marchetti\nLyon",
                subject="Re: Should the EU ban TikTok? \u2013 mon avis",
                cte="base64",
                locale="fr",
            ),
            "response",
            "gmail/web/fr",
            "gmail",
            position="ban_everywhere",
            arguments=["kids_mental_health", "reciprocity"],
            name="H\u00e9l\u00e8ne Marchetti",
            location="Lyon",
            language="fr",
            quality=5,
            notes="French; plain part base64; Q-encoded UTF-8 From name and an encoded subject "
            "the reader extended; French Gmail attribution with a no-break space.",
        )
    )
    e.append(
        Entry(
            R(
                "14-yahoo.eml",
                "yahoo",
                "Denise Mahoney",
                "dmahoney.teach@example.net",
                at(24, 9, 2, 55, -5),
                text=(
                    "Ban it everywhere. I'm a middle school teacher and I see what this app "
                    "does to 12 year olds every single day. They can't focus for more than 30 "
                    "seconds, half of them are up untill 2am scrolling, and the girls "
                    "especially get fed a steady diet of 'what I eat in a day' and body "
                    "content that no adult would ever choose for them. Forget China for a "
                    "second, the algorithm itself is the problem and there attention spans "
                    "are the price.\n\n"
                    "I know a ban won't be perfect. Neither is the drinking age. We still have "
                    "one."
                ),
                signoff="Denise Mahoney\nColumbus, Ohio",
            ),
            "response",
            "yahoo/web",
            "yahoo",
            position="ban_everywhere",
            arguments=["enforceability", "kids_mental_health"],
            name="Denise Mahoney",
            location="Columbus, Ohio",
            quality=5,
            notes="Yahoo web: yahoo_quoted block, unquoted plain-text original; typos "
            "('untill', 'there attention spans').",
            relay="yahoo",
        )
    )
    okafor = Entry(
        R(
            "15-apple-mail.eml",
            "apple_mail",
            "Tom Okafor",
            "tom.okafor@example.co.uk",
            at(24, 14, 26, 7, 0),
            text=(
                "We argued about this over breakfast and this is the compromise.\n\n"
                "Heather says ban it everywhere because of what it is doing to our nieces, "
                "who are 13 and 15 and basically live on it. I say that's a parenting "
                "question, not a Brussels question. We both agree that anyone working for a "
                "government, the armed forces or an energy company has no business carrying "
                "it around.\n\n"
                "So: government devices, plus critical infrastructure staff. Nothing more."
            ),
            signoff="Tom & Heather Okafor\nLeeds",
            locale="en-GB",
        ),
        "response",
        "apple_mail/macos/en-GB",
        "apple_mail",
        position="ban_government_only",
        arguments=["kids_mental_health", "security_china"],
        name="Tom & Heather Okafor",
        location="Leeds",
        quality=5,
        notes="A couple signing together; Apple Mail blockquote type=cite.",
        related_file=None,
        relay="apple",
    )
    e.append(okafor)
    e.append(
        Entry(
            okafor.reply,
            "duplicate",
            "apple_mail/macos/en-GB",
            "duplicate",
            position="ban_government_only",
            arguments=["kids_mental_health", "security_china"],
            name="Tom & Heather Okafor",
            location="Leeds",
            quality=5,
            notes="Byte-identical second delivery of 15 (same Message-ID, same trace headers).",
            related_file="15-apple-mail.eml",
            relay="apple",
            file="16-apple-mail-duplicate.eml",
        )
    )
    e.append(
        Entry(
            R(
                "17-outlook-pl-windows-1250.eml",
                "outlook",
                "Tomasz Wr\u00f3blewski",
                "t.wroblewski@example.pl",
                at(24, 16, 10, 44, 1),
                text=(
                    "Dzie\u0144 dobry,\n\n"
                    "zakaz na telefonach s\u0142u\u017cbowych \u2013 tak, bez dyskusji. "
                    "Urz\u0119dnik, \u017co\u0142nierz czy pracownik sp\u00f3\u0142ki "
                    "energetycznej nie powinien mie\u0107 w kieszeni aplikacji, kt\u00f3rej "
                    "w\u0142a\u015bciciel musi wsp\u00f3\u0142pracowa\u0107 z chi\u0144skimi "
                    "s\u0142u\u017cbami.\n\n"
                    "Zakaz dla wszystkich to ju\u017c inna sprawa. W Polsce dobrze "
                    "pami\u0119tamy, jak pa\u0144stwo decydowa\u0142o, co wolno czyta\u0107 i "
                    "s\u0142ucha\u0107, i nie chcia\u0142bym, \u017ceby Bruksela zaczyna\u0142a od "
                    "aplikacji."
                ),
                signoff="Pozdrawiam serdecznie\nTomasz Wr\u00f3blewski\nGda\u0144sk",
                charset="windows-1250",
                name_charset="iso-8859-2",
                locale="pl",
                to_name="Tomasz Wr\u00f3blewski <t.wroblewski@example.pl>",
            ),
            "response",
            "outlook/windows/pl/windows-1250",
            "outlook_pl",
            position="ban_government_only",
            arguments=["free_speech", "security_china"],
            name="Tomasz Wr\u00f3blewski",
            location="Gda\u0144sk",
            language="pl",
            quality=4,
            notes="Polish Outlook: windows-1250 parts and an ISO-8859-2 Q-encoded From name; "
            "Od:/Wys\u0142ane:/Do:/Temat: header block; subject prefix 'ODP:'.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "18-gmail-es.eml",
                "gmail",
                "Luc\u00eda Ferrer Soler",
                "lucia.ferrer@example.es",
                at(24, 16, 48, 5, 1),
                text=(
                    "Hola,\n\n"
                    "Yo no prohibir\u00eda TikTok, ni en los m\u00f3viles oficiales ni en los "
                    "de nadie.\n\n"
                    "El problema de fondo no es una aplicaci\u00f3n china, es un modelo de "
                    "negocio. Instagram, Facebook y cientos de apps recogen los mismos datos y "
                    "los venden a quien pague, y un servicio de inteligencia extranjero puede "
                    "comprarlos legalmente sin necesidad de TikTok. Si Europa quiere proteger "
                    "a sus ciudadanos, que aplique el RGPD a todas las empresas por igual, en "
                    "lugar de elegir un enemigo conveniente."
                ),
                signoff="Un saludo,\nLuc\u00eda Ferrer Soler\nValencia, Espa\u00f1a",
                locale="es",
            ),
            "response",
            "gmail/web/es",
            "gmail",
            position="no_ban",
            arguments=["data_broker_problem", "security_china"],
            name="Luc\u00eda Ferrer Soler",
            location="Valencia, Espa\u00f1a",
            language="es",
            quality=4,
            notes="Spanish Gmail attribution ('El vie, \u2026 escribi\u00f3:'), two surnames.",
        )
    )
    e.append(
        Entry(
            R(
                "19-spam-pitch.eml",
                "spam",
                "Nadia Kerrigan",
                "nadia@growthloop-media.example",
                at(24, 11, 30, 11, -5),
                reply=False,
                subject="Quick question about Signal's sponsorship slots",
            ),
            "spam",
            "mailchimp_like/html_only",
            "spam",
            notes="Cold sponsorship/growth pitch, HTML only, not a reply; a mailing tool's "
            "List-Unsubscribe headers, a tracking pixel and an X-Spam-Score under the threshold.",
            relay="hosting",
        )
    )
    e.append(
        Entry(
            R(
                "20-gmail.eml",
                "gmail",
                "Ben Ostrowski",
                "ben.ostrowski@example.com",
                at(24, 12, 5, 37, -5),
                text=(
                    "A ban on 125 million European phones would last about as long as it "
                    "takes a 15 year old to google 'VPN'. Then you've taught a whole "
                    "generation that the rules are for suckers and that privacy tools are for "
                    "dodging the government. Great outcome."
                ),
            ),
            "response",
            "gmail/web/en-US",
            "gmail",
            position="no_ban",
            arguments=["enforceability"],
            name="Ben Ostrowski",
            quality=3,
            notes="No sign-off at all: the name comes from the From display name; no location.",
        )
    )
    e.append(
        Entry(
            R(
                "21-fastmail.eml",
                "fastmail",
                "Ray Castillo",
                "ray@castillo.example.net",
                at(24, 12, 12, 50, -6),
                text=(
                    "Government devices only. I run IT for a county here and we pulled it off "
                    "county phones in December along with the state. Honestly the bigger risk "
                    "on those phones was always staff installing random flashlight apps and "
                    "free VPNs, not TikTok specifically, but you have to start somewhere.\n\n"
                    "A nationwide ban is a First Amendment fight the government would lose "
                    "here, and I'd expect European courts to see it the same way."
                ),
                signoff="- Austin, TX",
            ),
            "response",
            "fastmail/web",
            "fastmail",
            position="ban_government_only",
            arguments=["data_broker_problem", "free_speech"],
            name="Ray Castillo",
            location="Austin, TX",
            quality=4,
            notes="Sign-off gives only a place; the name comes from the From header.",
            relay="fastmail",
        )
    )
    e.append(
        Entry(
            R(
                "22-iphone.eml",
                "iphone",
                "Marta Sequeira",
                "marta.sequeira@example.pt",
                at(24, 19, 40, 26, 0),
                text=(
                    "Everywhere. Half of Europe kept Huawei out of its 5G networks for exactly "
                    "this reason and nobody called that censorship. An app on 125 million "
                    "phones that can change its own code overnight is infrastructure, and it "
                    "should be treated like infrastructure."
                ),
                signoff="\u2014 Marta Sequeira, Lisbon, Portugal",
                locale="en-GB",
            ),
            "response",
            "iphone/en-GB",
            "iphone",
            position="ban_everywhere",
            arguments=["free_speech", "security_china"],
            name="Marta Sequeira",
            location="Lisbon, Portugal",
            quality=4,
            notes="Em-dash sign-off above 'Sent from my iPhone'.",
            relay="apple",
        )
    )
    e.append(
        Entry(
            R(
                "23-gmail-forward.eml",
                "gmail",
                "Walter Brandt",
                "walter.brandt@example.com",
                at(24, 16, 3, 9, -5),
                reply=False,
            ),
            "forward",
            "gmail/web/en-US/forward",
            "gmail_forward",
            notes="The newsletter forwarded back to the Signal address with no comment "
            "(probably meant for someone else); no In-Reply-To/References.",
        )
    )
    e.append(
        Entry(
            R(
                "24-outlook-ios.eml",
                "outlook_mobile",
                "Jonas Weber",
                "jonas.weber@example.ch",
                at(24, 23, 15, 2, 1),
                text=(
                    "No. The whole point of being the free world is that we don't do what "
                    "Beijing does. China bans Facebook and Google; that is an argument for "
                    "being different from China, not for copying it."
                ),
                signoff="Jonas Weber, Basel",
            ),
            "response",
            "outlook/ios",
            "outlook_ios",
            position="no_ban",
            arguments=["free_speech", "reciprocity"],
            name="Jonas Weber",
            location="Basel",
            quality=4,
            notes="Outlook for iOS: 'Get Outlook for iOS' tagline, underscore rule, "
            "divRplyFwdMsg; reciprocity raised in order to reject it.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "25-ipad.eml",
                "ipad",
                "Katarzyna Nowak-Berg",
                "kasia.nowakberg@example.pl",
                at(25, 8, 12, 30, 1),
                text=(
                    "Everywhere. In the autumn we have elections in Poland and already now I "
                    "see on my nephews' feeds the same strange accounts pushing the same "
                    "anti-Ukrainian videos, in perfect Polish, thousands of likes in one hour. "
                    "I cannot prove who is behind it and that is exactly the problem: nobody "
                    "outside ByteDance can see how the feed is made."
                ),
                signoff="Kasia Nowak-Berg\nKrak\u00f3w",
                locale="en-GB",
            ),
            "response",
            "ipad/en-GB",
            "ipad",
            position="ban_everywhere",
            arguments=["propaganda_influence"],
            name="Kasia Nowak-Berg",
            location="Krak\u00f3w",
            quality=5,
            notes="'Sent from my iPad'; short form of the first name in the sign-off wins; "
            "non-native English.",
            relay="apple",
        )
    )
    e.append(
        Entry(
            R(
                "26-outlook-web-off-topic.eml",
                "outlook_web",
                "Emeka Nwosu",
                "emeka.nwosu@example.co.uk",
                at(25, 8, 30, 55, 0),
                text=(
                    "Your Nigeria item says Peter Obi \u201ccould break the hold\u201d of the APC "
                    "and the PDP. I'd be more cautious. Labour has almost no structure outside "
                    "the south-east and Lagos, and Nigerian elections are won by whoever has "
                    "agents at polling units in all 36 states. Enthusiasm on Twitter is not "
                    "the same thing as votes.\n\n"
                    "Looking forward to your post-election coverage."
                ),
                signoff="Emeka Nwosu\nLondon",
                to_name="Emeka Nwosu <emeka.nwosu@example.co.uk>",
            ),
            "off_topic",
            "outlook/web",
            "outlook_web",
            name="Emeka Nwosu",
            location="London",
            notes="Replies to the newsletter (In-Reply-To set) but about the Nigeria item, "
            "not the TikTok question.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "27-gmail-sent-too-soon.eml",
                "gmail",
                "Siobh\u00e1n Keane",
                "siobhan.keane@example.ie",
                at(25, 9, 5, 12, 0),
                text="Government phones, yes. For everyone else, no, because",
                name_encoding="B",
                locale="en-GB",
            ),
            "superseded",
            "gmail/web/en-GB",
            "gmail",
            position="ban_government_only",
            arguments=[],
            name="Siobh\u00e1n Keane",
            quality=1,
            notes="Sent mid-sentence; replaced 26 minutes later by 28.",
            related_file="28-gmail-use-this-version.eml",
        )
    )
    e.append(
        Entry(
            R(
                "28-gmail-use-this-version.eml",
                "gmail",
                "Siobh\u00e1n Keane",
                "siobhan.keane@example.ie",
                at(25, 9, 31, 40, 0),
                text=(
                    "Please use this version instead of my earlier email, I hit send before "
                    "I'd finished.\n\n"
                    "Government phones, yes. For everyone else, no, because a ban punishes "
                    "the users rather than the company. If TikTok can't show that European "
                    "data stays in Europe and out of Beijing's reach, fine ByteDance a "
                    "percentage of global turnover under the GDPR, the way we would any other "
                    "company, and keep fining it until it complies. That's what the rules are "
                    "for, and they apply to Meta too."
                ),
                signoff="Siobh\u00e1n Keane\nGalway, Ireland",
                name_encoding="B",
                locale="en-GB",
            ),
            "response",
            "gmail/web/en-GB",
            "gmail",
            position="ban_government_only",
            arguments=["data_broker_problem", "security_china"],
            name="Siobh\u00e1n Keane",
            location="Galway, Ireland",
            quality=4,
            notes="Supersedes 27 (same sender); the first sentence is addressed to the "
            "editors; B-encoded UTF-8 From name.",
            related_file="27-gmail-sent-too-soon.eml",
            meta_text=[
                "Please use this version instead of my earlier email, I hit send before "
                "I'd finished."
            ],
        )
    )
    e.append(
        Entry(
            R(
                "29-gmail-long.eml",
                "gmail",
                "Ananya Rao",
                "ananya.rao@example.nl",
                at(25, 11, 47, 3, 1),
                text=(
                    "Hi Signal,\n\n"
                    "I research platform regulation, so forgive the length.\n\n"
                    "I'd say no to a general ban, for three reasons.\n\n"
                    "First, it targets the wrong thing. The data TikTok collects \u2013 "
                    "contacts, location, device identifiers, what you linger on \u2013 is "
                    "roughly what Instagram, Snapchat and a few hundred advertising SDKs "
                    "collect too. Much of it ends up with data brokers who will sell it to "
                    "anyone, foreign governments included, no hacking required. A TikTok ban "
                    "leaves that market completely untouched while letting politicians say "
                    "they have dealt with 'the China problem'.\n\n"
                    "Second, the legal tools already exist. The GDPR restricts transfers of "
                    "personal data to countries without adequate protection, and the Irish "
                    "regulator has been looking at TikTok's transfers to China for a while "
                    "now. The DSA will give the Commission audit powers over the algorithms "
                    "of every very large platform. Use those, with real fines, and the rules "
                    "bite on Meta and Google as much as on ByteDance.\n\n"
                    "Third, a ban for the whole population sets a precedent I'm not "
                    "comfortable with. Once it is normal for the EU to switch off a "
                    "communications platform because of who owns it, the list will not stop "
                    "at one, and the next government to use that power may have different "
                    "ideas about what counts as a threat.\n\n"
                    "On government phones: yes, take it off \u2013 but the honest version of "
                    "that rule is 'no consumer social media on devices that hold sensitive "
                    "information', full stop. Naming one app tells you the decision is about "
                    "geopolitics rather than security."
                ),
                signoff="Best,\nAnanya Rao\nAmsterdam",
                locale="en-GB",
            ),
            "response",
            "gmail/web/en-GB",
            "gmail",
            position="ban_government_only",
            arguments=["data_broker_problem", "free_speech", "security_china"],
            name="Ananya Rao",
            location="Amsterdam",
            quality=5,
            notes="Longest reply (~260 words); position is only settled in the last "
            "paragraph (device ban yes, general ban no).",
        )
    )
    e.append(
        Entry(
            R(
                "30-gmail-android.eml",
                "gmail",
                "Chlo\u00e9 Dubois",
                "chloe.dbs@example.be",
                at(25, 13, 20, 46, 1),
                text=(
                    "honestly I don't know. I'm 19 and tiktok is where I get half my news, "
                    "and I know that's probably the problem lol. I'd hate to lose it and I "
                    "also can't really argue with the people saying it's bad for us, I lose "
                    "whole evenings to it. Maybe just make it less addictive instead of "
                    "banning it? no idea if that's even possible"
                ),
                signoff="Chlo\u00e9 D., 19, Brussels",
            ),
            "response",
            "gmail/android/en-US",
            "gmail",
            position="unclear",
            arguments=["kids_mental_health"],
            name="Chlo\u00e9 D.",
            location="Brussels",
            quality=3,
            notes="Undecided teenager, lower-case style; the age sits between name and city.",
        )
    )
    e.append(
        Entry(
            R(
                "31-outlook-web.eml",
                "outlook_web",
                "David Kowalczyk",
                "dave.kowalczyk@example.co.uk",
                at(25, 14, 55, 21, 0),
                text=(
                    "Dad of three here. Banning the app won't fix anything, my kids would "
                    "just move to YouTube Shorts and Instagram Reels, which are the same thing "
                    "with a different logo and an American owner. If you actually care about "
                    "children then regulate the design \u2013 autoplay, infinite scroll, "
                    "notifications at midnight \u2013 on every platform, not just the Chinese "
                    "one."
                ),
                signoff="Cheers,\nDave from Manchester",
                to_name="David Kowalczyk <dave.kowalczyk@example.co.uk>",
            ),
            "response",
            "outlook/web",
            "outlook_web",
            position="no_ban",
            arguments=["data_broker_problem", "enforceability", "kids_mental_health"],
            name="Dave",
            location="Manchester",
            quality=4,
            notes="'Dave from Manchester' after 'Cheers,'; From says David Kowalczyk.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "32-outlook-windows.eml",
                "outlook",
                "Devereux, Martin",
                "martin.devereux@example.org",
                at(25, 16, 40, 9, 0),
                text=(
                    "Ban it. The VPN argument is weaker than people think. Yes, determined "
                    "users will get round it, but a ban removes the app from the stores, stops "
                    "the updates and kills the network effect \u2013 nobody stays on a social "
                    "network their friends have left. Most of the harm comes from scale, and "
                    "a ban destroys the scale.\n\n"
                    "Having spent thirty years in defence I'd add that the device ban on its "
                    "own is close to pointless: the interesting data is where people are, who "
                    "they meet and what they talk about at home, and that lives on the "
                    "personal phone."
                ),
                signoff="Martin Devereux\nFarnham, Surrey",
                locale="en-GB",
                to_name="Devereux, Martin <martin.devereux@example.org>",
            ),
            "response",
            "outlook/windows/en-GB",
            "outlook",
            position="ban_everywhere",
            arguments=["enforceability", "security_china"],
            name="Martin Devereux",
            location="Farnham, Surrey",
            quality=5,
            notes="From display name in 'Last, First' form; rebuts the enforceability argument.",
            relay="microsoft",
        )
    )
    e.append(
        Entry(
            R(
                "33-gmail.eml",
                "gmail",
                "Sofia Andersson",
                "sofia.andersson@example.se",
                at(25, 20, 2, 14, 1),
                text=(
                    "We already banned RT and Sputnik, and I supported that. But RT was a "
                    "state broadcaster producing propaganda. TikTok is a platform where "
                    "millions of Europeans post their own videos \u2013 bakers, nurses, "
                    "teenagers, local politicians. Banning it silences them, not Beijing.\n\n"
                    "If there is evidence the feed is being manipulated, publish it and act on "
                    "it under the DSA. Until then, no ban."
                ),
                signoff="Sofia Andersson\nJournalist, Stockholm",
                locale="en-GB",
            ),
            "response",
            "gmail/web/en-GB",
            "gmail",
            position="no_ban",
            arguments=["free_speech", "propaganda_influence"],
            name="Sofia Andersson",
            location="Stockholm",
            quality=5,
            notes="Occupation on the place line ('Journalist, Stockholm').",
        )
    )
    e.append(
        Entry(
            R(
                "34-samsung-html-only.eml",
                "samsung",
                "Rui Carvalho",
                "padaria.carvalho@example.pt",
                at(26, 9, 14, 38, 0),
                text=(
                    "Please don't ban it. I have a small bakery in Porto and more than half "
                    "of our new customers this year found us through TikTok, a video of our "
                    "pastel de nata coming out of the oven got 400 thousand views. We can't "
                    "pay for adverts on Facebook. For people like us it's the only free "
                    "shop window we have."
                ),
                signoff="Rui Carvalho\nPadaria Carvalho, Porto",
            ),
            "response",
            "samsung_email/android",
            "samsung",
            position="no_ban",
            arguments=[],
            name="Rui Carvalho",
            location="Porto",
            quality=5,
            notes="HTML only (Samsung Email), base64; business name on the place line; an "
            "argument outside the configured themes.",
            relay="google2",
        )
    )
    e.append(
        Entry(
            R(
                "35-apple-mail-plain.eml",
                "apple_mail",
                "Maureen Gallagher",
                "mo.gallagher@example.com",
                at(26, 6, 30, 52, -5),
                text=(
                    "Ban TikTok, sure, and while you're at it ban my husband's YouTube "
                    "habit.\n\n"
                    "Seriously though, I think you're asking the wrong question. The question "
                    "is why we let any company, American or Chinese, know this much about us "
                    "in the first place."
                ),
                signoff="Maureen Gallagher, Boston",
            ),
            "response",
            "apple_mail/macos/plain",
            "apple_mail_plain",
            position="unclear",
            arguments=["data_broker_problem"],
            name="Maureen Gallagher",
            location="Boston",
            quality=3,
            notes="A joke, then rejects the framing: no position. Apple Mail, text/plain only.",
            relay="apple",
        )
    )
    e.append(
        Entry(
            R(
                "36-gmail.eml",
                "gmail",
                "Gareth Hughes",
                "gareth.hughes@example.co.uk",
                at(26, 15, 22, 7, 0),
                text=(
                    "Government phones yes. Everywhere? Good luck enforcing it. Half my year "
                    "10s already use VPNs to get round the school wifi filter and they're "
                    "fourteen."
                ),
                signoff="Gareth Hughes, Swansea",
                locale="en-GB",
            ),
            "response",
            "gmail/web/en-GB",
            "gmail",
            position="ban_government_only",
            arguments=["enforceability"],
            name="Gareth Hughes",
            location="Swansea",
            quality=3,
            notes="Short and British ('year 10s'); device ban yes, general ban unenforceable.",
        )
    )
    e.append(
        Entry(
            R(
                "37-gmail-india.eml",
                "gmail",
                "Rohan Mehta",
                "rohan.mehta@example.in",
                at(27, 2, 18, 31, 5.5),
                text=(
                    "Hello from Bengaluru. You can look at us for the answer: India banned "
                    "TikTok in 2020 along with about 50 other Chinese apps. Within months "
                    "Instagram Reels and YouTube Shorts had taken over the same users, the "
                    "same creators and the same kind of data collection, and nobody's privacy "
                    "is any better for it. What the ban mostly did was hand the market to "
                    "Meta and Google and give the government a new habit of blocking apps.\n\n"
                    "So no, I wouldn't copy us."
                ),
                signoff="Rohan Mehta\nBengaluru, India",
            ),
            "response",
            "gmail/web/en-US",
            "gmail",
            position="no_ban",
            arguments=["data_broker_problem", "enforceability", "free_speech"],
            name="Rohan Mehta",
            location="Bengaluru, India",
            quality=5,
            notes="'Hello from Bengaluru' greeting is not the location; the sign-off is. "
            "UTC+05:30 Date.",
        )
    )
    e.append(
        Entry(
            R(
                "38-thunderbird-nl.eml",
                "thunderbird",
                "Pieter Verhoeven",
                "p.verhoeven@example.nl",
                at(27, 8, 55, 0, 1),
                text=(
                    "Before I answer, can someone explain what the government-device ban "
                    "actually achieves if officials keep TikTok on their personal phones, "
                    "which sit on the same desk during the same meetings? And if the answer is "
                    "'not much', is the real plan a full ban that nobody wants to say out loud "
                    "yet? Without knowing that, I can't say which side I'm on."
                ),
                signoff="Pieter Verhoeven\nEindhoven",
                locale="nl",
            ),
            "response",
            "thunderbird/nl/format=flowed",
            "thunderbird",
            position="unclear",
            arguments=["security_china"],
            name="Pieter Verhoeven",
            location="Eindhoven",
            quality=3,
            notes="Answers with questions; Dutch Thunderbird attribution over an English reply.",
            relay="google2",
        )
    )
    e.append(
        Entry(
            R(
                "39-gmail.eml",
                "gmail",
                "Andrius Petrauskas",
                "andrius.p@example.lt",
                at(27, 10, 40, 18, 2),
                text="Government devices. Anything more is overreach.",
                signoff="Andrius, Vilnius",
                locale="en-GB",
            ),
            "response",
            "gmail/web/en-GB",
            "gmail",
            position="ban_government_only",
            arguments=[],
            name="Andrius",
            location="Vilnius",
            quality=2,
            notes="Very short; first-name sign-off.",
        )
    )
    e.append(
        Entry(
            R(
                "40-gmail.eml",
                "gmail",
                "Rhys Llewellyn",
                "rhys.llewellyn@example.co.uk",
                at(27, 9, 30, 4, 0),
                text=(
                    "Banning TikTok is a way of looking busy without fixing anything. Every "
                    "app on my phone - the weather app, the supermarket loyalty app, the free "
                    "game my son plays - is selling location and behavioural data to brokers, "
                    "and anyone (Chinese intelligence included) can buy it legally for a few "
                    "thousand dollars. Pull TikTok and that pipeline is untouched.\n\n"
                    "If the EU is serious, enforce the GDPR against the data broker industry "
                    "and make selling precise location data illegal full stop. That protects "
                    "everyone from every government, not just from one of them."
                ),
                signoff="Rhys Llewellyn, Cardiff",
                locale="en-GB",
            ),
            "response",
            "gmail/web/en-GB",
            "gmail",
            position="no_ban",
            arguments=["data_broker_problem", "security_china"],
            name="Rhys Llewellyn",
            location="Cardiff",
            quality=4,
            notes="Last to arrive, three days after the issue.",
        )
    )
    return e


# ---------------------------------------------------------------------------------------------
# Machine-made and odd messages


def exchange_ooo(r: c.Reply) -> str:
    text = (
        "Thank you for your email. I am out of the office until Monday 6 March with limited "
        "access to email.\n\nFor anything urgent please contact my colleague Sam Whitlow on "
        "+44 20 7946 0381 or at s.whitlow@brightwater-partners.example.\n\nKind regards,\n"
        "Hannah Greaves\n"
    )
    html = (
        '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        "</head>\n<body>\n" + c.mso(text.rstrip("\n")) + "</body>\n</html>\n"
    )
    boundary = f"_000_{r.hexid(40, 'oo').upper()}_"
    heads = [
        f"From: {r.from_header()}",
        f"To: {c.TO_QUOTED}",
        f"Subject: Automatic reply: {nl.SUBJECT}",
        f"Thread-Topic: {nl.SUBJECT}",
        f"Thread-Index: AQHZSD{fake_b64('ti' + r.seed, 22)}",
        f"Date: {rfc2822_date(r.sent)}",
        f"Message-ID: {c.outlook_msgid(r, 'LO2P265MB5102')}",
        f"References: {nl.MESSAGE_ID}",
        f"In-Reply-To: {nl.MESSAGE_ID}",
        "Auto-Submitted: auto-generated",
        "X-MS-Has-Attach:",
        "X-Auto-Response-Suppress: All",
        "X-MS-Exchange-Inbox-Rules-Loop: h.greaves@brightwater-partners.example",
        "X-MS-TNEF-Correlator:",
        "Content-Type: multipart/alternative;",
        f'\tboundary="{boundary}"',
        "MIME-Version: 1.0",
    ]
    return (
        "\n".join(heads)
        + "\n\n"
        + c.alternative(
            boundary,
            c.part("text/plain", text, '"us-ascii"', "quoted-printable"),
            c.part("text/html", html, '"us-ascii"', "quoted-printable"),
        )
    )


def autoresponder_de(r: c.Reply) -> str:
    text = (
        "Sehr geehrte Damen und Herren,\n\n"
        "vielen Dank f\u00fcr Ihre Nachricht. Ich bin vom 20.02. bis einschlie\u00dflich "
        "03.03.2023 nicht im B\u00fcro und habe in dieser Zeit nur eingeschr\u00e4nkt Zugriff "
        "auf meine E-Mails. Ihre Nachricht wird nicht weitergeleitet.\n\n"
        "In dringenden F\u00e4llen wenden Sie sich bitte an unser Sekretariat unter "
        "kanzlei@obermeier-steuerberatung.example oder telefonisch unter 089 99998 112.\n\n"
        "Mit freundlichen Gr\u00fc\u00dfen\nKlaus Obermeier\nSteuerberater\n"
    )
    heads = [
        f"Date: {rfc2822_date(r.sent)}",
        f"From: {r.from_header()}",
        f"To: {nl.FROM_ADDR}",
        f"Subject: Abwesenheitsnotiz: {nl.SUBJECT}",
        f"Message-ID: <{r.hexid(16, 'ar')}.{int(r.sent.timestamp())}"
        "@mail.obermeier-steuerberatung.example>",
        "MIME-Version: 1.0",
        'Content-Type: text/plain; charset="ISO-8859-15"',
        "Content-Transfer-Encoding: quoted-printable",
    ]
    return "\n".join(heads) + "\n\n" + qp_body(text, "iso-8859-15")


def bounce(r: c.Reply) -> str:
    def utc(seconds: int) -> str:
        return rfc2822_date((r.sent + timedelta(seconds=seconds)).astimezone(tz(0)))

    boundary = f"{c.postfix_id('dsn')}.{int(r.sent.timestamp())}/mail.hoflinger-bau.example"
    arrival = rfc2822_date(nl.SENT + timedelta(seconds=51))
    text = (
        "This is the mail system at host mail.hoflinger-bau.example.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients. It's attached below.\n\n"
        "For further assistance, please send mail to postmaster.\n\n"
        "If you do so, please include this problem report. You can\n"
        "delete your own text from the attached returned message.\n\n"
        "                   The mail system\n\n"
        "<m.hoflinger@hoflinger-bau.example>: host\n"
        "    mail.hoflinger-bau.example[private/dovecot-lmtp] said: 552 5.2.2\n"
        "    <m.hoflinger@hoflinger-bau.example> Quota exceeded (mailbox for user is\n"
        "    full) (in reply to end of DATA command)\n"
    )
    status = (
        "Reporting-MTA: dns; mail.hoflinger-bau.example\n"
        f"X-Postfix-Queue-ID: {c.postfix_id('q')}\n"
        "X-Postfix-Sender: rfc822; signal@gzeromedia.com\n"
        f"Arrival-Date: {arrival}\n\n"
        "Final-Recipient: rfc822; m.hoflinger@hoflinger-bau.example\n"
        "Original-Recipient: rfc822;m.hoflinger@hoflinger-bau.example\n"
        "Action: failed\n"
        "Status: 5.2.2\n"
        "Remote-MTA: dns; mail.hoflinger-bau.example\n"
        "Diagnostic-Code: smtp; 552 5.2.2 <m.hoflinger@hoflinger-bau.example> Quota\n"
        "    exceeded (mailbox for user is full)\n"
    )
    orig = (
        "Return-Path: <signal@gzeromedia.com>\n"
        "Received: from mail.gzeromedia.com (mail.gzeromedia.com [203.0.113.40])\n"
        "\tby mail.hoflinger-bau.example (Postfix) with ESMTPS id 4PNXq81bJhz1x\n"
        f"\tfor <m.hoflinger@hoflinger-bau.example>; {arrival}\n"
        f"Date: {rfc2822_date(nl.SENT)}\n"
        f"From: {c.NL_ADDR}\n"
        "To: m.hoflinger@hoflinger-bau.example\n"
        f"Subject: {nl.SUBJECT}\n"
        f"Message-ID: {nl.MESSAGE_ID}\n"
        "List-Unsubscribe: <https://www.gzeromedia.com/unsubscribe?u=8f3a1c>\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/alternative; boundary="gz_5b0e9a7c"\n'
    )
    heads = [
        "Return-Path: <>",
        f"Delivered-To: {nl.FROM_ADDR}",
        f"Received: from {c.INBOUND}",
        f"\tby {c.INBOUND} with LMTP",
        "\tid 3kH9aQ1x+GPlSQAAq0Hm4w",
        "\t(envelope-from <>)",
        f"\tfor <{nl.FROM_ADDR}>; {utc(3)}",
        "Received: from mail.hoflinger-bau.example (mail.hoflinger-bau.example [198.51.100.77])",
        f"\tby {c.INBOUND} (Postfix) with ESMTPS id {c.postfix_id(r.seed)}",
        f"\tfor <{nl.FROM_ADDR}>; {utc(2)} (UTC)",
        f"X-Original-To: {nl.FROM_ADDR}",
        "Received: by mail.hoflinger-bau.example (Postfix)",
        f"\tid {c.postfix_id('bounce-local')}; {rfc2822_date(r.sent)}",
        f"Date: {rfc2822_date(r.sent)}",
        "From: MAILER-DAEMON@mail.hoflinger-bau.example (Mail Delivery System)",
        "Subject: Undelivered Mail Returned to Sender",
        f"To: {nl.FROM_ADDR}",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        "Content-Type: multipart/report; report-type=delivery-status;",
        f'\tboundary="{boundary}"',
        "Content-Transfer-Encoding: 8bit",
        f"Message-Id: <20230224101840.{c.postfix_id('mid')}@mail.hoflinger-bau.example>",
    ]
    return (
        "\n".join(heads)
        + "\n\nThis is a MIME-encapsulated message.\n\n"
        + f"--{boundary}\n"
        + "Content-Description: Notification\n"
        + "Content-Type: text/plain; charset=us-ascii\n\n"
        + text
        + f"\n--{boundary}\n"
        + "Content-Description: Delivery report\n"
        + "Content-Type: message/delivery-status\n\n"
        + status
        + f"\n--{boundary}\n"
        + "Content-Description: Undelivered Message Headers\n"
        + "Content-Type: text/rfc822-headers\n\n"
        + orig
        + f"\n--{boundary}--\n"
    )


def spam(r: c.Reply) -> str:
    e = html_escape
    paras = [
        "Hi there,",
        "I came across Signal while researching the best geopolitics newsletters of 2023 "
        "\u2013 really impressive work!",
        "I'm reaching out because we help premium newsletters like yours grow by 10,000+ "
        "verified subscribers in 60 days, and we connect them with sponsors paying "
        "$45\u2013$90 CPM. Our clients include three of the top 20 Substack publications.",
        "Would you be open to a quick 15-minute call this week? Here's my calendar: "
        "https://cal.growthloop-media.example/nadia",
        "Best,",
        "Nadia Kerrigan",
        "Partnerships Lead, GrowthLoop Media",
        "P.S. If you're not the right person, could you point me to who handles partnerships?",
    ]
    body = "".join(f'<p style="margin:0 0 12px 0">{e(p)}</p>' for p in paras)
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="font-family:'
        'Arial,sans-serif;font-size:14px;color:#333">'
        f"{body}"
        '<p style="font-size:11px;color:#999">GrowthLoop Media '
        "\u00b7 548 Harbor View Blvd, Suite 210 "
        '\u00b7 Oakland, CA 94607<br><a href="https://growthloop-media.example/u/'
        f'{r.hexid(20, "u")}">Unsubscribe</a></p>'
        f'<img src="https://t.growthloop-media.example/o/{r.hexid(24, "px")}.gif" width="1" '
        'height="1" alt=""></body></html>\n'
    )
    heads = [
        f"From: {r.from_header()}",
        f"To: {nl.FROM_ADDR}",
        "Subject: Quick question about Signal's sponsorship slots",
        f"Date: {rfc2822_date(r.sent)}",
        f"Message-ID: <{r.hexid(32, 'sp')}@growthloop-media.example>",
        "MIME-Version: 1.0",
        f"List-Unsubscribe: <https://growthloop-media.example/u/{r.hexid(20, 'u')}>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "X-Mailer: Sendloop Campaigns 4.2",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
    ]
    return "\n".join(heads) + "\n\n" + qp_body(html, "utf-8")


def spam_trace(r: c.Reply) -> str:
    t = c.trace(r, "hosting", envelope=f"bounce-{r.hexid(10, 'env')}@mta.growthloop-media.example")
    return t + (
        "X-Spam-Status: No, score=4.6 required=6.0 tests=BULK_RE_SUIT_NOUN,HTML_MESSAGE,\n"
        "\tMIME_HTML_ONLY,SPF_PASS,T_SCC_BODY_TEXT_LINE,URIBL_BLOCKED autolearn=no\n"
        "X-Spam-Score: 4.6\n"
    )


def render(entry: Entry) -> bytes:
    r = entry.reply
    kind = entry.render
    if kind == "duplicate":
        raise ValueError("duplicates are copied, not rendered")
    if kind == "bounce":
        return crlf(bounce(r))
    if kind == "spam":
        return crlf(spam_trace(r) + spam(r))
    if kind == "thunderbird":
        return crlf(c.trace(r, entry.relay) + c.thunderbird(r))
    body: str
    if kind == "exchange_ooo":
        body = exchange_ooo(r)
    elif kind == "autoresponder_de":
        body = autoresponder_de(r)
    elif kind == "gmail":
        body = c.gmail(r)
    elif kind == "gmail_forward":
        body = c.gmail(r, forward=True)
    elif kind == "iphone":
        body = c.apple(r, device="iPhone")
    elif kind == "ipad":
        body = c.apple(r, device="iPad")
    elif kind == "apple_mail":
        body = c.apple(r, device="Mac")
    elif kind == "apple_mail_plain":
        body = c.apple(r, device="Mac", html_part=False)
    elif kind in ("outlook", "outlook_1252", "outlook_pl"):
        if kind == "outlook_1252":
            # Outlook labels the parts ISO-8859-1 but writes windows-1252 bytes.
            body = _as_cp1252(r, entry)
        else:
            body = c.outlook_desktop(r, signature=str(entry.opts.get("signature", "")))
    elif kind == "outlook_android":
        body = c.outlook_mobile(r, platform="Android")
    elif kind == "outlook_ios":
        body = c.outlook_mobile(r, platform="iOS")
    elif kind == "outlook_web":
        body = c.outlook_mobile(r, platform="web")
    elif kind == "yahoo":
        body = c.yahoo(r)
    elif kind == "proton":
        body = c.proton(r)
    elif kind == "fastmail":
        body = c.fastmail(r)
    elif kind == "samsung":
        body = c.samsung(r)
    else:
        raise ValueError(kind)
    dkim = kind not in ("autoresponder_de",)
    return crlf(c.trace(r, entry.relay, dkim=dkim) + body)


def _as_cp1252(r: c.Reply, entry: Entry) -> str:
    """Render with windows-1252 bytes, then relabel every part as ISO-8859-1."""
    r2 = c.Reply(**{**r.__dict__, "charset": "windows-1252"})
    body = c.outlook_desktop(r2, signature=str(entry.opts.get("signature", "")))
    return body.replace('charset="windows-1252"', 'charset="iso-8859-1"')


# ---------------------------------------------------------------------------------------------
# Labels


def label(entry: Entry) -> dict[str, Any]:
    r = entry.reply
    content = entry.kind in ("response", "duplicate", "superseded")
    human = content or entry.kind in ("off_topic", "unsubscribe")
    reply = norm("\n".join(x for x in (r.text, r.ps) if x)) if human else ""
    return {
        "file": entry.filename,
        "kind": entry.kind,
        "position": entry.position if content else None,
        "arguments": sorted(entry.arguments) if content else [],
        "name": entry.name if content else None,
        "location": entry.location if content else None,
        "withhold_name": entry.withhold_name if content else False,
        "language": entry.language,
        "expected_reply": reply,
        "signoff": r.signoff if human else "",
        "quality": entry.quality if content else None,
        "notes": entry.notes,
        "related_file": entry.related_file,
        "meta_text": entry.meta_text,
        "client": entry.client_label,
    }


def build() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    last = b""
    for entry in entries():
        if entry.render == "duplicate":
            out[entry.filename] = last
            continue
        last = render(entry)
        out[entry.filename] = last
    labels = "".join(json.dumps(label(x), ensure_ascii=False) + "\n" for x in entries())
    out["../labels.jsonl"] = labels.encode("utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="write nothing; compare")
    args = ap.parse_args(argv)
    files = build()
    bad = 0
    if not args.check:
        for old in MAIL_DIR.glob("*.eml"):
            if old.name not in files:
                old.unlink()
    for name, data in files.items():
        path = (MAIL_DIR / name).resolve()
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                print(f"differs: {path.name}", file=sys.stderr)
                bad += 1
        else:
            path.write_bytes(data)
    if not args.check:
        print(f"wrote {len(files) - 1} messages and labels.jsonl to {MAIL_DIR}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["LABELS", "MAIL_DIR", "build", "entries", "label", "main", "render"]
