"""How each mail program writes a reply to the Signal newsletter.

Each renderer takes a :class:`Reply` and returns the message *after* the receiving server's
trace headers (``trace`` adds those). Output is ``str`` with ``\\n`` line ends; ``_mime.crlf``
turns the finished message into the CRLF bytes an IMAP ``FETCH BODY[]`` returns.

The habits copied here (header order, boundaries, charset labels, quote markup, taglines)
are those of the real programs as of early 2023. Used by the sample-mailbox builder
(``curator.samples.build``); the benchmark generator has its own, faster templates.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from curator.samples import newsletter as nl
from curator.samples._mime import (
    attr_time,
    b64_body,
    dkim_signature,
    ew_b,
    ew_q,
    fake_b64,
    flowed,
    html_escape,
    qp_body,
    rfc2822_date,
    tz,
)

NL_ADDR = f"{nl.FROM_NAME} <{nl.FROM_ADDR}>"
TO_QUOTED = f'"{nl.FROM_NAME}" <{nl.FROM_ADDR}>'
INBOUND = "mx2.gzeromedia.com"


@dataclass
class Reply:
    """One message to render. ``text`` is what the reader typed above the sign-off."""

    file: str
    client: str
    name: str  # display name in From ("" for a bare address)
    addr: str
    sent: datetime  # aware, in the sender's own time zone
    text: str = ""
    signoff: str = ""
    ps: str = ""
    subject: str | None = None
    reply: bool = True  # carries In-Reply-To/References to the newsletter
    extra_refs: tuple[str, ...] = ()
    name_charset: str = "utf-8"
    name_encoding: str = "Q"
    charset: str = "utf-8"
    cte: str = "quoted-printable"
    locale: str = "en-US"
    to_name: str = ""  # how the reader appears in an Outlook "To:" line
    msgid: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def seed(self) -> str:
        return self.file

    def hexid(self, n: int, salt: str = "") -> str:
        return hashlib.sha256(f"{self.file}{salt}".encode()).hexdigest()[:n]

    def uuid(self, salt: str = "") -> str:
        return str(uuid.UUID(hashlib.md5(f"{self.file}{salt}".encode()).hexdigest())).upper()

    @property
    def domain(self) -> str:
        return self.addr.rsplit("@", 1)[1]

    def from_header(self) -> str:
        if not self.name:
            return self.addr
        if self.name.isascii():
            special = any(c in self.name for c in ',.;:()<>@"[]')
            shown = f'"{self.name}"' if special else self.name
            return f"{shown} <{self.addr}>"
        enc = ew_q if self.name_encoding == "Q" else ew_b
        return f"{enc(self.name, self.name_charset)} <{self.addr}>"

    def composed(self) -> str:
        """The reader's own part: text, sign-off, P.S. (no tagline, no quote)."""
        parts = [p for p in (self.text, self.signoff, self.ps) if p]
        return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Shared pieces


def encode_part(text: str, charset: str, cte: str) -> str:
    if cte == "quoted-printable":
        return qp_body(text, charset)
    if cte == "base64":
        return b64_body(text, charset)
    return text if text.endswith("\n") else text + "\n"


def part(
    ctype: str, text: str, charset: str, cte: str, params: str = "", fold: bool = False
) -> str:
    sep = ";\n\t" if fold else "; "
    head = f"Content-Type: {ctype}{sep}charset={charset}{params}\n"
    body = encode_part(text, charset.strip('"'), cte)
    return f"{head}Content-Transfer-Encoding: {cte}\n\n{body}"


def alternative(boundary: str, plain: str, html: str) -> str:
    return f"--{boundary}\n{plain}\n--{boundary}\n{html}\n--{boundary}--\n"


def divs(text: str, tag: str = "div", attrs: str = "") -> str:
    """Gmail/Apple style: one element per line, ``<br>`` for blank lines."""
    out = []
    for line in text.split("\n"):
        inner = html_escape(line) if line else "<br>"
        out.append(f"<{tag}{attrs}>{inner}</{tag}>")
    return "".join(out)


def paragraphs_br(text: str) -> str:
    return "<br>\n".join(html_escape(line) for line in text.split("\n"))


def mso(text: str) -> str:
    """Outlook for Windows: one MsoNormal paragraph per line, ``&nbsp;`` for blanks."""
    out = []
    for line in text.split("\n"):
        inner = html_escape(line) if line else "&nbsp;"
        out.append(f'<p class="MsoNormal"><span lang="EN-GB">{inner}<o:p></o:p></span></p>\n')
    return "".join(out)


def refs(r: Reply) -> list[str]:
    if not r.reply:
        return []
    chain = " ".join((nl.MESSAGE_ID, *r.extra_refs))
    return [
        f"References: {chain}",
        f"In-Reply-To: {r.extra_refs[-1] if r.extra_refs else nl.MESSAGE_ID}",
    ]


def subject(r: Reply, prefix: str = "Re: ") -> str:
    text = r.subject if r.subject is not None else f"{prefix}{nl.SUBJECT}"
    return encode_header_text(text)


def encode_header_text(text: str) -> str:
    """Leave ASCII words alone, Q-encode from the first non-ASCII word on (as Gmail does)."""
    if text.isascii():
        return text
    words = text.split(" ")
    first = next(i for i, w in enumerate(words) if not w.isascii())
    head = " ".join(words[:first])
    tail = ew_q(" ".join(words[first:]))
    return f"{head} {tail}" if head else tail


def nl_local(r: Reply) -> datetime:
    off = r.sent.utcoffset() or timedelta(0)
    return attr_time(nl.SENT, off.total_seconds() / 3600)


def ampm(dt: datetime) -> str:
    return "AM" if dt.hour < 12 else "PM"


def hm12(dt: datetime) -> str:
    h = dt.hour % 12 or 12
    return f"{h}:{dt.minute:02d}\u202f{'AM' if dt.hour < 12 else 'PM'}"


# ---------------------------------------------------------------------------------------------
# Trace headers (added by the receiving server)


@dataclass(frozen=True)
class Relay:
    helo: str
    ip: str
    selector: str
    tls: str = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"


RELAYS: dict[str, Relay] = {
    "google": Relay("mail-wr1-f54.google.com", "209.85.221.54", "google"),
    "google2": Relay("mail-ej1-f47.google.com", "209.85.218.47", "google"),
    "microsoft": Relay(
        "EUR05-VI1-obe.outbound.protection.outlook.com", "40.107.21.109", "selector1"
    ),
    "microsoft_us": Relay(
        "NAM12-DM6-obe.outbound.protection.outlook.com", "40.107.243.87", "selector2"
    ),
    "apple": Relay("st43p00im-zteg10071901.me.com", "17.58.63.179", "sig1"),
    "yahoo": Relay("sonic304-21.consmr.mail.bf2.yahoo.com", "74.6.129.84", "s2048"),
    "proton": Relay("mail-4322.protonmail.ch", "185.70.43.22", "protonmail3"),
    "fastmail": Relay("out3-smtp.messagingengine.com", "66.111.4.27", "fm2"),
    "gmx": Relay("mout.gmx.net", "212.227.15.19", "s31663417"),
    "ovh": Relay("mo552.mail-out.ovh.net", "46.105.44.14", "ovhmo1"),
    "hosting": Relay("smtp.server-mail.example.net", "198.51.100.23", "default"),
}


def postfix_id(seed: str) -> str:
    alphabet = "BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789"
    h = hashlib.sha256(seed.encode()).digest()
    return "4P" + "".join(alphabet[b % len(alphabet)] for b in h[:12])


def trace(
    r: Reply,
    relay: str,
    *,
    envelope: str | None = None,
    delay: int = 4,
    dkim: bool = True,
    signed: str = "From:To:Subject:Date:Message-ID:In-Reply-To:References",
) -> str:
    """Return-Path … DKIM-Signature, as Postfix + Dovecot LMTP at GZERO would add them."""
    rl = RELAYS[relay]
    env = r.addr if envelope is None else envelope
    recv = r.sent.astimezone(tz(0)) + timedelta(seconds=delay)
    lmtp = recv + timedelta(seconds=1)
    lmtp_id = fake_b64("lmtp" + r.seed, 22).replace("/", "x").replace("+", "Q")
    envdom = env.rsplit("@", 1)[1] if "@" in env else rl.helo
    lines = [
        f"Return-Path: <{env}>",
        f"Delivered-To: {nl.FROM_ADDR}",
        f"Received: from {INBOUND}",
        f"\tby {INBOUND} with LMTP",
        f"\tid {lmtp_id}",
        f"\t(envelope-from <{env}>)",
        f"\tfor <{nl.FROM_ADDR}>; {rfc2822_date(lmtp)}",
        f"Received: from {rl.helo} ({rl.helo} [{rl.ip}])",
        f"\t(using {rl.tls}",
        "\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)",
        "\t(No client certificate requested)",
        f"\tby {INBOUND} (Postfix) with ESMTPS id {postfix_id(r.seed)}",
        f"\tfor <{nl.FROM_ADDR}>; {rfc2822_date(recv)} (UTC)",
        f"X-Original-To: {nl.FROM_ADDR}",
    ]
    if dkim:
        b8 = fake_b64("b" + r.seed, 8)
        lines += [
            f"Authentication-Results: {INBOUND};",
            f"\tdkim=pass (2048-bit key; unprotected) header.d={r.domain} "
            f"header.i=@{r.domain} header.a=rsa-sha256 header.s={rl.selector} header.b={b8};",
            f"\tspf=pass (mailfrom) smtp.mailfrom={envdom} (client-ip={rl.ip}; "
            f"helo={rl.helo}; envelope-from={env});",
            f"\tdmarc=pass (p=none dis=none) header.from={r.domain}",
            dkim_signature(r.domain, rl.selector, int(r.sent.timestamp()), r.seed, signed),
        ]
    else:
        lines += [
            f"Authentication-Results: {INBOUND};",
            f"\tspf=pass (mailfrom) smtp.mailfrom={envdom} (client-ip={rl.ip}; "
            f"helo={rl.helo}; envelope-from={env})",
        ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Gmail (web and Android app)

_GMAIL_ATTR: dict[str, Callable[[datetime], str]] = {
    "en-US": lambda d: f"On {d:%a}, {d:%b} {d.day}, {d.year} at {hm12(d)} {NL_ADDR} wrote:",
    "en-GB": lambda d: f"On {d:%a}, {d.day} {d:%b} {d.year} at {d:%H:%M}, {NL_ADDR} wrote:",
    "es": lambda d: (
        f"El vie, {d.day} feb {d.year} a las {d:%H:%M}, {nl.FROM_NAME} (<{nl.FROM_ADDR}>) "
        "escribi\u00f3:"
    ),
    "fr": lambda d: (
        f"Le ven. {d.day} f\u00e9vr. {d.year} \u00e0 {d:%H:%M}, {NL_ADDR} a \u00e9crit\u00a0:"
    ),
}


def gmail_msgid(r: Reply) -> str:
    body = fake_b64("gm" + r.seed, 44).replace("/", "_").replace("+", "-")
    return f"<CA{body}@mail.gmail.com>"


def gmail(r: Reply, *, forward: bool = False) -> str:
    local = nl_local(r)
    attr = _GMAIL_ATTR[r.locale](local)
    boundary = f"0000000000{r.hexid(18, 'gb')}"
    own = r.composed()
    if forward:
        fwd_head = (
            "---------- Forwarded message ---------\n"
            f"From: {NL_ADDR}\n"
            f"Date: {local:%a}, {local:%b} {local.day}, {local.year} at {hm12(local)}\n"
            f"Subject: {nl.SUBJECT}\n"
            f"To: <{r.addr}>\n"
        )
        plain_txt = (
            f"{own}\n\n{fwd_head}\n\n{nl.plain('gmail')}\n"
            if own
            else (f"\n\n{fwd_head}\n\n{nl.plain('gmail')}\n")
        )
        fwd_html = "<br>".join(html_escape(x) for x in fwd_head.rstrip("\n").split("\n"))
        html_txt = (
            f'<div dir="ltr">{divs(own) if own else "<br>"}<br><div class="gmail_quote">'
            f'<div dir="ltr" class="gmail_attr">{fwd_html}<br></div><br><br>'
            f"{nl.html()}</div></div>\n"
        )
    else:
        plain_txt = f"{own}\n\n{attr}\n\n{nl.quoted('gmail')}\n"
        html_txt = (
            f'<div dir="ltr">{divs(own)}</div><br><div class="gmail_quote">'
            f'<div dir="ltr" class="gmail_attr">{html_escape(attr)}<br></div>'
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px '
            f'solid rgb(204,204,204);padding-left:1ex">{nl.html()}</blockquote></div>\n'
        )
    msgid = r.msgid or gmail_msgid(r)
    heads = ["MIME-Version: 1.0", *refs(r)]
    heads += [
        f"From: {r.from_header()}",
        f"Date: {rfc2822_date(r.sent)}",
        f"Message-ID: {msgid}",
        f"Subject: {subject(r, 'Fwd: ' if forward else 'Re: ')}",
        f"To: {TO_QUOTED}",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    plain_cte = r.cte
    return (
        "\n".join(heads)
        + "\n\n"
        + alternative(
            boundary,
            part("text/plain", plain_txt, '"UTF-8"', plain_cte),
            part("text/html", html_txt, '"UTF-8"', "quoted-printable"),
        )
    )


# ---------------------------------------------------------------------------------------------
# Outlook for Windows (Microsoft 365 / Exchange Online)

_OUTLOOK_LABELS: dict[str, tuple[str, str, str, str, Callable[[datetime], str]]] = {
    "en-US": (
        "From",
        "Sent",
        "To",
        "Subject",
        lambda d: f"{d:%A}, {d:%B} {d.day}, {d.year} {d.hour % 12 or 12}:{d:%M} {ampm(d)}",
    ),
    "en-GB": ("From", "Sent", "To", "Subject", lambda d: f"{d.day:02d} {d:%B} {d.year} {d:%H:%M}"),
    "pl": (
        "Od",
        "Wys\u0142ane",
        "Do",
        "Temat",
        lambda d: f"pi\u0105tek, {d.day} lutego {d.year} {d:%H:%M}",
    ),
    "de": (
        "Von",
        "Gesendet",
        "An",
        "Betreff",
        lambda d: f"Freitag, {d.day}. Februar {d.year} {d:%H:%M}",
    ),
}


def outlook_msgid(r: Reply, host: str = "DB9PR07MB7641") -> str:
    return f"<{host}{r.hexid(24, 'om').upper()}@{host}.eurprd07.prod.outlook.com>"


def outlook_desktop(r: Reply, *, signature: str = "") -> str:
    frm, sent, to, subj, fmt = _OUTLOOK_LABELS[r.locale]
    local = nl_local(r)
    to_line = r.to_name or f"{r.name} <{r.addr}>"
    block = [
        f"{frm}: {NL_ADDR} ",
        f"{sent}: {fmt(local)}",
        f"{to}: {to_line}",
        f"{subj}: {nl.SUBJECT}",
    ]
    own = r.composed()
    sig = f"\n\n{signature}" if signature else ""
    plain_txt = f"{own}{sig}\n\n" + "\n".join(block) + f"\n\n{nl.plain('outlook')}\n"
    lang = "EN-GB" if r.locale == "en-GB" else ("PL" if r.locale == "pl" else "EN-US")
    html_block = "<br>\n".join(
        "<b>{}:</b> {}".format(*(html_escape(x.strip()) for x in line.split(": ", 1)))
        for line in block
    )
    html_sig = mso(signature) if signature else ""
    cs = r.charset
    html_txt = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" '
        'xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" '
        'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={cs}">\n'
        '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
        "<style><!--\n/* Font Definitions */\n@font-face\n\t{font-family:Calibri;\n"
        "\tpanose-1:2 15 5 2 2 2 4 3 2 4;}\np.MsoNormal, li.MsoNormal, div.MsoNormal\n"
        '\t{margin:0cm;\n\tfont-size:11.0pt;\n\tfont-family:"Calibri",sans-serif;}\n'
        "span.EmailStyle19\n\t{mso-style-type:personal-reply;\n"
        '\tfont-family:"Calibri",sans-serif;\n\tcolor:windowtext;}\n'
        "@page WordSection1\n\t{size:612.0pt 792.0pt;\n\tmargin:72.0pt 72.0pt 72.0pt 72.0pt;}\n"
        "div.WordSection1\n\t{page:WordSection1;}\n--></style>\n</head>\n"
        f'<body lang="{lang}" link="#0563C1" vlink="#954F72" style="word-wrap:break-word">\n'
        '<div class="WordSection1">\n'
        f"{mso(own)}{html_sig}"
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">\n'
        f'<p class="MsoNormal">{html_block}<o:p></o:p></p>\n</div>\n'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
        f"{nl.html()}\n</div>\n</body>\n</html>\n"
    )
    boundary = f"_000_{r.hexid(40, 'ob').upper()}_"
    prefix = {"pl": "ODP: ", "de": "AW: "}.get(r.locale, "RE: ")
    acc = {"en-GB": "en-GB, en-US", "pl": "pl-PL, en-US", "de": "de-DE, en-US"}.get(
        r.locale, "en-US"
    )
    heads = [
        f"From: {r.from_header()}",
        f"To: {TO_QUOTED}",
        f"Subject: {subject(r, prefix)}",
        f"Thread-Topic: {nl.SUBJECT}",
        f"Thread-Index: AQHZSD{fake_b64('ti' + r.seed, 22)}",
        f"Date: {rfc2822_date(r.sent.astimezone(tz(0)))}",
        f"Message-ID: {r.msgid or outlook_msgid(r)}",
        *refs(r),
        f"Accept-Language: {acc}",
        f"Content-Language: {acc.split(',')[0]}",
        "X-MS-Has-Attach:",
        "X-MS-TNEF-Correlator:",
        "x-ms-exchange-senderadcheck: 1",
        "Content-Type: multipart/alternative;",
        f'\tboundary="{boundary}"',
        "MIME-Version: 1.0",
    ]
    return (
        "\n".join(heads)
        + "\n\n"
        + alternative(
            boundary,
            part("text/plain", plain_txt, f'"{cs}"', r.cte),
            part("text/html", html_txt, f'"{cs}"', r.cte),
        )
    )


# ---------------------------------------------------------------------------------------------
# Outlook for iOS / Android, and Outlook on the web


def outlook_mobile(r: Reply, *, platform: str = "iOS") -> str:
    local = nl_local(r)
    tagline = {
        "iOS": ("Get Outlook for iOS", "https://aka.ms/o0ukef"),
        "Android": ("Get Outlook for Android", "https://aka.ms/AAb9ysg"),
        "web": ("", ""),
    }[platform]
    sent = (
        f"{local:%A}, {local:%B} {local.day}, {local.year} "
        f"{local.hour % 12 or 12}:{local:%M}:{local:%S} {'AM' if local.hour < 12 else 'PM'}"
        if platform != "web"
        else f"{local:%A}, {local:%B} {local.day}, {local.year} "
        f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
    )
    to_line = r.to_name or f"{r.addr} <{r.addr}>"
    block = [
        f"From: {NL_ADDR}",
        f"Sent: {sent}",
        f"To: {to_line}",
        f"Subject: {nl.SUBJECT}",
    ]
    own = r.composed()
    tag_plain = f"\n\n{tagline[0]}<{tagline[1]}>" if tagline[0] else ""
    plain_txt = (
        f"{own}{tag_plain}\n________________________________\n"
        + "\n".join(block)
        + f"\n\n{nl.plain('outlook')}\n"
    )
    html_block = "<br>\n".join(
        f"<b>{html_escape(line.split(': ', 1)[0])}:</b> {html_escape(line.split(': ', 1)[1])}"
        for line in block
    )
    tag_html = (
        f'<div dir="ltr" id="ms-outlook-mobile-signature"><div><br></div>Get '
        f'<a href="{tagline[1]}">Outlook for {platform}</a></div>\n'
        if tagline[0]
        else ""
    )
    html_txt = (
        "<html>\n<head>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        "</head>\n<body>\n"
        f'<div dir="auto" style="font-family: Aptos, Calibri, Helvetica, sans-serif; '
        f'font-size: 12pt; color: rgb(0, 0, 0);">\n{divs(own, "div", "")}\n</div>\n'
        f"{tag_html}"
        '<div id="appendonsend"></div>\n<hr style="display:inline-block;width:98%" tabindex="-1">\n'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" '
        f'color="#000000">{html_block}</font>\n<div>&nbsp;</div>\n</div>\n'
        f"{nl.html()}\n</body>\n</html>\n"
    )
    boundary = f"_000_{r.hexid(40, 'mb').upper()}_"
    relay_host = "BY5PR19MB3410" if platform == "Android" else "AM6PR02MB4853"
    heads = [
        f"From: {r.from_header()}",
        f"To: {TO_QUOTED}",
        f"Subject: {subject(r, 'Re: ')}",
        f"Thread-Topic: {nl.SUBJECT}",
        f"Thread-Index: AQHZSD{fake_b64('ti' + r.seed, 22)}",
        f"Date: {rfc2822_date(r.sent.astimezone(tz(0)))}",
        f"Message-ID: {r.msgid or outlook_msgid(r, relay_host)}",
        *refs(r),
        "Accept-Language: en-US",
        "Content-Language: en-US",
        "X-MS-Has-Attach:",
        "X-MS-TNEF-Correlator:",
        "Content-Type: multipart/alternative;",
        f'\tboundary="{boundary}"',
        "MIME-Version: 1.0",
    ]
    return (
        "\n".join(heads)
        + "\n\n"
        + alternative(
            boundary,
            part("text/plain", plain_txt, '"utf-8"', r.cte),
            part("text/html", html_txt, '"utf-8"', "base64" if platform != "web" else r.cte),
        )
    )


# ---------------------------------------------------------------------------------------------
# Apple: Mail for macOS, iPhone and iPad


def apple_attr(r: Reply, mobile: bool) -> str:
    d = nl_local(r)
    if r.locale == "en-GB" or not mobile:
        return f"On {d.day} {d:%b} {d.year}, at {d:%H:%M}, {NL_ADDR} wrote:"
    return f"On {d:%b} {d.day}, {d.year}, at {hm12(d)}, {NL_ADDR} wrote:"


def apple(r: Reply, *, device: str = "iPhone", html_part: bool = True) -> str:
    """``device``: ``iPhone``, ``iPad`` or ``Mac``."""
    mobile = device != "Mac"
    attr = apple_attr(r, mobile)
    own = r.composed()
    tagline = f"\n\nSent from my {device}" if mobile else ""
    q = nl.quoted("apple")
    if mobile:
        plain_txt = f"{own}{tagline}\n\n> {attr}\n>\n{q}\n"
    else:
        plain_txt = f"{own}\n\n> {attr}\n> \n{q}\n"
    msgid = r.msgid or f"<{r.uuid('ap')}@{r.domain}>"
    if mobile:
        boundary = f"Apple-Mail-{r.uuid('bd')}"
        mime = "Mime-Version: 1.0 (1.0)"
        mailer = f"X-Mailer: {device} Mail (20D47)"
    else:
        boundary = f"Apple-Mail=_{r.uuid('bd')}"
        mime = "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3731.400.51.1.1\\))"
        mailer = "X-Mailer: Apple Mail (2.3731.400.51.1.1)"
    if mobile:
        body_html = divs(own, "div", ' dir="ltr"')
        html_txt = (
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
            f'</head><body dir="auto">{body_html}<div dir="ltr"><br></div>'
            f'<div dir="ltr">Sent from my {device}</div><div dir="ltr"><br>'
            f'<blockquote type="cite">{html_escape(attr)}<br><br></blockquote></div>'
            f'<blockquote type="cite"><div dir="ltr">{nl.html()}</div></blockquote></body></html>\n'
        )
    else:
        html_txt = (
            '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8">'
            '</head><body style="overflow-wrap: break-word; -webkit-nbsp-mode: space; '
            f'line-break: after-white-space;">{divs(own)}<div><br><blockquote type="cite">'
            f'<div>{html_escape(attr)}</div><br class="Apple-interchange-newline">'
            f"<div>{nl.html()}</div></blockquote></div><br></body></html>\n"
        )
    if not html_part:
        heads = [
            "Content-Type: text/plain;",
            "\tcharset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
            mime,
            f"Subject: {subject(r)}",
            f"From: {r.from_header()}",
            *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
            f"Date: {rfc2822_date(r.sent)}",
            f"Message-Id: {msgid}",
            *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
            f"To: {TO_QUOTED}",
            mailer,
        ]
        return "\n".join(heads) + "\n\n" + qp_body(plain_txt, "utf-8")
    if mobile:
        heads = [
            f"Content-Type: multipart/alternative; boundary={boundary}",
            "Content-Transfer-Encoding: 7bit",
            f"From: {r.from_header()}",
            mime,
            f"Subject: {subject(r)}",
            f"Date: {rfc2822_date(r.sent)}",
            f"Message-Id: {msgid}",
            *refs(r),
            f"To: {NL_ADDR}",
            mailer,
        ]
    else:
        heads = [
            "Content-Type: multipart/alternative;",
            f'\tboundary="{boundary}"',
            mime,
            f"Subject: {subject(r)}",
            f"From: {r.from_header()}",
            *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
            f"Date: {rfc2822_date(r.sent)}",
            f"Message-Id: {msgid}",
            *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
            f"To: {TO_QUOTED}",
            mailer,
        ]
    plain_p = part("text/plain", plain_txt, "utf-8", "quoted-printable", fold=True)
    html_p = part("text/html", html_txt, "utf-8", "quoted-printable", fold=True)
    return "\n".join(heads) + "\n\n" + alternative(boundary, plain_p, html_p)


# ---------------------------------------------------------------------------------------------
# Thunderbird (plain text, format=flowed, 8bit)

_TB_ATTR: dict[str, Callable[[datetime], str]] = {
    "de": lambda d: f"Am {d:%d.%m.%y} um {d:%H:%M} schrieb {nl.FROM_NAME}:",
    "nl": lambda d: f"Op {d:%d-%m-%Y} om {d:%H:%M} schreef {nl.FROM_NAME}:",
    "en-US": lambda d: (
        f"On {d:%m/%d/%y} {d.hour % 12 or 12}:{d:%M} {ampm(d)}, {nl.FROM_NAME} wrote:"
    ),
}


def thunderbird(r: Reply) -> str:
    attr = _TB_ATTR[r.locale](nl_local(r))
    text = f"{r.composed()}\n\n{attr}\n{nl.quoted('thunderbird')}\n"
    body = flowed(text)
    heads = [
        f"Message-ID: <{r.uuid('tb').lower()}@{r.domain}>",
        f"Date: {rfc2822_date(r.sent)}",
        "MIME-Version: 1.0",
        "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:102.0) Gecko/20100101",
        " Thunderbird/102.8.0",
        f"Subject: {subject(r)}",
        f"Content-Language: {({'de': 'de-DE', 'nl': 'nl'}).get(r.locale, 'en-US')}",
        f"To: {TO_QUOTED}",
        *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
        f"From: {r.from_header()}",
        *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
        "Content-Type: text/plain; charset=UTF-8; format=flowed",
        "Content-Transfer-Encoding: 8bit",
    ]
    return "\n".join(heads) + "\n\n" + body + "\n"


# ---------------------------------------------------------------------------------------------
# Yahoo Mail (web)


def yahoo(r: Reply) -> str:
    d = attr_time(nl.SENT, -5)
    attr = (
        f"On Friday, February {d.day}, {d.year} at {d:%I:%M:%S} {'AM' if d.hour < 12 else 'PM'}"
        f" EST, {NL_ADDR} wrote:"
    )
    own = r.composed()
    plain_txt = f"{own}\n\n\n    {attr}  \n \n {nl.plain('outlook')}\n"
    millis = int(r.sent.timestamp() * 1000)
    boundary = f"----=_Part_{int(r.hexid(7, 'y1'), 16)}_{int(r.hexid(9, 'y2'), 16)}.{millis}"
    qid = int(r.hexid(6, "yq"), 16)
    ydiv = divs(own, "div", ' dir="ltr" data-setdir="false"')
    html_txt = (
        '<html><head></head><body><div class="ydp3f7c2a1byahoo-style-wrap" '
        'style="font-family:Helvetica Neue, Helvetica, Arial, sans-serif;font-size:16px;">'
        f"{ydiv}</div><div><br></div>"
        f'<div id="yahoo_quoted_{qid}" class="yahoo_quoted">\n'
        "<div style=\"font-family:'Helvetica Neue', Helvetica, Arial, sans-serif;"
        'font-size:13px;color:#26282a;">\n'
        f"<div>\n{html_escape(attr)}\n</div>\n<div><br></div>\n<div><br></div>\n"
        f'<div><div id="yiv{qid}">{nl.html()}</div></div>\n</div>\n</div></body></html>\n'
    )
    msgid = r.msgid or (
        f"<{int(r.hexid(9, 'm1'), 16) % 2000000000}.{int(r.hexid(6, 'm2'), 16)}."
        f"{int(r.sent.timestamp() * 1000)}@mail.yahoo.com>"
    )
    heads = [
        f"Date: {rfc2822_date(r.sent.astimezone(tz(0)))}",
        f"From: {r.from_header()}",
        f"To: {NL_ADDR}",
        f"Message-ID: {msgid}",
        *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
        *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
        f"Subject: {subject(r)}",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; ",
        f'\tboundary="{boundary}"',
        "X-Mailer: WebService/1.1.21183 YMailNorrin",
    ]
    return (
        "\n".join(heads)
        + "\n\n"
        + alternative(
            boundary,
            part("text/plain", plain_txt, "UTF-8", "quoted-printable"),
            part("text/html", html_txt, "UTF-8", "quoted-printable"),
        )
    )


# ---------------------------------------------------------------------------------------------
# Proton Mail


def proton(r: Reply) -> str:
    d = nl_local(r)
    suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    attr = f"On {d:%A}, {d:%B} {d.day}{suffix}, {d.year} at {d:%H:%M}, {NL_ADDR} wrote:"
    own = r.composed()
    plain_txt = (
        f"{own}\n\nSent with Proton Mail secure email.\n\n"
        f"------- Original Message -------\n{attr}\n\n\n{nl.quoted('apple')}\n"
    )
    html_txt = (
        f'<div style="font-family: Arial, sans-serif; font-size: 14px;">'
        f'{paragraphs_br(own)}</div><div style="font-family: Arial, sans-serif; font-size: 14px;">'
        '<br></div>\n<div class="protonmail_signature_block" '
        'style="font-family: Arial, sans-serif; '
        'font-size: 14px;">\n    <div class="protonmail_signature_block-user '
        'protonmail_signature_block-empty">\n        \n            </div>\n    \n            '
        '<div class="protonmail_signature_block-proton">\n        Sent with <a target="_blank" '
        'href="https://proton.me/" rel="noopener noreferrer">Proton Mail</a> secure email.\n'
        "    </div>\n</div>\n"
        '<div class="protonmail_quote">\n        ------- Original Message -------<br>\n'
        f"        {html_escape(attr)}<br><br>\n"
        f'        <blockquote class="protonmail_quote" type="cite">\n            {nl.html()}\n'
        "        </blockquote><br>\n    </div>\n"
    )
    boundary = f"b1_{fake_b64('pb' + r.seed, 43).replace('/', 'x').replace('+', 'y')}"
    msgid = r.msgid or (
        f"<{fake_b64('pm' + r.seed, 86).replace('/', '_').replace('+', '-')}=@proton.me>"
    )
    heads = [
        f"Date: {rfc2822_date(r.sent.astimezone(tz(0)))}",
        f"To: {NL_ADDR}",
        f"From: {r.from_header()}",
        f"Subject: {subject(r)}",
        f"Message-ID: {msgid}",
        *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
        *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
        f"Feedback-ID: {int(r.hexid(8, 'fb'), 16) % 90000000}:user:proton",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative;",
        f' boundary="{boundary}"',
    ]
    return (
        "\n".join(heads)
        + "\n\n"
        + "This is a multi-part message in MIME format.\n\n"
        + alternative(
            boundary,
            part("text/plain", plain_txt, "utf-8", "quoted-printable"),
            part("text/html", html_txt, "utf-8", "base64"),
        )
    )


# ---------------------------------------------------------------------------------------------
# Fastmail (web)


def fastmail(r: Reply) -> str:
    d = nl_local(r)
    attr = f"On Fri, {d.day} Feb {d.year}, at {d:%H:%M}, {NL_ADDR} wrote:"
    own = r.composed()
    plain_txt = f"{own}\n\n{attr}\n{nl.quoted('apple')}\n"
    html_txt = (
        '<!DOCTYPE html><html><head><title></title><style type="text/css">'
        "p.MsoNormal,p.MsoNoSpacing{margin:0}</style></head><body>"
        f"{divs(own)}<div><br></div><div>{html_escape(attr)}</div>"
        f'<blockquote type="cite" id="qt" style="">{nl.html()}</blockquote>'
        "<div><br></div></body></html>\n"
    )
    boundary = f"{r.hexid(32, 'fm')}"
    heads = [
        "MIME-Version: 1.0",
        f"Message-Id: <{r.uuid('fm').lower()}@app.fastmail.com>",
        *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
        *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
        "User-Agent: Cyrus-JMAP/3.9.0-alpha0-156-g8d1ac5d2b1-fm-20230221.001-g8d1ac5d2",
        f"Date: {rfc2822_date(r.sent)}",
        f"From: {r.from_header()}",
        f"To: {TO_QUOTED}",
        f"Subject: {subject(r)}",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    return (
        "\n".join(heads)
        + "\n\n"
        + alternative(
            boundary,
            part("text/plain", plain_txt, "utf-8", "quoted-printable"),
            part("text/html", html_txt, "utf-8", "quoted-printable"),
        )
    )


# ---------------------------------------------------------------------------------------------
# Samsung Email (HTML only)


def gmt_offset(d: datetime) -> str:
    z = f"{d:%z}"
    return f"{z[:3]}:{z[3:]}"


def samsung(r: Reply) -> str:
    d = nl_local(r)
    own = r.composed()
    html_txt = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>'
        f'<body><div dir="auto">{paragraphs_br(own)}</div><div dir="auto"><br></div>'
        '<div dir="auto"><br></div><div id="composer_signature" dir="auto">'
        '<div style="font-size:85%;color:#575757" dir="auto">Sent from my Galaxy</div></div>'
        '<div dir="auto"><br></div><div align="left" dir="auto" style="font-size:100%;'
        'color:#000000"><div>-------- Original message --------</div>'
        f"<div>From: {html_escape(NL_ADDR)} </div>"
        f"<div>Date: {d:%d/%m/%Y} {d:%H:%M} (GMT{gmt_offset(d)}) </div>"
        f"<div>To: {html_escape(r.addr)} </div><div>Subject: {html_escape(nl.SUBJECT)} </div>"
        f"<div><br></div></div>{nl.html()}</body></html>\n"
    )
    heads = [
        f"Message-ID: <{fake_b64('sm' + r.seed, 24).replace('/', 'x').replace('+', 'z')}"
        f"@email.android.com>",
        f"Date: {rfc2822_date(r.sent)}",
        f"Subject: {subject(r, 'Re: ')}",
        *([f"In-Reply-To: {nl.MESSAGE_ID}"] if r.reply else []),
        *([f"References: {nl.MESSAGE_ID}"] if r.reply else []),
        f"To: {NL_ADDR}",
        f"From: {r.from_header()}",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
    ]
    return "\n".join(heads) + "\n\n" + b64_body(html_txt, "utf-8")
