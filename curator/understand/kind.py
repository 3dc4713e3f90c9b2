"""What kind of mail is this? Header evidence first (here), then the content (content.py).

Order (research/reply_extraction.md §6): delivery reports → bounce, before RFC 3834
auto-reply headers (bounces often carry them too), then spam verdicts, then content rules
for out-of-office text, unsubscribe one-liners, forwards and empty replies.
``X-Auto-Response-Suppress`` is not evidence: Exchange adds it to ordinary replies.
"""

from __future__ import annotations

import re

from curator.understand.content import (
    AUTO_BODY_FORMS,
    AUTO_SUBJECT_FORMS,
    UNSUBSCRIBE_FORMS,
    find_content_kind,
    is_about_another_story,
)
from curator.understand.labels import (
    AUTO_REPLY,
    BOUNCE,
    EMPTY,
    FORWARD,
    OFF_TOPIC,
    RESPONSE,
    SPAM,
    UNSUBSCRIBE,
    has_any,
)
from curator.understand.mime import ParsedMail

__all__ = [
    "AUTO_BODY_FORMS",
    "AUTO_REPLY",
    "AUTO_SUBJECT_FORMS",
    "BOUNCE",
    "EMPTY",
    "FORWARD",
    "OFF_TOPIC",
    "RESPONSE",
    "SPAM",
    "UNSUBSCRIBE",
    "UNSUBSCRIBE_FORMS",
    "find_content_kind",
    "find_header_kind",
    "is_about_another_story",
]

# Senders of delivery reports: "MAILER-DAEMON@mx.example.com", "MAILER-DAEMON <>",
# "Mail Delivery Subsystem <…>", "postmaster@…".
_DAEMON_SENDER = re.compile(
    r"(?:^|[<\s\"])(?:mailer[-_]?daemon|post[-_]?master)\b|mail delivery (?:sub)?system", re.I
)
# Robot senders that also send other notices: "mdaemon@", "no-reply@", "System
# Administrator", list robots ("-admin@", "-owner@", "-request@").
_SYSTEM_SENDER = re.compile(
    r"(?:^|[<\s\"])(?:mdaemon|no[-_.]?reply|do[-_.]?not[-_.]?reply|mailadmin|mail[-_.]?admin"
    r"|system\s*administrator|administrator|root|mailer|smtp|mta)\b|[-_](?:admin|owner|request"
    r"|bounces?)@|^\s*$",
    re.I,
)
# Subjects MTAs give their bounce reports (Postfix, Exim, Sendmail, qmail, Exchange, Gmail…).
_BOUNCE_SUBJECT = re.compile(
    r"(?:^|\W)(?:undeliver(?:ed|able)|undelivered mail|returned mail"
    r"|mail delivery (?:failed|failure"
    r"|subsystem|system)|delivery (?:status notification|failure|notification|report"
    r"|has failed|failed)|failure notice|non[- ]?deliver|nondeliverable|unzustellbar"
    r"|non remis|não entregue|mail system error|message (?:not delivered|undeliverable)"
    r"|warning: could not send|could not send message|returned to sender|delivery problem"
    r"|unable to deliver|message delivery failure|Zustellung|notificación de estado"
    r"|DSN|Mail could not be delivered|Nicht zustellbar|Mail failure|error sending"
    r"|mail error|delivery (?:status )?warning|permanent delivery failure|user unknown"
    r"|メールエラー|エラー通知)",
    re.I,
)
# Words every _BOUNCE_SUBJECT form holds (lower-cased): most subjects skip the regex.
_BOUNCE_SUBJECT_HINTS = (
    "deliver",
    "return",
    "fail",
    "notice",
    "non",
    "mail",
    "error",
    "warning",
    "unknown",
    "dsn",
    "unable",
    "zustell",
    "remis",
    "entregue",
    "problem",
    "notificación",
    "エラー",
    "could not send",
)
# Bounce wording in the text of a plain-text report (qmail, old Sendmail, Lotus, Yahoo).
_BOUNCE_BODY = re.compile(
    r"(?:This is the (?:qmail-send program|mail system|Postfix program|mail delivery"
    r" (?:agent|system))"  # qmail: "Hi. This is the qmail-send program at …"
    r"|I'm afraid I wasn't able to deliver"  # qmail
    r"|could not be delivered to\b|could not deliver (?:the )?message to"  # Exim, Exchange, KDDI
    r"|There was an error delivering your mail"  # DragonFly Mail Agent
    r"|\"notificationType\"\s*:\s*\"(?:Bounce|Complaint|Delivery)\""  # Amazon SES feedback (SNS)
    r"|n'a pas pu (?:ê|e)tre (?:d(?:é|e)livr|remis)|konnte nicht zugestellt"  # fr, de
    r"|not a member of this (?:mailing )?list|Loop Alert"  # fml and other list servers
    r"|following (?:address(?:es)?|recipients?) (?:had permanent|failed|could not)"
    r"|message (?:could not|was not|cannot) be delivered"
    r"|delivery to the following recipients? (?:failed|has failed|was unsuccessful)"
    r"|Your message (?:did not|was not|could not|wasn't) (?:reach|be delivered|delivered)"
    r"|permanent(?:ly)? (?:fatal )?errors?|undeliverable to|Delivery has failed"
    r"|\b5\.\d{1,3}\.\d{1,3}\b.{0,80}(?:user unknown|not found|does not exist|rejected|"
    r"unavailable|no such)|(?:user|mailbox) (?:unknown|not found|unavailable|does not exist)"
    r"|no such (?:user|mailbox)|Unrouteable address|host unknown)",
    re.I,
)


def find_header_kind(mail: ParsedMail) -> str | None:
    """A kind the headers and MIME structure prove on their own, or None."""
    auto = _is_auto_submitted(mail)
    if _is_delivery_report(mail, auto):
        return BOUNCE
    if auto:
        return AUTO_REPLY
    if _is_spam(mail):
        return SPAM
    return None


def _is_delivery_report(mail: ParsedMail, auto: bool) -> bool:
    if mail.content_type == "multipart/report":
        return True  # RFC 3462/6522: delivery-status, feedback-report (ARF), disposition
    if any(
        t
        in ("message/delivery-status", "message/feedback-report", "message/global-delivery-status")
        for t in mail.part_types
    ):
        return True
    sender = mail.header("from")
    senders = (sender + " " + mail.header("return-path")).lower()
    if has_any(senders, ("daemon", "postmaster", "post-master", "post_master", "delivery")) and (
        _DAEMON_SENDER.search(senders)
    ):
        return True
    robot = (
        mail.header("return-path").strip() == "<>"  # the null reverse-path, RFC 5321 §4.5.5
        or auto
        or _is_system_sender(sender)
    )
    subject = mail.header("subject")
    if has_any(subject.lower(), _BOUNCE_SUBJECT_HINTS) and _BOUNCE_SUBJECT.search(subject):
        return robot or bool(_BOUNCE_BODY.search(mail.text[:8000]))
    return robot and bool(_BOUNCE_BODY.search(mail.text[:8000]))


# Words one of _SYSTEM_SENDER's forms needs (lower-cased), to skip the regex for people.
_SYSTEM_HINTS = (
    "daemon",
    "reply",
    "admin",
    "root",
    "mailer",
    "smtp",
    "mta",
    "owner",
    "request",
    "bounce",
)


def _is_system_sender(sender: str) -> bool:
    low = sender.lower()
    if sender.strip() and not has_any(low, _SYSTEM_HINTS):
        return False
    return bool(_SYSTEM_SENDER.search(sender))


def _is_auto_submitted(mail: ParsedMail) -> bool:
    auto = mail.header("auto-submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return True  # RFC 3834: auto-generated, auto-replied, auto-notified
    for name in ("x-autoreply", "x-autorespond", "x-auto-reply", "x-autoresponder"):
        if name in mail.headers:
            return True
    precedence = mail.header("precedence").strip().lower()
    if precedence in ("bulk", "junk", "auto_reply", "list"):
        return True  # what vacation(1) and list servers set; never a person typing
    if mail.header("x-mailman-version") or mail.header("list-id"):
        return True  # list traffic: distributed by a robot, not sent to us by a reader
    return bool(mail.header("x-challenge-response") or mail.header("x-cr-hashedpuzzle"))


_SPAM_STATUS = re.compile(r"\s*yes\b", re.I)  # X-Spam-Status: Yes, score=7.1 (SpamAssassin)
_SPAM_VERDICT = re.compile(r"\s*(?:yes|spam)\b", re.I)  # X-Spam: Yes (rspamd, Proofpoint)
_AUTH_FAILED = re.compile(r"\bdmarc=fail\b|\bspf=fail\b")  # Authentication-Results (RFC 8601)


def _is_spam(mail: ParsedMail) -> bool:
    if mail.header("x-spam-flag").strip().lower().startswith("yes"):
        return True
    if _SPAM_STATUS.match(mail.header("x-spam-status")):
        return True
    if mail.header("x-ses-spam-verdict").strip().upper() == "FAIL":
        return True
    if _SPAM_VERDICT.match(mail.header("x-spam")):
        return True
    results = mail.header("authentication-results").lower()
    if "=fail" in results and _AUTH_FAILED.search(results):
        return True  # a forged sender: the receiving server says so
    # Unsolicited bulk mail: a List-Unsubscribe header on mail that answers nothing of ours.
    return bool(mail.header("list-unsubscribe")) and not (
        mail.header("in-reply-to") or mail.header("references")
    )
