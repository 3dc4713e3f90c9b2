"""The tagging evaluation's procedure: deterministic stratified corrections, fair scores."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from curator.evaluate.cli_editor import CliEditor
from curator.evaluate.tagging import (
    FOUR_DAY_WEEK,
    TEEN_SOCIAL_MEDIA,
    InMemoryEditor,
    Item,
    choose_corrections,
    cli_editor,
    load_fixture,
    macro_f1,
)
from curator.tagging.config import bundled_question
from curator.tagging.embed import HashingEmbedder


def _items() -> list[Item]:
    keys = ["a"] * 21 + ["b"] * 18 + ["c"] * 15 + ["d"] * 6
    return [Item(f"text {i}", k, ()) for i, k in enumerate(keys)]


def test_choose_corrections_is_deterministic_and_stratified() -> None:
    items = _items()
    chosen = choose_corrections(items)
    assert chosen == choose_corrections(items)
    assert len(chosen) == 20
    counts = Counter(items[i].position for i in chosen)
    assert counts == {"a": 7, "b": 6, "c": 5, "d": 2}


def test_choose_corrections_leaves_every_position_something_to_test() -> None:
    items = [Item("x", "a", ()), Item("y", "a", ()), Item("z", "b", ())] * 2
    chosen = choose_corrections(items, n=6)
    left = Counter(it.position for i, it in enumerate(items) if i not in chosen)
    assert left["a"] >= 1 and left["b"] >= 1


def test_macro_f1() -> None:
    assert macro_f1(["a", "b"], ["a", "b"], ["a", "b"]) == 1.0
    assert macro_f1(["a", "a"], ["b", "b"], ["a", "b"]) == 0.0
    assert macro_f1(["a", "b", "b"], ["a", "b", "a"], ["a", "b", "c"]) == (2 / 3 + 2 / 3) / 2


def test_in_memory_editor_refits_from_its_corrections() -> None:
    editor = InMemoryEditor(bundled_question("russian-draft-dodgers"))
    editor.correct("Throw the doors wide open.", "admit", ("moral_imperative",))
    assert editor.corrections[0].arguments_added == ("moral_imperative",)
    assert editor.tagger().tag(["Throw the doors wide open."])[0].position.key in {
        "admit",
        "reject",
        "conditional",
        "unclear",
    }


def test_four_day_week_fixture_is_consistent() -> None:
    question, items = load_fixture(FOUR_DAY_WEEK)
    keys = {p.key for p in question.positions}
    themes = {a.key for a in question.arguments}
    assert len(items) >= 30
    assert {it.position for it in items} == keys
    assert all(set(it.arguments) <= themes for it in items)
    assert HashingEmbedder().encode([it.text for it in items]).shape[0] == len(items)


def test_teen_social_media_fixture_is_consistent() -> None:
    question, items = load_fixture(TEEN_SOCIAL_MEDIA)
    assert {it.position for it in items} == {p.key for p in question.positions}
    assert all(set(it.arguments) <= {a.key for a in question.arguments} for it in items)
    assert len(items) >= 30


def test_default_editor_sends_corrections_through_the_cli(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The (b) figure's corrections go through `curator import` and `curator tag` into a
    database, and the refitted tagger learns them from there."""
    monkeypatch.setenv("CURATOR_EMBEDDER", "hashing")
    question = bundled_question("russian-draft-dodgers")
    text = "Keep the gates shut, every one of them could be reporting to Lubyanka."
    editor = cli_editor(question)
    try:
        assert isinstance(editor, CliEditor)
        editor.correct(text, "reject", ("security_risk",))
        editor.correct("Welcome them warmly, they refused to kill.", "admit", ())
        tagger = editor.tagger()
        listed = json.loads(editor._cli("list", "--all", "--json"))
    finally:
        editor.close()
    assert len(listed) == 2
    assert int(tagger.positions._known_corrected.sum()) == 2
    assert tagger.tag([text])[0].position.key == "reject"
