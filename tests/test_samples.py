"""The bundled sample mailbox, its labels and question, and the benchmark mail generator."""

from __future__ import annotations

import email
import email.parser
import email.policy
import html
import json
import re
import tomllib
from collections import Counter
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

import pytest

from curator.samples import labels_path, question_path, sample_mail_dir
from curator.samples import newsletter as nl
from curator.samples.generate import generate_replies

MAIL = sample_mail_dir()
FILES = sorted(MAIL.glob("*.eml"))
CONTENT_KINDS = {"response", "duplicate", "superseded"}
HUMAN_KINDS = CONTENT_KINDS | {"off_topic", "unsubscribe"}
KINDS = CONTENT_KINDS | {"auto_reply", "bounce", "unsubscribe", "spam", "forward", "off_topic"}


def load_labels() -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in labels_path().read_text("utf-8").splitlines() if line]
    return {row["file"]: row for row in rows}


def load_question() -> dict[str, Any]:
    with question_path().open("rb") as fh:
        data = tomllib.load(fh)
    questions = data["questions"]
    assert len(questions) == 1
    q: dict[str, Any] = questions[0]
    return q


def parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def norm(text: str) -> str:
    return " ".join(text.split())


def decode_part(part: Message) -> str:
    raw = part.get_payload(decode=True)
    assert isinstance(raw, bytes)
    charset = (part.get_content_charset() or "us-ascii").lower()
    if charset in ("iso-8859-1", "us-ascii", "latin-1"):
        charset = "windows-1252"  # what Outlook and friends really mean
    return raw.decode(charset)


def html_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(style|head)\b.*?</\1>", " ", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def text_parts(msg: EmailMessage) -> list[str]:
    out = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain":
            out.append(decode_part(part))
        elif ctype == "text/html":
            out.append(html_text(decode_part(part)))
    return out


# ---------------------------------------------------------------------------------------------
# The sample mailbox


def test_there_are_about_forty_samples() -> None:
    assert 35 <= len(FILES) <= 45


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_sample_is_wire_format(path: Path) -> None:
    data = path.read_bytes()
    assert b"\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "bare CR"
    head = data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii(), "headers must be 7-bit (RFC 2047 for the rest)"
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_sample_parses_without_defects(path: Path) -> None:
    msg = parse(path)
    for part in msg.walk():
        assert not part.defects, f"{path.name}: {part.defects}"
    for name in ("From", "Date", "Message-ID"):
        assert msg[name], f"{path.name} lacks {name}"
        assert not msg[name].defects, f"{path.name} {name}: {msg[name].defects}"
    assert msg["Date"].datetime.tzinfo is not None
    assert text_parts(msg), "no text part"
    compat = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    for cpart in compat.walk():
        assert not cpart.defects, f"{path.name} (compat32): {cpart.defects}"


def test_message_ids_unique_except_the_duplicate() -> None:
    labels = load_labels()
    ids = Counter(str(parse(p)["Message-ID"]) for p in FILES)
    twice = [mid for mid, n in ids.items() if n > 1]
    assert len(twice) == 1 and ids[twice[0]] == 2
    dups = [f for f, row in labels.items() if row["kind"] == "duplicate"]
    assert len(dups) == 1
    original = labels[dups[0]]["related_file"]
    assert (MAIL / dups[0]).read_bytes() == (MAIL / original).read_bytes()


def test_labels_cover_every_file() -> None:
    labels = load_labels()
    assert sorted(labels) == [p.name for p in FILES]
    fields = {
        "file", "kind", "position", "arguments", "name", "location", "withhold_name",
        "language", "expected_reply", "signoff", "quality", "notes", "related_file",
        "meta_text", "client",
    }  # fmt: skip
    for row in labels.values():
        assert set(row) == fields, row["file"]
        assert row["kind"] in KINDS, row["file"]


def test_kind_counts() -> None:
    kinds = Counter(row["kind"] for row in load_labels().values())
    assert 28 <= kinds["response"] <= 34
    for kind in ("auto_reply",):
        assert kinds[kind] == 2
    for kind in ("bounce", "unsubscribe", "spam", "forward", "off_topic", "duplicate"):
        assert kinds[kind] == 1, kind
    assert kinds["superseded"] == 1


def test_question_toml_covers_labels() -> None:
    q = load_question()
    for key in ("slug", "title", "prompt", "references", "subject_contains"):
        assert q[key], key
    assert q["references"] == [nl.MESSAGE_ID]
    positions = {p["key"] for p in q["positions"]}
    arguments = {a["key"] for a in q["arguments"]}
    assert positions == {"ban_everywhere", "ban_government_only", "no_ban", "unclear"}
    assert 5 <= len(arguments) <= 7
    for item in q["positions"] + q["arguments"]:
        assert item["label"] and item["description"] and item["examples"], item["key"]
    used_positions: set[str] = set()
    for row in load_labels().values():
        if row["kind"] in CONTENT_KINDS:
            assert row["position"] in positions, row["file"]
            used_positions.add(row["position"])
            assert set(row["arguments"]) <= arguments, row["file"]
            assert row["arguments"] == sorted(row["arguments"])
        else:
            assert row["position"] is None and row["arguments"] == [], row["file"]
    assert used_positions == positions
    assert any(sub.lower() in nl.SUBJECT.lower() for sub in q["subject_contains"]), (
        "subject_contains must match the newsletter's subject"
    )


def test_question_toml_loads_with_curator_config() -> None:
    config = pytest.importorskip("curator.config")
    loader = getattr(config, "_parse_question", None)
    if loader is None:
        pytest.skip("curator.config has no question parser")
    question = loader(load_question(), "questions[0]")
    assert question.slug == "eu-tiktok-ban"
    assert len(question.positions) == 4


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_expected_reply_and_signoff_occur_in_every_text_part(path: Path) -> None:
    row = load_labels()[path.name]
    if row["kind"] not in HUMAN_KINDS:
        assert row["expected_reply"] == "" and row["signoff"] == ""
        return
    assert row["expected_reply"]
    for text in text_parts(parse(path)):
        flat = norm(text)
        assert row["expected_reply"] in flat, path.name
        for line in row["signoff"].split("\n"):
            if line.strip():
                assert norm(line) in flat, (path.name, line)
        for meta in row["meta_text"]:
            assert meta in row["expected_reply"]


def test_replies_mostly_thread_to_the_newsletter() -> None:
    labels = load_labels()
    threaded = 0
    for path in FILES:
        msg = parse(path)
        if nl.MESSAGE_ID in str(msg.get("In-Reply-To", "")):
            threaded += 1
            assert nl.MESSAGE_ID in str(msg["References"])
    responses = sum(1 for r in labels.values() if r["kind"] == "response")
    assert threaded >= responses


def test_positions_and_signoffs_are_varied() -> None:
    rows = [r for r in load_labels().values() if r["kind"] == "response"]
    positions = Counter(r["position"] for r in rows)
    assert min(positions.values()) >= 3
    assert {r["language"] for r in rows} >= {"en", "de", "fr", "es", "pl"}
    assert any(r["withhold_name"] for r in rows)
    assert any(r["location"] is None for r in rows)
    assert any(r["signoff"] == "" for r in rows)


def test_superseded_pairs_point_at_each_other() -> None:
    labels = load_labels()
    for row in labels.values():
        if row["kind"] == "superseded":
            newer = labels[row["related_file"]]
            assert newer["related_file"] == row["file"]
            assert newer["meta_text"]
            old, new = parse(MAIL / row["file"]), parse(MAIL / newer["file"])
            assert old["From"].addresses[0].addr_spec == new["From"].addresses[0].addr_spec
            assert old["Date"].datetime < new["Date"].datetime


def test_arrival_order_matches_file_order() -> None:
    dates = [parse(p)["Date"].datetime for p in FILES]
    assert dates == sorted(dates)
    assert all(d >= nl.SENT for d in dates)
    assert (dates[-1] - nl.SENT).days <= 3


def test_builder_reproduces_the_files() -> None:
    from curator.samples.build import build

    for name, data in build().items():
        assert (MAIL / name).resolve().read_bytes() == data, name


# ---------------------------------------------------------------------------------------------
# The benchmark generator


def test_generator_is_deterministic() -> None:
    a = list(generate_replies(300, seed=7))
    b = list(generate_replies(300, seed=7))
    c = list(generate_replies(300, seed=8))
    assert a == b
    assert a != c
    assert len(a) == 300


def test_generator_message_ids_and_bodies_are_distinct() -> None:
    msgs = list(generate_replies(5000))
    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    ids = [parser.parsebytes(m)["Message-ID"] for m in msgs]
    assert all(ids)
    assert len(set(ids)) == len(ids)
    assert len(set(msgs)) == len(msgs)


def test_generator_mean_size() -> None:
    sizes = [len(m) for m in generate_replies(3000)]
    mean = sum(sizes) / len(sizes)
    assert 2500 <= mean <= 3500, mean


def test_generated_mail_parses_cleanly() -> None:
    kinds: Counter[str] = Counter()
    for raw in generate_replies(400, seed=3):
        assert b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        for part in msg.walk():
            assert not part.defects, part.defects
        assert msg["Message-ID"] and msg["Date"].datetime and msg["From"]
        parts = text_parts(msg)
        assert parts
        ctype = msg.get_content_type()
        if ctype == "multipart/report":
            kinds["bounce"] += 1
        elif msg.get("Auto-Submitted") or "Out of Office" in str(msg["Subject"]):
            kinds["auto"] += 1
        else:
            kinds["reply"] += 1
            assert nl.MESSAGE_ID in str(msg["In-Reply-To"])
        if ctype == "multipart/alternative":
            kinds["alternative"] += 1
        if "quoted-printable" in raw.decode("ascii", "replace").lower():
            kinds["qp"] += 1
    assert kinds["reply"] >= 360
    assert 1 <= kinds["bounce"] + kinds["auto"] <= 40
    assert kinds["alternative"] >= 200
    assert 80 <= kinds["qp"] <= 250


def test_generator_cli_writes_files_and_mbox(tmp_path: Path) -> None:
    import mailbox

    from curator.samples.generate import main

    assert main(["25", "--out", str(tmp_path / "eml"), "-q"]) == 0
    files = sorted((tmp_path / "eml").glob("*.eml"))
    assert len(files) == 25
    assert [f.read_bytes() for f in files] == list(generate_replies(25))
    assert main(["25", "--mbox", str(tmp_path / "x.mbox"), "-q"]) == 0
    box = mailbox.mbox(tmp_path / "x.mbox", create=False)
    try:
        assert len(box) == 25
        first = next(iter(box))
        assert first["Message-ID"] == parse(files[0])["Message-ID"]
    finally:
        box.close()


def test_generator_quoted_printable_parts_decode_to_the_plain_text() -> None:
    """The generator stitches pre-encoded QP blocks; the result must decode cleanly."""
    seen = 0
    for raw in generate_replies(300, seed=11):
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if msg["Auto-Submitted"]:
            continue
        for part in msg.walk():
            if part["Content-Transfer-Encoding"] == "quoted-printable":
                text = decode_part(part)
                assert "=\n" not in text and "=3D" not in text
                assert "Reply to this email." in norm(html_text(text))
                seen += 1
    assert seen > 50
