"""`curator doctor`'s look at one mailbox, step by step, so the first broken step is named:
DNS, TCP, TLS (certificate trusted, expiry), sign-in, login, folder, and the capabilities that
`watch` (IDLE) and the after-ingest action (MOVE, UIDPLUS, PERMANENTFLAGS) rely on.
Nothing is changed on the server: the folder is only examined."""

from __future__ import annotations

import socket
import ssl
import time
from typing import Any

from imapclient import IMAPClient

from curator.config import MailboxConfig
from curator.errors import CuratorError
from curator.health import Check
from curator.mail.actions import unsupported_reason
from curator.mail.imap import classify_errors, connect, tls_context
from curator.mail.oauth import resolve_secret

EXPIRY_WARNING_DAYS = 14


def probe_mailbox(mailbox: MailboxConfig) -> list[Check]:
    checks: list[Check] = []
    for step in (_dns, _tcp_and_tls):
        found = step(mailbox)
        checks += found
        if not all(c.ok for c in found):
            return checks
    return checks + _session(mailbox)


def from_error(name: str, exc: CuratorError) -> Check:
    """A ✗ line from an expected error: "what happened — what to do" split in two."""
    detail, _, fix = str(exc).partition(" — ")
    return Check(name, False, detail, fix)


def _dns(mailbox: MailboxConfig) -> list[Check]:
    name = f"{mailbox.name}: DNS"
    try:
        infos = socket.getaddrinfo(mailbox.host, mailbox.port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return [
            Check(
                name,
                False,
                f"cannot resolve {mailbox.host} ({exc.strerror})",
                "check host in the config and this machine's DNS",
            )
        ]
    addresses = sorted({str(info[4][0]) for info in infos})
    return [Check(name, True, f"{mailbox.host} → {', '.join(addresses[:3])}")]


def _tcp_and_tls(mailbox: MailboxConfig) -> list[Check]:
    started = time.perf_counter()
    try:
        sock = socket.create_connection(
            (mailbox.host, mailbox.port), timeout=mailbox.connect_timeout
        )
    except OSError as exc:
        return [
            Check(
                f"{mailbox.name}: TCP",
                False,
                f"cannot connect to {mailbox.host}:{mailbox.port} ({exc})",
                "check port and security, and that a firewall lets this port out",
            )
        ]
    with sock:
        tcp = Check(
            f"{mailbox.name}: TCP",
            True,
            f"{mailbox.host}:{mailbox.port} in {(time.perf_counter() - started) * 1000:.0f} ms",
        )
        if mailbox.security == "none":
            return [
                tcp,
                Check(
                    f"{mailbox.name}: TLS",
                    True,
                    "not used (security = none, loopback)",
                    "use ssl or starttls for anything but a local test server",
                    warning=True,
                ),
            ]
        return [tcp, _tls(mailbox, sock)]


def _tls(mailbox: MailboxConfig, sock: socket.socket) -> Check:
    name = f"{mailbox.name}: TLS"
    try:
        if mailbox.security == "starttls" and not _starttls(sock):
            return Check(name, False, "the server refused STARTTLS", 'try security = "ssl"')
        with tls_context(mailbox).wrap_socket(sock, server_hostname=mailbox.host) as tls:
            cert: dict[str, Any] = tls.getpeercert() or {}
            version = tls.version()
    except ssl.SSLCertVerificationError as exc:
        return Check(
            name,
            False,
            f"certificate not trusted ({exc.verify_message})",
            "fix the server certificate, or set ca_file for a private CA",
        )
    except (ssl.SSLError, OSError) as exc:
        return Check(
            name,
            False,
            f"TLS handshake failed ({exc})",
            "check security (ssl on 993, starttls on 143)",
        )
    days = (ssl.cert_time_to_seconds(cert["notAfter"]) - time.time()) / 86400
    detail = f"{version}, certificate valid, expires in {days:.0f} days ({cert['notAfter']})"
    if days < EXPIRY_WARNING_DAYS:
        return Check(name, True, detail, "renew the server certificate soon", warning=True)
    return Check(name, True, detail)


def _starttls(sock: socket.socket) -> bool:
    """RFC 3501 §6.2.1 by hand, so the certificate can be looked at like for implicit TLS."""
    reader = sock.makefile("rb")
    try:
        reader.readline()  # greeting
        sock.sendall(b"d1 STARTTLS\r\n")
        while line := reader.readline():
            if line.startswith(b"d1 "):
                return line[3:5].upper() == b"OK"
        return False
    finally:
        reader.close()


def _session(mailbox: MailboxConfig) -> list[Check]:
    try:
        secret = resolve_secret(mailbox)
    except CuratorError as exc:
        return [from_error(f"{mailbox.name}: sign-in", exc)]
    how = "a password" if mailbox.oauth2 is None else mailbox.oauth2.mechanism
    try:
        with connect(mailbox, secret) as client:
            checks = [Check(f"{mailbox.name}: login", True, f"{mailbox.username} with {how}")]
            with classify_errors(mailbox.name):
                return checks + _folder_and_capabilities(mailbox, client)
    except CuratorError as exc:
        return [from_error(f"{mailbox.name}: login", exc)]


def _folder_and_capabilities(mailbox: MailboxConfig, client: IMAPClient) -> list[Check]:
    name = f"{mailbox.name}: folder"
    if not client.folder_exists(mailbox.folder):
        folders = ", ".join(str(f[2]) for f in client.list_folders()[:8])
        return [
            Check(
                name,
                False,
                f"{mailbox.folder!r} does not exist",
                f"set folder to one of: {folders}",
            )
        ]
    status = client.select_folder(mailbox.folder, readonly=True)
    checks = [
        Check(
            name,
            True,
            f"{mailbox.folder}: {status.get(b'EXISTS', 0)} messages, "
            f"UIDVALIDITY {status.get(b'UIDVALIDITY')}",
        )
    ]
    caps = {c: bool(client.has_capability(c)) for c in ("IDLE", "MOVE", "UIDPLUS")}
    listed = ", ".join(f"{c} {'yes' if ok else 'no'}" for c, ok in caps.items())
    checks.append(
        Check(
            f"{mailbox.name}: capabilities",
            True,
            listed,
            "" if caps["IDLE"] else "no IDLE: `curator watch` polls at --interval instead",
            warning=not caps["IDLE"],
        )
    )
    if mailbox.after_ingest != "keep":
        checks.append(_action_check(mailbox, client))
    return checks


def _action_check(mailbox: MailboxConfig, client: IMAPClient) -> Check:
    name = f"{mailbox.name}: after_ingest"
    if mailbox.after_ingest == "flag":
        # EXAMINE reports no PERMANENTFLAGS; SELECT does (and changes nothing but \Recent).
        selected = client.select_folder(mailbox.folder, readonly=False)
    else:
        selected = {}
    problem = unsupported_reason(mailbox, client, selected)
    if problem:
        reason, _, _ = problem.partition(" — ")
        return Check(name, False, reason, 'set after_ingest = "keep" or another action')
    target = (
        mailbox.after_ingest_flag if mailbox.after_ingest == "flag" else mailbox.after_ingest_folder
    )
    how = "MOVE" if client.has_capability("MOVE") else "COPY + UID EXPUNGE"
    detail = f"flag {target}" if mailbox.after_ingest == "flag" else f"move to {target} ({how})"
    return Check(name, True, detail)
