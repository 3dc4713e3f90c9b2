"""Connecting to an IMAP server with imapclient: TLS verified, timeouts set, errors classified."""

from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
from collections.abc import Iterator

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from curator.config import MailboxConfig
from curator.errors import AuthError, MailError, TLSError, TransientMailError

log = logging.getLogger(__name__)


def tls_context(mailbox: MailboxConfig) -> ssl.SSLContext:
    """Verification and hostname checks stay on; a configured CA replaces the system store."""
    if mailbox.ca_file is not None:
        return ssl.create_default_context(cafile=str(mailbox.ca_file))
    return ssl.create_default_context()


@contextlib.contextmanager
def connect(mailbox: MailboxConfig, password: str) -> Iterator[IMAPClient]:
    """A logged-in client; raises `AuthError`, `TLSError`, `TransientMailError` or `MailError`.

    ``password`` is the OAuth access token for a mailbox with ``[mailboxes.oauth2]``.
    """
    where = f"{mailbox.name} ({mailbox.host}:{mailbox.port})"
    with classify_errors(where):
        client = IMAPClient(
            mailbox.host,
            port=mailbox.port,
            ssl=mailbox.security == "ssl",
            ssl_context=tls_context(mailbox) if mailbox.security == "ssl" else None,
            timeout=SocketTimeout(connect=mailbox.connect_timeout, read=mailbox.read_timeout),
        )
    try:
        with classify_errors(where):
            client.normalise_times = False  # keep INTERNALDATE's zone: we store UTC-aware times
            if mailbox.security == "starttls":
                client.starttls(tls_context(mailbox))
            _login(client, mailbox, password, where)
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.logout()
        with contextlib.suppress(Exception):
            client.shutdown()


def _login(client: IMAPClient, mailbox: MailboxConfig, secret: str, where: str) -> None:
    try:
        if mailbox.oauth2 is None:
            client.login(mailbox.username, secret)
        elif mailbox.oauth2.mechanism == "OAUTHBEARER":
            client.oauthbearer_login(mailbox.username, secret)  # RFC 7628
        else:
            client.oauth2_login(mailbox.username, secret, mech="XOAUTH2")
    except LoginError as exc:
        if mailbox.oauth2 is None:
            fix = "check the username and password source"
        elif mailbox.oauth2.token_command:
            fix = "check oauth2.token_command and that the token is for this user"
        else:
            fix = f"run `curator auth login --mailbox {mailbox.name}`"
        raise AuthError(
            f"{where}: the server refused the login for {mailbox.username!r} "
            f"({_server_text(exc)}) — {fix}"
        ) from None


@contextlib.contextmanager
def classify_errors(where: str) -> Iterator[None]:
    """Map socket, TLS and protocol failures onto curator's error classes."""
    try:
        yield
    except (AuthError, MailError):
        raise
    except ssl.SSLCertVerificationError as exc:
        raise TLSError(
            f"{where}: certificate not trusted ({exc.verify_message}) — fix the server "
            "certificate or set ca_file for a private CA"
        ) from None
    except socket.gaierror as exc:
        raise TransientMailError(f"{where}: cannot resolve host ({exc.strerror})") from None
    except (IMAPClientAbortError, imaplib.IMAP4.abort) as exc:
        raise TransientMailError(f"{where}: connection dropped ({exc})") from None
    except (TimeoutError, ssl.SSLError, OSError) as exc:
        raise TransientMailError(f"{where}: network error ({exc})") from None
    except (IMAPClientError, imaplib.IMAP4.error) as exc:
        raise MailError(f"{where}: server said: {_server_text(exc)}") from None


def _server_text(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text.strip() or exc.__class__.__name__
