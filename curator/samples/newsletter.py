"""The Signal issue the sample readers reply to (Friday 24 February 2023, the TikTok question).

Shared by the bundled sample mailbox and the benchmark generator, so both quote the same
newsletter the way each mail client renders it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from curator.samples._mime import html_escape

MESSAGE_ID = "<20230224101742.7d41c9e03b58@mail.gzeromedia.com>"
FROM_NAME = "Signal | GZERO Media"
FROM_ADDR = "signal@gzeromedia.com"
SUBJECT = "Should the EU ban TikTok?"
SENT = datetime(2023, 2, 24, 10, 17, 42, tzinfo=UTC)
URL = (
    "https://www.gzeromedia.com/news/signal/should-the-eu-ban-tiktok"
    "?utm_source=newsletter&utm_medium=email&utm_campaign=signal_20230224"
)

DATELINE = "Friday, February 24, 2023"
HEADLINE = "Should the EU ban TikTok?"
CAPTION = "The TikTok logo on a smartphone screen."
CREDIT = "REUTERS/Dado Ruvic"

BODY = (
    "On Thursday, the European Commission told its 32,000 staff to delete TikTok from their "
    "work phones \u2013 and from any personal phone that has Commission apps on it \u2013 by "
    "March 15. It is the first time an EU institution has banned a consumer app outright, and "
    "it follows a similar ban on US federal devices that Congress tucked into December\u2019s "
    "spending bill.",
    "TikTok, which is owned by Beijing-based ByteDance, says the decision is misguided and "
    "that it has never handed European user data to the Chinese government. Critics point to "
    "China\u2019s 2017 National Intelligence Law, which obliges companies to \u201csupport, "
    "assist and cooperate\u201d with state intelligence work, and to ByteDance\u2019s admission "
    "in December that some of its employees used the app to track journalists who were "
    "reporting on the company.",
    "Now the question is whether to go further. Some US lawmakers want the app banned "
    "nationwide, and a handful of European politicians have floated the same idea. Defenders "
    "of the app \u2013 which says it has 125 million monthly users in the EU, many of them "
    "under 25 \u2013 argue that singling out one platform is theater when Europeans\u2019 data "
    "is bought and sold by brokers every day, and that banning it would hand Beijing a "
    "propaganda gift about Western hypocrisy on free speech.",
)
ASK_LEAD = "So we want to hear from you:"
ASK = (
    "Should the EU ban TikTok on government devices \u2013 or everywhere? Or is a ban the "
    "wrong tool altogether? Reply to this email. We\u2019ll include the best responses in an "
    "upcoming issue. Please include your name and location as you\u2019d like them to appear."
)
WATCH_HEAD = "What We\u2019re Watching"
WATCH_TITLE = "Nigeria votes"
WATCH = (
    "On Saturday, Nigerians go to the polls to choose a successor to President Muhammadu "
    "Buhari. For the first time since the return to civilian rule in 1999, a third-party "
    "candidate \u2013 Labour\u2019s Peter Obi, who draws huge crowds of young voters \u2013 could "
    "break the hold of the APC and the PDP. Meanwhile, a cash shortage caused by the central "
    "bank\u2019s botched redesign of the naira has left millions queuing at ATMs instead of "
    "at campaign rallies."
)
FOOTER = (
    "Signal is written by the GZERO Media team. You are receiving this email because you "
    "signed up for Signal.",
    "Unsubscribe | Update your preferences | View in browser",
    "GZERO Media \u00b7 New York, NY",
)


def plain(style: str = "gmail") -> str:
    """The newsletter as a client's plain-text part shows it (``\\n`` line ends).

    ``style``: ``gmail`` (images become ``[image: …]``), ``outlook`` (images dropped),
    ``thunderbird`` (bold becomes ``*…*``), ``apple`` (no image text).
    """
    lines: list[str] = []
    if style == "gmail":
        lines += ["[image: GZERO Signal]", ""]
    else:
        lines += ["GZERO SIGNAL", ""]
    lines += [DATELINE, ""]
    lines += [f"*{HEADLINE}*" if style == "thunderbird" else HEADLINE, ""]
    if style == "gmail":
        lines += [f"[image: {CAPTION}]", f"{CAPTION}", CREDIT, ""]
    else:
        lines += [CAPTION, CREDIT, ""]
    for p in BODY:
        lines += [p, ""]
    bold = f"*{ASK_LEAD}*" if style in ("thunderbird", "gmail") else ASK_LEAD
    lines += [f"{bold} {ASK}", ""]
    lines += [WATCH_HEAD.upper(), "", WATCH_TITLE, "", WATCH, ""]
    lines += [FOOTER[0], "", FOOTER[1], "", FOOTER[2]]
    return "\n".join(lines)


def html() -> str:
    """The newsletter's HTML body (one long line per block, as ESPs send it)."""
    e = html_escape
    p = '<p style="margin:0 0 16px 0">'
    body = "".join(f"{p}{e(x)}</p>" for x in BODY)
    return (
        '<div style="background:#f2f2f2;margin:0;padding:0">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
        '<tr><td align="center" style="padding:12px 0">'
        '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" '
        'style="width:600px;background:#ffffff">\n'
        '<tr><td style="padding:18px 24px;border-bottom:4px solid #1a1a1a">'
        f'<a href="{e(URL)}"><img src="https://www.gzeromedia.com/media-library/signal-logo.png"'
        ' alt="GZERO Signal" width="160" height="32" style="display:block;border:0"></a>'
        "</td></tr>\n"
        '<tr><td style="padding:16px 24px 24px 24px;font-family:Arial,Helvetica,sans-serif;'
        'font-size:16px;line-height:24px;color:#222222">'
        f'<p style="margin:0 0 4px 0;font-size:12px;color:#888888">{e(DATELINE)}</p>'
        f'<h1 style="margin:0 0 14px 0;font-size:26px;line-height:31px">{e(HEADLINE)}</h1>'
        '<img src="https://www.gzeromedia.com/media-library/tiktok-logo-smartphone.jpg" '
        f'alt="{e(CAPTION)}" width="552" style="display:block;width:100%;border:0">'
        f'<p style="margin:4px 0 16px 0;font-size:12px;color:#888888">{e(CAPTION)}<br>'
        f"{e(CREDIT)}</p>\n"
        f"{body}\n"
        f"{p}<strong>{e(ASK_LEAD)}</strong> {e(ASK)}</p>\n"
        '<h3 style="margin:24px 0 6px 0;font-size:13px;letter-spacing:1px">'
        f"{e(WATCH_HEAD.upper())}</h3>"
        f'<h2 style="margin:0 0 10px 0;font-size:20px">{e(WATCH_TITLE)}</h2>'
        f"{p}{e(WATCH)}</p>\n"
        "</td></tr>\n"
        '<tr><td style="padding:16px 24px;font-size:12px;line-height:18px;color:#888888;'
        f'font-family:Arial,Helvetica,sans-serif">{e(FOOTER[0])}<br>'
        '<a href="https://www.gzeromedia.com/unsubscribe">Unsubscribe</a> | '
        '<a href="https://www.gzeromedia.com/preferences">Update your preferences</a> | '
        f'<a href="{e(URL)}">View in browser</a><br>{e(FOOTER[2])}</td></tr>\n'
        "</table></td></tr></table></div>"
    )


def quoted(style: str = "gmail", marker: str = "> ") -> str:
    """``plain(style)`` with every line prefixed by ``marker`` (empty lines get ``>``)."""
    bare = marker.rstrip()
    return "\n".join(f"{marker}{line}" if line else bare for line in plain(style).split("\n"))
