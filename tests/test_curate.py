"""The editor's desk through the real CLI, on SQLite and PostgreSQL: tag, pick and order,
edit with the original kept, bulk changes behind --all-matching, the audit log and undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.curate_seed import SLUG, record, run, run_json, seed


@pytest.fixture
def runner(curator_home: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CURATOR_DATABASE_URL", db_url)
    monkeypatch.setenv("CURATOR_EDITOR", "anna")
    return CliRunner()


@pytest.fixture
def ids(runner: CliRunner, db_url: str) -> list[int]:
    return seed(db_url)


def test_tag_is_the_editors_and_validated(runner: CliRunner, ids: list[int]) -> None:
    rid = str(ids[1])
    run(
        runner,
        "tag",
        rid,
        "--position",
        "admit",
        "--argument",
        "moral_duty",
        "--no-argument",
        "security_risk",
    )
    r = record(runner, ids[1])
    assert (r["position"], r["position_source"], r["position_confidence"]) == (
        "admit",
        "editor",
        1.0,
    )
    assert r["arguments"] == ["moral_duty"]
    assert all(a["source"] == "editor" for a in r["argument_details"])
    bad = run(runner, "tag", rid, "--position", "maybe", code=2)
    assert "has no position 'maybe'" in bad.output and "admit, refuse, unclear" in bad.output
    assert "has no argument 'nope'" in run(runner, "tag", rid, "--argument", "nope", code=2).output


def test_pick_order_at_and_order(runner: CliRunner, ids: list[int]) -> None:
    a, b, c, d = (str(i) for i in ids[:4])
    run(runner, "pick", a, b, c)
    run(runner, "pick", d, "--at", "1")
    order = lambda: [  # noqa: E731
        r["id"]
        for r in sorted(
            run_json(runner, "list", "--status", "picked"), key=lambda r: r["pick_order"]
        )
    ]
    assert order() == [ids[3], ids[0], ids[1], ids[2]]
    run(runner, "order", c, a)
    assert order() == [ids[2], ids[0], ids[3], ids[1]]
    run(runner, "reject", a, "--reason", "too long")  # leaving the picks closes the gap
    assert [r["pick_order"] for r in run_json(runner, "list", "--status", "picked")] == [3, 1, 2]
    assert "not picked" in run(runner, "order", a, code=2).output


def test_edit_keeps_the_original_and_checks_faithfulness(runner: CliRunner, ids: list[int]) -> None:
    rid = str(ids[0])
    original = record(runner, ids[0])["reply"]
    refused = run(runner, "edit", rid, "--excerpt", "They are heroes. We have a duty.", code=2)
    assert "not the reader's words" in refused.output and "“heroes”" in refused.output
    result = run(
        runner, "edit", rid, "--excerpt", "We have a duty to take them in … I am … afraid."
    )
    assert "dropped “not”" in result.output  # warned, not refused
    run(runner, "edit", rid, "--name", "A. K.", "--anonymous")
    r = record(runner, ids[0])
    assert r["reply"] == original and r["excerpt"].startswith("We have a duty")
    assert (r["name"], r["original_name"], r["withhold_name"]) == ("A. K.", "Anna Kalnina", True)
    shown = run(runner, "show", rid).stdout
    assert "[-They are conscientious objectors.-]" in shown and "{+…+}" in shown
    assert "History" in shown and "edit" in shown
    run(runner, "edit", rid, "--excerpt", "They are heroes.", "--force")
    run(runner, "edit", rid, "--reset")
    assert record(runner, ids[0])["excerpt"] is None


def test_edit_in_the_editor(
    runner: CliRunner, ids: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "trim.sh"
    script.write_text('#!/bin/sh\nprintf "# note\\nWe have a duty to take them in.\\n" > "$1"\n')
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    run(runner, "edit", str(ids[0]))
    assert record(runner, ids[0])["excerpt"] == "We have a duty to take them in."


def test_bulk_needs_all_matching(runner: CliRunner, ids: list[int]) -> None:
    asked = run(runner, "shortlist", "--question", SLUG, "--search", "fsb", code=2)
    assert "2 responses match — add --all-matching" in asked.output
    run(runner, "shortlist", "--question", SLUG, "--search", "fsb", "--all-matching")
    assert {r["id"] for r in run_json(runner, "list", "--status", "shortlisted")} == {
        ids[1],
        ids[2],
    }
    assert (
        "IDs or filters, not both"
        in run(runner, "reject", str(ids[0]), "--search", "x", code=2).output
    )
    run(runner, "tag", "--argument", "moral_duty", "--search", "duty", "--all-matching")
    assert "moral_duty" in record(runner, ids[0])["arguments"]


def test_log_and_undo(runner: CliRunner, ids: list[int]) -> None:
    a, b = str(ids[0]), str(ids[1])
    run(runner, "pick", a, b)
    run(runner, "reject", "--search", "fsb", "--all-matching", "--as", "jan")
    events = run_json(runner, "log")
    assert events[0]["actor"] == "jan" and events[0]["action"] == "reject"
    assert {"at", "old", "new", "response_id"} <= set(events[0])
    assert run_json(runner, "log", a)[0]["new"]["status"] == "picked"
    # anna's last change (the picks) was overwritten by jan's reject of b: refused, not clobbered
    refused = run(runner, "undo", code=4)  # a conflict, like any stale change
    assert f"response {b} changed after your pick" in refused.output
    run(runner, "undo", "--as", "jan")  # jan's bulk reject, as a whole
    assert {r["status"] for r in (record(runner, ids[1]), record(runner, ids[2]))} == {
        "picked",
        "new",
    }
    run(runner, "undo")  # now anna's picks come off
    assert record(runner, ids[0])["status"] == record(runner, ids[1])["status"] == "new"
    assert "nothing to undo for anna" in run(runner, "undo", code=2).output
    assert [e["action"] for e in run_json(runner, "log", a)][:2] == ["undo", "pick"]


def test_expect_version_refuses_a_stale_change(runner: CliRunner, ids: list[int]) -> None:
    rid = str(ids[0])
    seen = record(runner, ids[0])["version"]
    run(runner, "tag", rid, "--position", "refuse", "--as", "jan", "--expect-version", str(seen))
    stale = run(runner, "pick", rid, "--expect-version", str(seen), code=4)
    assert "changed since you saw it" in stale.output and f"curator show {rid}" in stale.output
    assert record(runner, ids[0])["status"] == "new"


def test_list_filters_and_sorts(runner: CliRunner, ids: list[int]) -> None:
    def listed(*args: str) -> list[int]:
        return [r["id"] for r in run_json(runner, "list", *args)]

    assert listed("--position", "admit") == [ids[0], ids[2], ids[5]]
    assert listed("--argument", "security_risk") == [ids[1], ids[2]]
    assert listed("--language", "de") == [ids[3]]
    assert listed("--country", "lv") == [ids[0]]
    assert listed("--needs-review") == [ids[1], ids[2], ids[4]]
    assert listed("--confidence-below", "0.5") == [ids[1], ids[4]]
    assert listed("--search", "riga") == [ids[0]]  # the location
    assert listed("--search", "Kaln") == [ids[0]]  # a prefix of the name
    assert listed("--search", "fsb screen") == [ids[2]]  # every word
    assert listed("--sort", "confidence")[:2] == [ids[4], ids[1]]
    assert listed("--sort", "length")[0] == ids[0]
    assert listed("--newest", "--limit", "2") == [ids[5], ids[4]]
    run(runner, "edit", str(ids[3]), "--location", "Hamburg")
    assert listed("--search", "hamburg") == [ids[3]]  # the FTS index follows edits
    table = run(runner, "list").stdout
    assert "Anna Kalnina" in table


def test_search_is_multilingual(runner: CliRunner, db_url: str) -> None:
    from curator.store.seed import SeedResponse

    (rid,) = seed(
        db_url, [SeedResponse("Die Straße nach Zürich ist für alle offen.", name="Jürgen")]
    )
    # SQLite's tokenizer also folds accents ("zurich"); PostgreSQL's 'simple' config does not.
    for query in (
        "straße",
        "STRAßE",
        "zürich",
        "jürg",
        *(("zurich",) if "sqlite" in db_url else ()),
    ):
        found = [r["id"] for r in run_json(runner, "list", "--search", query)]
        assert found == [rid], query
    assert run_json(runner, "list", "--search", "!!!") == []


def test_reject_reason_unpick_and_the_os_user(
    runner: CliRunner, ids: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass

    monkeypatch.delenv("CURATOR_EDITOR")  # no --as, no $CURATOR_EDITOR: the OS user
    a, b, c = (str(i) for i in ids[:3])
    run(runner, "pick", a, b, c)
    run(runner, "reject", a, "--reason", "too long")
    r = record(runner, ids[0])
    assert (r["status"], r["status_reason"], r["pick_order"]) == ("rejected", "too long", None)
    assert "status: rejected (too long)" in run(runner, "show", a).stdout
    run(runner, "unpick", b)  # back to new; the order closes up
    unpicked = record(runner, ids[1])
    assert (unpicked["status"], unpicked["pick_order"]) == ("new", None)
    assert record(runner, ids[2])["pick_order"] == 1
    events = run_json(runner, "log")
    assert {e["actor"] for e in events} == {getpass.getuser()}
    assert [e["action"] for e in events[:2]] == ["order", "unpick"]  # one batch: c moved up
    assert events[1]["new"]["status"] == "new"
    assert any(e["action"] == "reject" and e["new"]["status_reason"] == "too long" for e in events)


def test_show_tags_elided_and_named(runner: CliRunner, db_url: str) -> None:
    from curator.store.seed import SeedResponse

    (rid,) = seed(
        db_url,
        [
            SeedResponse(
                "Some of them will be working for the FSB.",
                name="Jan",
                location="Prague",
                position="refuse",
                confidence=0.41,
                arguments=("security_risk",),
                withhold=True,
                extra={"elided": "On Monday, Signal wrote: would you accept them?"},
            )
        ],
    )
    plain = run(runner, "show", str(rid)).stdout
    assert "Position: refuse (0.41, model)" in plain and "security_risk (0.80, model)" in plain
    assert "Attribution: (withheld)" in plain and "On Monday" not in plain
    elided = run(runner, "show", str(rid), "--elided").stdout
    assert "--- elided ---" in elided and "On Monday, Signal wrote" in elided
    run(runner, "edit", str(rid), "--named")
    assert "Attribution: Jan, Prague" in run(runner, "show", str(rid)).stdout


def test_list_question_kind_and_quality(runner: CliRunner, db_url: str) -> None:
    from sqlalchemy import update

    from curator.store.engine import open_store
    from curator.store.models import Message
    from curator.store.seed import SeedResponse, insert_responses

    ids = seed(db_url, [SeedResponse(f"Reply {i}.", quality=q) for i, q in enumerate((0.2, 0.9))])
    store = open_store(db_url)
    try:
        with store.transaction() as session:  # an unrouted reply, and a bounce
            (other, bounce) = insert_responses(
                session, None, [SeedResponse("Unrouted."), SeedResponse("Undeliverable.")]
            )
            session.execute(update(Message).where(Message.id == bounce).values(kind="bounce"))
    finally:
        store.dispose()

    def listed(*args: str) -> list[int]:
        return [r["id"] for r in run_json(runner, "list", *args)]

    assert listed() == [*ids, other]
    assert listed("--question", SLUG) == ids
    assert listed("--sort", "quality")[:2] == [ids[1], ids[0]]
    assert listed("--kind", "bounce") == [bounce]
    assert listed("--all") == [*ids, other, bounce]
    assert "contradict" in run(runner, "list", "--all", "--kind", "spam", code=2).output


def test_edit_in_the_editor_is_refused_if_someone_changed_it_meanwhile(
    runner: CliRunner, ids: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While anna is in $EDITOR, jan tags the same response (another process, another
    connection): her save is refused with exit code 4, jan's tag stands, nothing is lost."""
    import shlex
    import sys

    rid = ids[0]
    jan = shlex.join([sys.executable, "-m", "curator", "tag", str(rid), "--position", "refuse"])
    script = tmp_path / "slow-editor.sh"
    script.write_text(
        f'#!/bin/sh\n{jan} --as jan >/dev/null 2>&1 || exit 9\nprintf "We have a duty.\\n" > "$1"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parents[1]))
    refused = run(runner, "edit", str(rid), code=4)
    assert f"response {rid} changed since you saw it (version 1, now 2)" in refused.output
    r = record(runner, rid)
    assert (r["excerpt"], r["position"], r["position_source"]) == (None, "refuse", "editor")
