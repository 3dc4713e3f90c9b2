"""Configuration: validation errors are one line naming the key; secrets stay out of the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from curator.config import load_config, parse_config, resolve_password
from curator.errors import ConfigError

MAILBOX = """
[[mailboxes]]
name = "signal"
host = "imap.example.com"
username = "replies@example.com"
password_env = "TEST_IMAP_PW"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid_and_complete(curator_home: Path) -> None:
    config = load_config(Path(__file__).parents[1] / "config.example.toml")
    assert config.database.url == f"sqlite:///{curator_home / 'curator.db'}"
    (mb,) = config.mailboxes
    assert (mb.security, mb.port, mb.folder, mb.password_env) == (
        "ssl",
        993,
        "INBOX",
        "CURATOR_IMAP_PASSWORD",
    )
    (q,) = config.questions
    assert q.slug == "russian-draft-dodgers"
    assert q.references == ("<20220929103107.5f2e8c1d4a7b@mail.gzeromedia.com>",)
    assert [p.key for p in q.positions] == ["admit", "reject", "conditional", "unclear"]
    assert q.argument("security_risk") is not None
    assert q.date_from is not None and q.date_from.tzinfo is not None


def test_defaults_without_a_file(curator_home: Path) -> None:
    config = load_config(None)
    assert config.source is None
    assert config.mailboxes == ()
    assert config.database.url.endswith("/curator.db")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[databse]\nurl='x'", "unknown key 'databse'"),
        (MAILBOX + "hots = 'x'\n", "mailboxes[0]: unknown key 'hots'"),
        (MAILBOX + "password = 'hunter2'\n", "'password' is not allowed in the config file"),
        (MAILBOX + "security = 'tls'\n", "security must be one of ssl, starttls, none"),
        (MAILBOX + "port = 99999\n", "port must be an integer from 1 to 65535"),
        (MAILBOX + "port = 'imap'\n", "port must be an integer"),
        (MAILBOX + "password_file = 'x'\n", "set exactly one of password_env"),
        (
            MAILBOX.replace(
                'host = "imap.example.com"', 'host = "mail.example.com"\nsecurity = "none"'
            ),
            "allowed only for a loopback host",
        ),
        (MAILBOX + MAILBOX, "name 'signal' appears twice"),
        ("[[questions]]\nslug = 'a b'\n", "slug 'a b' may hold only"),
        (
            "[[questions]]\nslug = 'q'\n[[questions.positions]]\nlabel = 'x'\n",
            "positions[0]: missing required key 'key'",
        ),
        ("[[questions]]\nslug = 'q'\ndate_from = 'yesterday'\n", "date_from must be a TOML date"),
        ("this is = = not toml", "fix the TOML syntax"),
    ],
)
def test_bad_config_is_one_clear_line(
    tmp_path: Path, curator_home: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as exc:
        load_config(write(tmp_path, text))
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)
    assert str(tmp_path / "config.toml") in str(exc.value)


def test_missing_config_file(tmp_path: Path, curator_home: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


def test_environment_overrides_database_url(
    tmp_path: Path, curator_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATOR_DATABASE_URL", "sqlite:////elsewhere/x.db")
    assert load_config(write(tmp_path, "[database]\nurl='sqlite:///a.db'")).database.url == (
        "sqlite:////elsewhere/x.db"
    )


def test_config_found_through_environment(
    tmp_path: Path, curator_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATOR_CONFIG", str(write(tmp_path, MAILBOX)))
    assert load_config(None).mailboxes[0].name == "signal"


def test_password_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mb = parse_config(
        {"mailboxes": [{"name": "m", "host": "h", "username": "u", "password_env": "PW_X"}]},
        home=tmp_path,
    ).mailboxes[0]
    with pytest.raises(ConfigError, match="PW_X is not set"):
        resolve_password(mb)
    monkeypatch.setenv("PW_X", "s3cret")
    assert resolve_password(mb) == "s3cret"


def test_password_from_command(tmp_path: Path) -> None:
    def mailbox(cmd: str) -> object:
        return parse_config(
            {"mailboxes": [{"name": "m", "host": "h", "username": "u", "password_command": cmd}]},
            home=tmp_path,
        ).mailboxes[0]

    assert resolve_password(mailbox("printf 'pa ss\\n'")) == "pa ss"  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="exited with 3"):
        resolve_password(mailbox("exit 3"))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="printed nothing"):
        resolve_password(mailbox("true"))  # type: ignore[arg-type]


def test_password_file_must_be_private(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("filepw\n")
    os.chmod(secret, 0o644)
    mb = parse_config(
        {"mailboxes": [{"name": "m", "host": "h", "username": "u", "password_file": "pw"}]},
        home=tmp_path,
        source=tmp_path / "c.toml",
    ).mailboxes[0]
    assert mb.password_file == secret  # relative to the config file
    with pytest.raises(ConfigError, match="chmod 600"):
        resolve_password(mb)
    os.chmod(secret, 0o600)
    assert resolve_password(mb) == "filepw"


def test_loopback_may_use_plain_imap(tmp_path: Path) -> None:
    for host in ("127.0.0.1", "localhost", "::1"):
        mb = parse_config(
            {
                "mailboxes": [
                    {
                        "name": "m",
                        "host": host,
                        "username": "u",
                        "password_env": "X",
                        "security": "none",
                    }
                ]
            },
            home=tmp_path,
        ).mailboxes[0]
        assert mb.port == 143
