"""OAuth 2.0 sign-in for IMAP (Gmail, Microsoft 365): access tokens for XOAUTH2 / OAUTHBEARER.

An access token comes from one of two places (research §3.3, G14):

* ``oauth2.token_command`` — an external helper (oauth2l, a company script) prints one, like
  mbsync's PassCmd; curator keeps nothing.
* curator's token store, ``$CURATOR_HOME/tokens/<mailbox>.json`` (0600, directory 0700), filled by
  ``curator auth login`` with the device-code flow (RFC 8628). The refresh token is long-lived;
  the access token is refreshed well before it expires (less than five minutes or a tenth of its
  lifetime left), and a rotated refresh token is written atomically (tmp, fsync, rename) under a
  lock, so a cron poll and ``curator watch`` refreshing at once cannot lose the grant.

An expired or revoked grant (``invalid_grant``) is final: `OAuthGrantError` (exit 2) names the
command that fixes it instead of retrying. Only the standard library (urllib) talks HTTP.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curator.config import MailboxConfig, OAuth2Config, curator_home, run_secret_command
from curator.errors import ConfigError, CuratorError, ExitCode, TransientMailError

REFRESH_MARGIN = 300.0  # refresh when fewer seconds than this are left…
REFRESH_FRACTION = 0.1  # …or less than this part of the token's lifetime
HTTP_TIMEOUT = 30.0
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class OAuthGrantError(CuratorError):
    """The sign-in is missing, expired, revoked or declined: a person must sign in again."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Provider:
    device_endpoint: str
    token_endpoint: str
    scopes: tuple[str, ...]


PROVIDERS = {
    "google": Provider(
        "https://oauth2.googleapis.com/device/code",
        "https://oauth2.googleapis.com/token",
        ("https://mail.google.com/",),
    ),
    # Microsoft's "Authenticate an IMAP, POP or SMTP connection using OAuth".
    "microsoft": Provider(
        "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode",
        "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        ("https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access"),
    ),
}


@dataclass(frozen=True)
class DeviceCode:
    """What the person signing in must see: where to go and which code to type."""

    verification_uri: str
    user_code: str
    device_code: str
    interval: float
    expires_in: float
    message: str | None = None


def resolve_secret(mailbox: MailboxConfig) -> str:
    """The password, or for an OAuth mailbox a current access token. Never logged."""
    from curator.config import resolve_password

    if mailbox.oauth2 is None:
        return resolve_password(mailbox)
    return access_token(mailbox)


def access_token(
    mailbox: MailboxConfig, *, home: Path | None = None, now: Callable[[], float] = time.time
) -> str:
    oauth = _oauth(mailbox)
    where = f"mailbox {mailbox.name!r}"
    if oauth.token_command:
        return run_secret_command(oauth.token_command, where, "oauth2.token_command")
    path = token_path(mailbox.name, home)
    saved = load_tokens(path, mailbox.name)
    if _is_fresh(saved, now()):
        return str(saved["access_token"])
    with _locked(path):
        saved = load_tokens(path, mailbox.name)  # another process may have refreshed meanwhile
        if _is_fresh(saved, now()):
            return str(saved["access_token"])
        return _refresh(mailbox, oauth, path, saved, now())


def token_path(mailbox_name: str, home: Path | None = None) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", mailbox_name)
    return (home or curator_home()) / "tokens" / f"{safe}.json"


def endpoints(oauth: OAuth2Config) -> tuple[str, str, tuple[str, ...]]:
    """(device endpoint, token endpoint, scopes): the provider's, or the configured overrides."""
    known = PROVIDERS.get(oauth.provider)
    device = oauth.device_endpoint or (known.device_endpoint if known else "")
    token = oauth.token_endpoint or (known.token_endpoint if known else "")
    scopes = oauth.scopes or (known.scopes if known else ())
    tenant = urllib.parse.quote(oauth.tenant, safe="")
    return device.format(tenant=tenant), token.format(tenant=tenant), scopes


# ---------------------------------------------------------------------------------------------
# The device-code flow (RFC 8628)


def start_device_login(mailbox: MailboxConfig) -> DeviceCode:
    oauth = _oauth(mailbox)
    device_url, _token_url, scopes = endpoints(oauth)
    where = f"mailbox {mailbox.name!r}"
    data = _post(device_url, {**_client(oauth), "scope": " ".join(scopes)}, where)
    if "error" in data:
        raise _grant_or_config_error(mailbox, data, "device authorization")
    try:
        return DeviceCode(
            # Google says verification_url; RFC 8628 (and Microsoft) verification_uri.
            verification_uri=str(data.get("verification_uri") or data["verification_url"]),
            user_code=str(data["user_code"]),
            device_code=str(data["device_code"]),
            interval=float(data.get("interval", 5)),
            expires_in=float(data.get("expires_in", 900)),
            message=data.get("message"),
        )
    except (KeyError, TypeError, ValueError):
        raise CuratorError(f"{where}: {device_url} sent an incomplete device code") from None


def finish_device_login(
    mailbox: MailboxConfig,
    code: DeviceCode,
    *,
    home: Path | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Wait for the person to approve, store the tokens; return the token file's path."""
    oauth = _oauth(mailbox)
    _device_url, token_url, scopes = endpoints(oauth)
    where = f"mailbox {mailbox.name!r}"
    fields = {**_client(oauth), "grant_type": DEVICE_GRANT, "device_code": code.device_code}
    deadline = time.monotonic() + code.expires_in
    interval = code.interval
    while True:
        sleep(interval)
        data = _post(token_url, fields, where)
        error = data.get("error")
        if error == "authorization_pending":
            pass
        elif error == "slow_down":
            interval += 5  # RFC 8628 §3.5
        elif error:
            raise _grant_or_config_error(mailbox, data, "sign-in")
        else:
            path = token_path(mailbox.name, home)
            with _locked(path):
                save_tokens(path, _token_record(oauth, data, scopes, None, time.time(), where))
            return path
        if time.monotonic() > deadline:
            raise OAuthGrantError(
                f"{where}: the code was not approved in time — run "
                f"`curator auth login --mailbox {mailbox.name}` again"
            )


# ---------------------------------------------------------------------------------------------
# Refreshing and the token file


def _refresh(
    mailbox: MailboxConfig, oauth: OAuth2Config, path: Path, saved: dict[str, Any], now: float
) -> str:
    _device_url, token_url, scopes = endpoints(oauth)
    where = f"mailbox {mailbox.name!r}"
    fields = {
        **_client(oauth),
        "grant_type": "refresh_token",
        "refresh_token": str(saved["refresh_token"]),
        "scope": " ".join(scopes),
    }
    data = _post(token_url, fields, where)
    if "error" in data:
        raise _grant_or_config_error(mailbox, data, "token refresh")
    record = _token_record(oauth, data, scopes, str(saved["refresh_token"]), now, where)
    save_tokens(path, record)
    return str(record["access_token"])


def _token_record(
    oauth: OAuth2Config,
    data: dict[str, Any],
    scopes: tuple[str, ...],
    old_refresh: str | None,
    now: float,
    where: str,
) -> dict[str, Any]:
    access = data.get("access_token")
    refresh = data.get("refresh_token") or old_refresh  # rotated, or the one we had
    if not isinstance(access, str) or not access or not refresh:
        raise CuratorError(
            f"{where}: the token endpoint sent no access or refresh token — does the app ask "
            "for offline access (Microsoft: the offline_access scope)?"
        )
    lifetime = float(data.get("expires_in", 3600))
    return {
        "version": 1,
        "provider": oauth.provider,
        "client_id": oauth.client_id,
        "scope": data.get("scope", " ".join(scopes)),
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": lifetime,
        "expires_at": now + lifetime,
        "updated_at": now,
    }


def _is_fresh(saved: dict[str, Any], now: float) -> bool:
    try:
        left = float(saved["expires_at"]) - now
        lifetime = float(saved.get("expires_in", 3600))
    except (KeyError, TypeError, ValueError):
        return False
    return bool(saved.get("access_token")) and left >= max(
        REFRESH_MARGIN, REFRESH_FRACTION * lifetime
    )


def load_tokens(path: Path, mailbox_name: str) -> dict[str, Any]:
    login = f"run `curator auth login --mailbox {mailbox_name}`"
    try:
        st = path.stat()
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OAuthGrantError(f"mailbox {mailbox_name!r} is not signed in — {login}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read token file {path}: {exc.strerror}") from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"token file {path} is readable by others — run chmod 600 {path}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not data.get("refresh_token"):
        raise OAuthGrantError(f"token file {path} is damaged — {login}")
    return data


def save_tokens(path: Path, record: dict[str, Any]) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of either."""
    _private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps(record, indent=2).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != 0o700:
        path.chmod(0o700)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One refresh at a time per mailbox, across processes (cron poll + watch)."""
    _private_dir(path.parent)
    fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


# ---------------------------------------------------------------------------------------------
# HTTP


def _post(url: str, fields: dict[str, str], where: str) -> dict[str, Any]:
    """POST a form; the JSON answer, including OAuth error objects (RFC 6749 §5.2)."""
    body = urllib.parse.urlencode({k: v for k, v in fields.items() if v}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Accept": "application/json", "User-Agent": "curator"},
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            payload = response.read()
    except urllib.error.HTTPError as exc:
        try:
            payload = exc.read()
        finally:
            exc.close()
        data = _json_or_none(payload)
        if isinstance(data, dict) and "error" in data:
            return data
        if exc.code >= 500 or exc.code == 429:
            raise TransientMailError(f"{where}: {url} answered {exc.code}; will retry") from None
        raise CuratorError(f"{where}: {url} answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TransientMailError(f"{where}: cannot reach {url} ({reason})") from None
    data = _json_or_none(payload)
    if not isinstance(data, dict):
        raise CuratorError(f"{where}: {url} did not answer with a JSON object")
    return data


def _json_or_none(payload: bytes) -> Any:
    try:
        return json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _grant_or_config_error(mailbox: MailboxConfig, data: dict[str, Any], step: str) -> Exception:
    error = str(data.get("error"))
    detail = str(data.get("error_description") or "").splitlines()[0:1]
    text = f"{error}: {detail[0]}" if detail else error
    where = f"mailbox {mailbox.name!r}"
    login = f"curator auth login --mailbox {mailbox.name}"
    if error == "invalid_grant":
        return OAuthGrantError(
            f"{where}: the sign-in has expired or was revoked ({text}) — run `{login}`"
        )
    if error in ("access_denied", "expired_token"):
        return OAuthGrantError(f"{where}: {step} failed ({text}) — run `{login}` again")
    return ConfigError(
        f"{where}: {step} refused ({text}) — check oauth2.client_id, client_secret_env and "
        "the app's API permissions"
    )


def _client(oauth: OAuth2Config) -> dict[str, str]:
    fields = {"client_id": oauth.client_id or ""}
    if oauth.client_secret_env:
        secret = os.environ.get(oauth.client_secret_env)
        if not secret:
            raise ConfigError(
                f"oauth2.client_secret_env: environment variable {oauth.client_secret_env} "
                "is not set — export it"
            )
        fields["client_secret"] = secret
    return fields


def _oauth(mailbox: MailboxConfig) -> OAuth2Config:
    if mailbox.oauth2 is None:
        raise ConfigError(
            f"mailbox {mailbox.name!r} has no [mailboxes.oauth2] table — it signs in with a "
            "password"
        )
    return mailbox.oauth2
