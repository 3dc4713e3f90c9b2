"""The tagger's API: fit from a config, learn from corrections, tag anything without crashing."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import numpy as np
import pytest

from curator.questions import Argument, Position, Question
from curator.tagging import ArgumentSuggestion, Correction, PositionTag, Tagger, Tagging
from curator.tagging.config import bundled_question, load_questions
from curator.tagging.cues import NAMES, cue_matrix
from curator.tagging.embed import CachedEmbedder, HashingEmbedder
from curator.tagging.position import PositionModel, PositionSettings, _answered
from curator.tagging.text import MAX_CHARS, cap

# A deterministic embedder with no model keeps these tests fast; test_tagging_models.py runs
# the real backends.
EMBEDDER = CachedEmbedder(HashingEmbedder())
SIGNAL = bundled_question("russian-draft-dodgers")
CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

MULTILINGUAL = [
    "Ja, wir sollten sie aufnehmen, aber nur nach einer Sicherheitsprüfung.",
    "Нет. Пусть протестуют дома.",
    "Так, треба їх прийняти, але тимчасово.",
    "Nie. Polska ma już dość uchodźców.",
    "Sí, sin dudarlo: el derecho de asilo es una obligación legal.",
    "Oui, il faut les accueillir.",
    "Sì, ma solo caso per caso.",
    "Jah, aga ainult põhjaliku kontrolli järel.",
    "gamarjobat, evropam unda miigos isini",
    "是的，应该接纳他们。",
    "🙂👍",
    "\u200b\u00a0\t\n",
]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.fit(SIGNAL, embedder=EMBEDDER)


def _check(tagging: Tagging, question: Question) -> None:
    assert isinstance(tagging.position, PositionTag)
    assert tagging.position.key in {p.key for p in question.positions}
    assert 0.0 <= tagging.position.confidence <= 1.0
    assert not math.isnan(tagging.position.confidence)
    keys = [a.key for a in tagging.arguments]
    assert set(keys) <= {a.key for a in question.arguments}
    assert len(keys) == len(set(keys))
    scores = [a.score for a in tagging.arguments]
    assert scores == sorted(scores, reverse=True)


def test_bundled_question_has_positions_and_arguments() -> None:
    assert [p.key for p in SIGNAL.positions] == ["admit", "reject", "conditional", "unclear"]
    assert all(2 <= len(p.examples) <= 4 and p.description for p in SIGNAL.positions)
    assert len(SIGNAL.arguments) >= 20
    assert all(a.description for a in SIGNAL.arguments)


@pytest.mark.skipif(not (CORPORA / "signal_dev").is_dir(), reason="shared corpora absent")
def test_bundled_question_covers_every_signal_dev_argument_tag() -> None:
    with (CORPORA / "signal_dev" / "labels.jsonl").open(encoding="utf-8") as fh:
        tags = {a for line in fh for a in json.loads(line)["arguments"]}
    assert tags <= {a.key for a in SIGNAL.arguments}


def test_fit_from_config_alone_tags_a_batch(tagger: Tagger) -> None:
    texts = ["Yes, let them in.", "No. Keep them out.", "Only if they pass an interview."]
    taggings = tagger.tag(texts)
    assert len(taggings) == len(texts)
    for t in taggings:
        _check(t, SIGNAL)
        assert t.arguments and isinstance(t.arguments[0], ArgumentSuggestion)


def test_plain_answers_from_config_alone(tagger: Tagger) -> None:
    # Answers in the config's own words are the least a config-only tagger must get right.
    admit, reject = tagger.tag(["Let them in, absolutely.", "No, keep them out."])
    assert admit.position.key == "admit"
    assert reject.position.key == "reject"


def test_tag_of_nothing_is_nothing(tagger: Tagger) -> None:
    assert tagger.tag([]) == []


def test_empty_text_goes_to_review(tagger: Tagger) -> None:
    (empty,) = tagger.tag([""])
    _check(empty, SIGNAL)
    assert empty.needs_review
    assert empty.arguments == ()


@pytest.mark.parametrize("text", MULTILINGUAL)
def test_multilingual_and_odd_input_does_not_crash(tagger: Tagger, text: str) -> None:
    (tagging,) = tagger.tag([text])
    _check(tagging, SIGNAL)


def test_huge_text_is_capped(tagger: Tagger) -> None:
    huge = "We should let them in, because it is right. " * 50_000  # ~2.2 MB
    started = time.perf_counter()
    (tagging,) = tagger.tag([huge])
    assert time.perf_counter() - started < 10
    assert tagging == tagger.tag([cap(huge)])[0]
    assert len(cap(huge)) <= MAX_CHARS


def test_a_batch_tags_each_text_as_alone(tagger: Tagger) -> None:
    texts = ["Yes.", "Absolutely not, they are a security risk.", "I can't decide."]
    assert tagger.tag(texts) == [tagger.tag([t])[0] for t in texts]


def test_corrections_teach_new_wording() -> None:
    # Wording no cue list or config example has; three editor tags should be enough.
    phrase = "Roll out the red carpet for the lads"
    before = Tagger.fit(SIGNAL, embedder=EMBEDDER).tag([f"{phrase}, I say."])[0]
    corrections = [
        Correction(f"{phrase}.", "admit"),
        Correction(f"{phrase}, every one of them.", "admit"),
        Correction(f"Honestly? {phrase}.", "admit"),
        Correction("Keep the gates shut.", "reject"),
        Correction("Shut the gates on them.", "reject"),
    ]
    after = Tagger.fit(SIGNAL, corrections, embedder=EMBEDDER).tag([f"{phrase}, I say."])[0]
    assert after.position.key == "admit"
    if before.position.key == "admit":
        assert after.position.confidence > before.position.confidence


def test_corrections_with_unknown_keys_or_no_text_are_ignored() -> None:
    corrections = [
        Correction("Yes.", "not-a-position"),
        Correction("", "admit"),
        Correction("   ", "reject", arguments_added=("security_risk",)),
        Correction("Spies, all of them.", None, arguments_added=("security_risk", "nonsense")),
    ]
    tagger = Tagger.fit(SIGNAL, corrections, embedder=EMBEDDER)
    _check(tagger.tag(["Spies and saboteurs."])[0], SIGNAL)


def test_argument_corrections_shift_suggestions() -> None:
    text = "The lads who ran know where every battalion is stationed."
    corrections = [
        Correction(
            "They know where every battalion is stationed; debrief them.",
            "admit",
            arguments_added=("intelligence_value",),
        )
    ]
    tagger = Tagger.fit(SIGNAL, corrections, embedder=EMBEDDER)
    top = [a.key for a in tagger.tag([text])[0].arguments[:3]]
    assert "intelligence_value" in top


def test_question_without_arguments() -> None:
    question = Question(
        slug="q",
        title="Tea or coffee?",
        positions=(
            Position("tea", "Tea", "Tea is better.", ("Tea, always.",)),
            Position("coffee", "Coffee", "Coffee is better.", ("Coffee, obviously.",)),
        ),
    )
    (tagging,) = Tagger.fit(question, embedder=EMBEDDER).tag(["Coffee, obviously, every day."])
    assert tagging.arguments == ()
    assert tagging.position.key == "coffee"


def test_question_without_positions_is_an_error() -> None:
    with pytest.raises(ValueError, match="no positions"):
        Tagger.fit(Question(slug="q", title="?"), embedder=EMBEDDER)


def test_question_with_one_argument_and_one_position() -> None:
    question = Question(
        slug="q",
        title="?",
        positions=(Position("only", "Only"),),
        arguments=(Argument("a", "A", "Anything at all."),),
    )
    (tagging,) = Tagger.fit(question, embedder=EMBEDDER).tag(["Something."])
    assert tagging.position == PositionTag("only", 1.0)
    assert [a.key for a in tagging.arguments] == ["a"]


def test_fit_is_fast() -> None:
    corrections = [Correction(f"Reply number {i}: let them in.", "admit") for i in range(200)]
    started = time.perf_counter()
    Tagger.fit(SIGNAL, corrections, embedder=EMBEDDER)
    assert time.perf_counter() - started < 5


def test_load_questions_reads_the_project_shape(tmp_path: Path) -> None:
    path = tmp_path / "q.toml"
    path.write_text(
        """
[[questions]]
slug = "s"
title = "T"
references = ["<a@b>"]
subject_contains = ["x"]

[[questions.positions]]
key = "yes"
label = "Yes"
description = "d"
examples = ["e1", "e2"]

[[questions.arguments]]
key = "cost"
description = "Money."
""",
        encoding="utf-8",
    )
    (q,) = load_questions(path)
    assert q.references == ("<a@b>",)
    assert q.positions[0].examples == ("e1", "e2")
    assert q.arguments[0].label == "cost"


def test_default_embedder_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from curator.tagging import default_embedder

    monkeypatch.setenv("CURATOR_EMBEDDER", "hashing")
    monkeypatch.setenv("CURATOR_HOME", str(tmp_path))
    embedder = default_embedder()
    assert embedder.name.startswith("hashing")
    assert default_embedder() is embedder  # one per process
    with pytest.raises(ValueError, match="unknown embedder"):
        default_embedder("word2vec")


def test_nearness_compares_a_reply_only_with_texts_in_its_language() -> None:
    # One position with a German example must not make every German reply "near" it.
    model = PositionModel(SIGNAL, PositionSettings())
    model._known_keys = np.asarray([0, 0, 1, 2, 3])
    model._known_corrected = np.zeros(5, dtype=bool)
    model._known_languages = ["de", "en", "en", "en", "en"]
    sims = np.full((3, 5), 0.5)
    uncovered = model._language_mask(sims, ["de", "en", None], source=False)
    # German: not every position has a German text, so nearness says nothing for it.
    assert uncovered.tolist() == [True, False, False]
    # English: the German text is hidden; unknown language: nothing hidden.
    assert sims[1].tolist() == [-1.0, 0.5, 0.5, 0.5, 0.5]
    assert sims[2].tolist() == [0.5] * 5
    off = PositionModel(SIGNAL, PositionSettings(same_language=False))
    off._known_languages = model._known_languages
    assert not off._language_mask(np.full((1, 5), 0.5), ["de"], source=False).any()


def test_a_qualified_yes_goes_to_the_position_the_config_gives_conditions() -> None:
    # Keys and labels say nothing of conditions: only the description and examples do.
    question = Question(
        slug="q",
        title="Should the town build a tram?",
        positions=(
            Position("build", "Build it", "Yes: build the tram.", ("Yes, build it.", "Of course.")),
            Position("skip", "Skip it", "No: do not build it.", ("No, never.",)),
            Position(
                "later",
                "Wait and see",
                "Only if the budget allows, or provided a study shows the need.",
                ("Only if the study shows people would use it.", "Provided it costs less."),
            ),
        ),
    )
    tagger = Tagger.fit(question, embedder=EMBEDDER)
    assert tagger.positions._conditionality.tolist() == [0.0, 0.0, 1.0]
    texts = ["Yes, if the budget allows it.", "Yes, as long as it is cheap.", "Yes, build it."]
    # Without the condition features the first two went to "build" (0.55 and 0.90).
    assert [t.position.key for t in tagger.tag(texts)] == ["later", "later", "build"]


def test_a_plain_answer_counts_against_the_position_whose_config_never_answers() -> None:
    # Keys and labels say nothing of "no answer": only the config texts, which give none.
    question = Question(
        slug="q",
        title="Should the town build a tram?",
        positions=(
            Position("build", "Build it", "Yes: build the tram.", ("Yes, build it.", "Of course.")),
            Position("skip", "Skip it", "No: do not build it.", ("No, never.", "No way.")),
            Position(
                "other",
                "Something else",
                "Talks about something else.",
                ("Lovely newsletter.", "Who decides this anyway?", "Trams are old."),
            ),
        ),
    )
    tagger = Tagger.fit(question, embedder=EMBEDDER)
    assert tagger.positions._answerless.tolist() == [0.0, 0.0, 1.0]
    assert _answered(cue_matrix(["Nope.", "Nice weather."]).astype(np.float64)).tolist() == [
        pytest.approx(float(cue_matrix(["Nope."])[0, NAMES.index("no_any")])),
        0.0,
    ]
    assert tagger.tag(["Nope."])[0].position.key == "skip"
