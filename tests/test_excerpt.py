"""The excerpt faithfulness check: the reader's words, in order, cuts marked, additions in [ ]."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from curator.curate.excerpt import check_excerpt, is_negation

REPLY = (
    "I do not think we should admit them. They are deserters, after all. "
    "But Europe must never become a fortress."
)


@pytest.mark.parametrize(
    "excerpt",
    [
        REPLY,
        "They are deserters, after all.",  # start and end trimmed: no marker needed
        "I do not think we should admit them … Europe must never become a fortress.",
        "I do not think we should admit them... But Europe must never become a fortress.",
        "I do not think we should admit them [...] Europe must never become a fortress.",
        "[Russians] are deserters, after all.",  # an insertion standing in for "They"
        "they are DESERTERS after all",  # case and punctuation may change
    ],
)
def test_faithful_excerpts_pass(excerpt: str) -> None:
    check = check_excerpt(REPLY, excerpt)
    assert check.ok, check.problems
    assert check.warnings == ()


@pytest.mark.parametrize(
    ("excerpt", "problem"),
    [
        ("I do think we should admit them.", "cut between “do” and “think” without “…”"),
        ("They are traitors, after all.", "“traitors” is not the reader's word"),
        ("Europe must never become a fortress. They are deserters", "“They”"),
        ("They are deserters. Europe must never", "cut between “deserters” and “Europe”"),
        ("…", "none of the reader's words"),
    ],
)
def test_unfaithful_excerpts_are_refused(excerpt: str, problem: str) -> None:
    check = check_excerpt(REPLY, excerpt)
    assert not check.ok
    assert any(problem in p for p in check.problems), check.problems


def test_a_dropped_negation_is_warned_about() -> None:
    check = check_excerpt(REPLY, "We should admit them.")
    assert check.ok
    assert len(check.warnings) == 1 and "“not”" in check.warnings[0]
    # A whole sentence cut, negation and all, is a fair cut: no warning.
    assert check_excerpt(REPLY, "They are deserters, after all.").warnings == ()


@pytest.mark.parametrize(
    ("reply", "excerpt", "word"),
    [
        ("I don't want them here, honestly.", "I … want them here", "don't"),
        ("Wir sollten sie nicht aufnehmen.", "Wir sollten sie … aufnehmen", "nicht"),
        ("Ce n'est pas une bonne idée.", "Ce n'est … une bonne idée", "pas"),
        ("Я не думаю, что это правильно.", "Я … думаю, что это правильно", "не"),
        ("Nie powinniśmy ich przyjmować.", "… powinniśmy ich przyjmować", "Nie"),
    ],
)
def test_negations_in_many_languages(reply: str, excerpt: str, word: str) -> None:
    check = check_excerpt(reply, excerpt)
    assert check.ok, check.problems
    assert any(f"“{word}”" in w for w in check.warnings), check.warnings


def test_is_negation() -> None:
    assert all(is_negation(w) for w in ("not", "Never", "isn’t", "kein", "нет", "n'est"))
    assert not any(is_negation(w) for w in ("note", "knot", "nothingness", "Nice"))


WORDS = st.lists(
    st.sampled_from(
        ["the", "EU", "should", "admit", "them", "they", "are", "not", "deserters", "after", "but"]
    ),
    min_size=1,
    max_size=40,
)


@given(WORDS, st.data())
def test_any_ordered_cut_with_markers_passes(words: list[str], data: st.DataObject) -> None:
    original = " ".join(words)
    cuts = sorted(data.draw(st.sets(st.integers(0, len(words)), max_size=6)) | {0, len(words)})
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    chosen = [s for s in spans if data.draw(st.booleans())] or spans[:1]
    excerpt = " … ".join(" ".join(words[a:b]) for a, b in chosen)
    assert check_excerpt(original, excerpt).ok


@given(st.text(max_size=300), st.text(max_size=200))
def test_never_raises(original: str, excerpt: str) -> None:
    check = check_excerpt(original, excerpt)
    assert isinstance(check.problems, tuple) and isinstance(check.warnings, tuple)


@given(WORDS, st.sampled_from(["traitors", "banana", "FSB"]), st.data())
def test_a_foreign_word_outside_brackets_is_refused(
    words: list[str], foreign: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(words)))
    excerpt = " ".join([*words[:at], foreign, *words[at:]])
    assert not check_excerpt(" ".join(words), excerpt).ok
    bracketed = " ".join([*words[:at], f"[{foreign}]", *words[at:]])
    assert check_excerpt(" ".join(words), bracketed).ok


@given(st.text(max_size=300))
def test_the_whole_reply_is_always_faithful(original: str) -> None:
    check = check_excerpt(original, original)
    assert check.warnings == ()
    assert check.ok or not check.problems[0].startswith("words cut")
