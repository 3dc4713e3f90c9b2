"""Line patterns for the reply trimmer, one table per line class.

The classes and most entries follow discourse/email_reply_trimmer (MIT, v0.2.0,
``lib/email_reply_trimmer/*_matcher.rb``); entries marked "curator" were added for clients
and languages it lacks. Every entry carries an example line and the client it exists for.
"""

from __future__ import annotations

import re

# Blank characters (Ruby's [[:blank:]]): for use inside a character class, and as one.
_BC = r" \t\u00a0\u2000-\u200a\u202f\u3000"
_B = f"[{_BC}]"

# A line made only of delimiter characters ends the message: "-- " (RFC 3676 signature),
# "______" (Outlook web / mobile above the quoted header block), "—" (GitHub, Discourse).
DELIMITER = re.compile(rf"^{_B}*[-_,=+~#*ᐧ—]+{_B}*$")

# Mobile and webmail taglines, deleted wherever they stand.
# (pattern after leading blanks, an example line): the client tagline it exists for.
SIGNATURE_FORMS: tuple[tuple[str, str], ...] = (
    (r"從我的 iPhone 傳送", "從我的 iPhone 傳送"),  # iOS Mail, Traditional Chinese
    (r"发自我的\s?(?:iPhone|iPad)", "发自我的iPhone"),  # iOS Mail, Simplified Chinese (curator)
    (r"iPhoneから送信", "iPhoneから送信"),  # iOS Mail, Japanese (curator)
    (r"\w+ from mobile", "Nik from mobile"),
    (r"From my .{1,20}$", "From My Iphone 6"),
    (r"Get (?:\[?Outlook for |Outlook Mobile)", "Get Outlook for iOS"),  # Outlook apps
    (
        r"Envoyé (?:depuis|de|à partir de) (?:mon|Yahoo|Outlook|l'application)",
        "Envoyé à partir de Outlook pour iOS",
    ),  # iOS Mail / Outlook fr
    (r"Von meinem .+ gesendet", "Von meinem iPhone gesendet"),  # iOS Mail de
    (r"Gesendet (?:von|mit) (?:meinem|der|Outlook|Yahoo|Mail)", "Gesendet von Outlook"),  # de
    (
        r"Diese Nachricht wurde von .+ gesendet",
        "Diese Nachricht wurde von meinem Android-Mobiltelefon mit K-9 Mail gesendet.",
    ),  # K-9
    (r"Inviato da ", "Inviato da iPhone"),  # it
    (r"Sendt fra (?:min|Outlook|Mail)", "Sendt fra min iPhone"),  # no, da
    (r"Skickat från (?:min|Outlook|Mail)", "Skickat från min iPhone"),  # sv (curator)
    (r"Enviado (?:do|desde|de) (?:meu|mi|o|Outlook|Yahoo|Correo)", "Enviado desde mi iPhone"),
    (r"Verzonden (?:met|vanaf|van) ", "Verzonden met BlackBerry Work"),  # nl
    (r"Verstuurd vanaf mijn ", "Verstuurd vanaf mijn iPhone"),  # nl
    (r"från min ", "från min iPhone"),  # sv, wrapped
    (r"Wysłane z (?:mojego|aplikacji|Outlook)", "Wysłane z mojego iPhone'a"),  # pl (curator)
    (r"Отправлено (?:с|из) ", "Отправлено с iPhone"),  # ru (curator)
    (r"Надіслано (?:з|із) ", "Надіслано з iPhone"),  # uk (curator)
    (r"Lähetetty (?:iPhonesta|Outlook|.{1,20}(?:sta|stä)$)", "Lähetetty iPhonesta"),  # fi
    (r"Saadetud (?:minu|Outlook)", "Saadetud minu iPhone'ist"),  # et (curator)
    (r"Odesláno z ", "Odesláno z iPhonu"),  # cs (curator)
    (r"Sent with (?:Proton|Spark|Airmail)", "Sent with Proton Mail secure email."),
)
SIGNATURES = tuple(re.compile(rf"^{_B}*(?:{p})", re.I) for p, _ in SIGNATURE_FORMS)

# "Sent from my iPhone", but not "Sent from my desk, is much easier then my mobile phone."
# (github/email_reply_parser): after the device name only a URL or an apology for typos.
SENT_FROM = re.compile(
    rf"^{_B}*[(<]*Sent (?:from|via|with|by) (?P<what>[^,.;:!?()<>]{{1,60}})"
    r"(?P<rest>.*)$",
    re.I,
)
SENT_FROM_REST = re.compile(
    r"^[\s)>.,;:!-]*(?:(?:<|\(|https?://)\S*[\s)>]*)?"
    r"(?:(?:please\s+)?(?:excuse|pardon|forgive)\b.*|.*\btypo.*)?[\s.)>]*$",
    re.I,
)

# "On … wrote:" attribution lines (the header of a quoted reply), in many languages.
ON_DATE_WROTE = tuple(
    re.compile(rf"^[{_BC}<>-]*{p}[{_BC}.:>-]*$", re.I)
    for p in (
        r"在 (?:(?!\b(?>在|写道)\b).)+?写道",  # Gmail zh: "在 2016年11月8日 写道"
        r"Op (?:(?!\b(?>Op|het\svolgende\sgeschreven|schreef)\b).)+?"
        r"(?:het\svolgende\sgeschreven|geschreven|schreef[^:]*)",
        # nl: "Op 24 aug. 2013 … het volgende geschreven:"
        r"In message (?:(?!\b(?>In message|writes)\b).)+?writes",
        # Usenet: "In message <…>, X writes:"
        r"(?:On|At) (?:(?!\b(?>On|wrote|writes|says|said)\b).)+?(?:wrote|writes|says|said)",  # en
        r"Le (?:(?!\b(?>Le|nous\sa\sdit|a\s+écrit)\b).)+?(?:nous\sa\sdit|a\s+écrit)",  # fr
        r"Am (?:(?!\b(?>Am|schrieben\sSie)\b).)+?schrieben\sSie",  # de: "Am … schrieben Sie:"
        r"Am (?:(?!\b(?>Am|geschrieben)\b).)+?(?:geschrieben|schrieb[^:]*)",
        # de: "Am 18.09.2013 um 16:24 schrieb X:"
        r"(?:Il|In data) (?:(?!\b(?>Il|ha\sscritto)\b).)+?ha\sscritto",
        # it: "Il giorno … ha scritto:", Android/Outlook: "In data 11 ottobre 2017 … ha scritto:"
        r"(?:Dnia|Dňa|W dniu) (?:(?!\b(?>Dnia|Dňa|napisał)\b).)+?napisał(?:\(a\))?",  # pl/sk
        r"Em (?:(?!\b(?>Em|escreveu)\b).)+?escreveu",  # pt: "Em seg, 27 de jul … escreveu:"
        r"El (?:(?!\b(?>El|escribió)\b).)+?escribió",  # es: "El jueves, … escribió:"
        r"(?:Den|På) (?:(?!\b(?>Den|skrev)\b).)+?skrev[^:]*",  # sv/da/no: "Den 15. jun. … skrev X:"
        r"Вы писали .{0,80}",  # The Bat! ru: "Вы писали 29 сентября 2022 г., 16:31:07:" (curator)
    )
)

# Date-first attributions that end in a verb and a colon, with a date or time on the line
# (curator; Gmail and Outlook in these languages put the date before the author).
_DATE_FIRST_VERBS = (
    r"(?:\bkirjoitti|\bkirjutas|\bírta|\bnapsal(?:\(a\))?|\bskrev|\bnapisał(?:\(a\))?"
    # fi "…X kirjoitti:", et "…X kirjutas:", hu "…X írta:", cs "…napsal(a):", da/no/sv
    # "…skrev X:", pl "…napisał(a):"
    r"|написал(?:\(а\)|а)?|написав(?:\(ла\))?|пише|пишет|\byazdı|\bέγραψε|\ba scris"
    # ru/uk "…X написал(а):", tr "…şunu yazdı:", el "…έγραψε:", ro "…a scris:"
    r"|\brakstīja|\brašė|\bnapisao|\bnapisala|\bnapísal(?:\(a\))?|のメッセージ|が書きました"
    r"|님이 작성)"  # … sk "… používateľ X napísal:"
    # lv, lt, hr/sr/bs, ja "…のメッセージ:", ko "…님이 작성:"
)
DATE_FIRST_WROTE = re.compile(
    r"^(?=[^\n]*\d)[^\n]{4,160}?" + _DATE_FIRST_VERBS + r"[^:\n]{0,100}:[\s>]*$", re.I
)
# The same, wrapped once: "pe 20. lokakuuta 2017 klo 17.50 John Coe" / "<x@y> kirjoitti:".
DATE_FIRST_WROTE_WRAPPED = re.compile(
    r"^(?=[^\n]*\d)[^\n]{4,160}\n[^\n]{0,160}?" + _DATE_FIRST_VERBS + r"[^:\n]{0,100}:[\s>]*$",
    re.I | re.M,
)

# "Op 10 dec. 2015 18:35 schreef "X" <…>:", "Am 18.09.2013 um 16:24 schrieb X <…>:".
ON_DATE_WROTE_SOMEONE = tuple(
    re.compile(rf"^[{_BC}>]*{on}\s.+\s{wrote}\s[^:]+:", re.I)
    for on, wrote in (("Op", "schreef"), ("Am", "schrieb"), ("Den", "skrev"), (r"søn\.", "skrev"))
)

# Date first: "суббота, 14 марта 2015 г. пользователь X написал:", "23 mar 2017 … napisał(a):".
DATE_SOMEONE_WROTE = (
    re.compile(r"\d{4}.{1,80}пользователь.{0,80}\n?.{0,80}?написал:", re.M),  # Gmail ru
    re.compile(r"\d{4}.{1,80}\n?.{0,80}?napisał\(a\):", re.M),  # Gmail pl
    re.compile(r"\d{4}.{1,80}\n?.{0,80}?пише:", re.M),  # Gmail uk
)

# "Max <x@y> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:", "X wrote on 3/4/2016:".
SOMEONE_WROTE_ON_DATE = (
    re.compile(r"^.+\bwrote\b\s+\bon\b.+[^:]+:"),
    re.compile(r"^.+\bschrieb\b\s+\bam\b.+[^:]+:"),
    re.compile(r"^.+\bskrev\b\s+(?:følgende\s+|följande\s+)?\bden\b.+[^:]+:"),
    # no/da/sv Outlook for Mac: "John Doe <x@y> skrev følgende den 28/10/2021, 12:46:"
)

# Gmail with an ISO date: "2016-03-03 17:21 GMT+01:00 Some One".
ISO_DATE_SOMEONE = re.compile(rf"^[{_BC}>]*20\d\d-\d\d-\d\d \d\d:\d\d GMT\+\d\d:\d\d [\w\s]+$")

# "2015-10-18 0:17 GMT+03:00 Matt <x@y>:", "вт, 5 янв. 2016 г. в 23:39, Erlend <x@y>:".
DATE_SOMEONE_EMAIL = re.compile(r"\d{4}.{1,80}\s?<[^@<>]+@[^@<>.]+\.[^@<>]+>:?$", re.M)

OTHER_EMBEDDED = tuple(
    re.compile(p, re.I)
    for p in (
        r"^.+ via .+ (?:wrote|schrieb):?\s*$",  # "codinghorror via Discourse Meta wrote:"
        r"^.+\b[\w.+-]+@[\w.-]+\.\w{2,}\b.+wrote:?$",  # "Some One <x@y> wrote:"
        rf"^[{_BC}>]*Posted by .+ on \d\d/\d\d/\d{{4}}$",  # Discourse digest
        rf"^[{_BC}>]*Begin forwarded message:",  # Apple Mail forward
        rf"^[{_BC}>*]*-{{2,}}{_B}*(?:Forwarded|Original|Reply) Message{_B}*-{{2,}}",
        # "-----Original Message-----" (Outlook plain text, AOL), Proton "------- Original …"
        rf"^[{_BC}>]*Début du message (?:transféré|réexpédié) ?:",  # Apple Mail fr
        rf"^[{_BC}>*]*-{{2,}}{_B}*(?:Message transféré|Message d'origine|Original)"
        rf"{_B}*-{{2,}}",  # fr Gmail/Outlook
        rf"^[{_BC}>*]*-{{2,}}{_B}*(?:Ursprüngliche Nachricht|Weitergeleitete Nachricht)"
        rf"{_B}*-{{2,}}",  # de Outlook / Gmail
        rf"^[{_BC}>*]*-{{2,}}{_B}*(?:Mensaje original|Mensaje reenviado)"
        rf"{_B}*-{{2,}}",  # es
        rf"^[{_BC}>*]*-{{2,}}{_B}*原始邮件{_B}*-{{2,}}",  # zh (QQ Mail, Foxmail)
        rf"^[{_BC}>*]*-{{2,}}{_B}*(?:Oprindelig (?:meddelelse|besked)|Opprinnelig melding|"
        r"Ursprungligt meddelande|Alkuperäinen viesti|Oorspronkelijk bericht|"
        r"Messaggio originale|Mensagem original|Wiadomość oryginalna|Původní zpráva|"
        r"Исходное сообщение|Пересланное сообщение|Originaalsõnum|Eredeti üzenet)"
        rf"{_B}*-{{2,}}",  # da/no/sv/fi/nl/it/pt/pl/cs/ru/et/hu Outlook (curator)
        rf"^[{_BC}>]*[-_*]*{_B}*(?:Forwarded message|Original message){_B}*[-_*]*:?{_B}*$",
        # a bare "Original message" / "Forwarded message:" line (MailMate; curator)
    )
)

# A marker in any language: text between dash runs ("---------- Messaggio inoltrato
# ---------", "--- Treść przekazanej wiadomości ---", Gmail, HubSpot, Thunderbird). Only a
# marker when header lines follow it (the trimmer checks); alone it may be a heading.
# Yahoo puts the first header on the same line: "----- Message transmis ----- De : John".
DASHED_MARKER = re.compile(
    rf"^[{_BC}>*]*-{{3,}}{_B}*[^\W\d_][^\n]{{2,80}}{_B}*-{{3,}}{_B}*(?P<tail>[^-\n][^\n]*)?$"
)
# "Nadawca: John Doe <…>", "From: …", "送信元：…": a header-shaped line (any language).
HEADER_SHAPED = re.compile(r"^[>\s*]*[^\W\d_][\w .-]{0,30}\s*[:：]\s*\S")


def is_dashed_marker(line: str, following: str) -> bool:
    """ "---------- Messaggio inoltrato ---------" with header lines after it (on the same
    line, Yahoo, or the next one)."""
    m = DASHED_MARKER.match(line)
    if m is None:
        return False
    tail = m["tail"]
    return bool(HEADER_SHAPED.match(tail if tail else following))


# Outlook-style header block lines ("From: …", "Sent: …") that start a quoted message.
_HEADERS_WITH_DATE = (
    "Sendt|Sent|Date|Dato|Le|Gesendet|Enviada em|Enviado|Fecha|Data|Datum|Skickat|发送时间"
    # curator: pl, fi, et, hu, cs, ru, uk, tr, da, lt, lv, ro, ja
    "|Wysłano|Wysłane|Lähetetty|Päivämäärä|Saadetud|Kuupäev|Elküldve|Dátum|Odesláno"
    "|Отправлено|Дата|Надіслано|Gönderildi|Tarih|Išsiųsta|Nosūtīts|Trimis|送信日時|日時"
)
_HEADERS_WITH_TEXT = (
    "Fra|Til|Emne|From|To|Cc|Reply-To|Subject|De|Expéditeur|À|Destinataire|Répondre à|Objet"
    "|Von|An|Betreff|Para|Assunto|Asunto|Da|Risposta|A|Oggetto|Van|Beantwoorden - Aan|Aan"
    "|Onderwerp|Från|Till|Ämne|发件人|收件人|主题"
    # curator: pl, fi, et, hu, cs, ru, uk, tr, lt, lv, ro, ja
    "|Od|Do|Temat|DW|Lähettäjä|Vastaanottaja|Aihe|Kopio|Saatja|Adressaat|Teema|Koopia"
    "|Feladó|Címzett|Tárgy|Másolat|Komu|Předmět|Kopie|От|Кому|Тема|Копия|Від|Копія"
    "|Kimden|Kime|Konu|Nuo|Kam|Tema|Kopija|No|Kas|Temats|Către|Subiect|差出人|宛先|件名"
)
HEADER_WITH_DATE = re.compile(rf"^[{_BC}*]*(?:{_HEADERS_WITH_DATE})[{_BC}*]*:.*\d+")
HEADER_WITH_TEXT = re.compile(rf"^[{_BC}*]*(?:{_HEADERS_WITH_TEXT})[{_BC}*]*:.*\w+", re.I)

QUOTE = re.compile(rf"^{_B}*>")

# Markers a client may wrap over two to five lines (the forms discourse's trimmer joins
# before classifying): "On Thu, Jun 20, 2013 at 4:18 PM, X <" / "x@example.com> wrote:".
WRAPPED_ATTRIBUTIONS: tuple[re.Pattern[str], ...] = (
    *(
        re.compile(rf"^[{_BC}<>-]*{p}[{_BC}.:>-]*$", re.I | re.M | re.S)
        for p in (
            r"(?:On|At) (?:(?!\b(?>On|wrote|writes|says|said)\b).){1,300}?"
            r"(?:wrote|writes|says|said)",  # en
            r"Le (?:(?!\b(?>Le|nous\sa\sdit|a\s+écrit)\b).){1,300}?(?:nous\sa\sdit|a\s+écrit)",
            r"Am (?:(?!\b(?>Am|geschrieben)\b).){1,300}?(?:geschrieben|schrieb[^:]*)",  # de
            r"Op (?:(?!\b(?>Op|schreef)\b).){1,300}?(?:het\svolgende\sgeschreven|schreef[^:]*)",
            r"El (?:(?!\b(?>El|escribió)\b).){1,300}?escribió",  # es
            r"Em (?:(?!\b(?>Em|escreveu)\b).){1,300}?escreveu",  # pt
            r"(?:Il|In data) (?:(?!\b(?>Il|ha\sscritto)\b).){1,300}?ha\sscritto",  # it
            r"(?:Den|På) (?:(?!\b(?>Den|skrev)\b).){1,300}?skrev[^:\n]*",  # sv, da, no
            r"(?:Dnia|W dniu) (?:(?!\b(?>Dnia|napisał)\b).){1,300}?napisał(?:\(a\))?",  # pl
        )
    ),
    *DATE_SOMEONE_WROTE,  # ru, pl, uk date-first forms
    DATE_FIRST_WROTE_WRAPPED,  # fi, et, hu, cs, … date-first forms
    DATE_SOMEONE_EMAIL,  # "2016-10-24 15:36 GMT+02:00 Foo bar <" / "info@foo.bar>:"
    *(re.compile(r.pattern, re.M) for r in SOMEONE_WROTE_ON_DATE),  # "X schrieb am … Uhr:"
)

# Embedded-mail markers in groups, each behind a cheap test a line must pass first: most
# lines of a long quote are plain text, and the full patterns cost ~30 µs a line.
LEAD_WORDS = re.compile(
    rf"^[{_BC}<>-]*(?:在 |Op |In message |On |At |Le |Am |Il |In data |Dnia |Dňa |W dniu |Em "
    r"|El |Den |På |søn\. |Вы писали )",
    re.I,
)
EMBEDDED_AFTER_LEAD = ON_DATE_WROTE + ON_DATE_WROTE_SOMEONE  # "On …", "Am …", "Le …"
EMBEDDED_ENDING_IN_COLON = (DATE_FIRST_WROTE, *DATE_SOMEONE_WROTE, *SOMEONE_WROTE_ON_DATE)
# The rest, each group with the (lower-case) words one of its lines must contain.
EMBEDDED_OTHER: tuple[tuple[tuple[str, ...], tuple[re.Pattern[str], ...]], ...] = (
    (("wrote", "schrieb"), OTHER_EMBEDDED[:2]),
    (("posted by",), OTHER_EMBEDDED[2:3]),
    (("--", "begin forwarded", "début", "message"), OTHER_EMBEDDED[3:]),
    (("gmt",), (ISO_DATE_SOMEONE,)),
    (("@",), (DATE_SOMEONE_EMAIL,)),
)
