"""Answer cues and label echoes, in several languages."""

from __future__ import annotations

import pytest

from curator.questions import Position
from curator.tagging.cues import NAMES, cue_vector
from curator.tagging.echo import PositionEcho


def cues(text: str) -> dict[str, float]:
    return {n: float(v) for n, v in zip(NAMES, cue_vector(text), strict=True)}


@pytest.mark.parametrize(
    "text", ["Yes, absolutely.", "Ja, natürlich.", "Да, конечно.", "Tak, oczywiście.", "Sí."]
)
def test_opening_yes(text: str) -> None:
    got = cues(text)
    assert got["yes_open"] == 1.0
    assert got["no_open"] == 0.0


@pytest.mark.parametrize(
    "text", ["No. Never.", "Nein, auf keinen Fall.", "Нет.", "Ні.", "Non, jamais.", "Ei."]
)
def test_opening_no(text: str) -> None:
    got = cues(text)
    assert got["no_open"] == 1.0
    assert got["yes_open"] == 0.0


def test_no_as_a_determiner_is_not_an_answer() -> None:
    assert cues("There is no reason to refuse them.")["no_open"] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "Only if they can prove it.",
        "Nur wenn sie sich registrieren.",
        "Seulement si la guerre finit.",
        "Только если они против войны.",
        "Ainult kui nad läbivad kontrolli.",
        "Admit some, on conditions.",
    ],
)
def test_conditions(text: str) -> None:
    assert cues(text)["conditional"] > 0


@pytest.mark.parametrize(
    "text",
    [
        "Yes, but only if they oppose the war.",
        "Yes. Only if they pass the checks.",
        "Take them if they register.",
        "Let them in, provided they have papers.",
        "Ja, sofern sie sich registrieren.",
        "Oui, à condition qu'ils refusent de combattre.",
        "Sí, siempre que pasen un control.",
        "Sì, ma solo se hanno i documenti.",
        "Tak, ale tylko jeśli przejdą kontrolę.",
        "Да, при условии проверки.",
        "Так, але тільки якщо вони проти війни.",
    ],
)
def test_a_yes_qualified_by_a_condition(text: str) -> None:
    assert cues(text)["qualified_yes"] == 1.0


@pytest.mark.parametrize(
    "text",
    [
        "Yes, absolutely.",
        "No. Only if hell freezes over.",
        "Let them in, even if a few are spies.",
        "Admit them, not only in Finland but everywhere.",
        "If you ask me, yes.",
    ],
)
def test_no_qualified_yes(text: str) -> None:
    assert cues(text)["qualified_yes"] == 0.0


def test_yes_but_is_a_weaker_qualified_yes() -> None:
    assert 0.0 < cues("Да, но не сразу.")["qualified_yes"] < 1.0
    assert 0.0 < cues("Ja, aber später.")["qualified_yes"] < 1.0


def test_a_concession_is_no_condition() -> None:
    assert cues("Even if some of them lie, take them.")["if"] == 0.0
    assert cues("Take them if they pass.")["if"] > 0


def test_hedges_and_questions() -> None:
    got = cues("I don't know. Who decides this anyway?")
    assert got["hedge"] > 0
    assert got["question"] > 0


def test_every_cue_is_in_unit_range() -> None:
    for text in ("", "x" * 5000, "no no no no no no no", "?!?!", "Yes but no but only if."):
        v = cue_vector(text)
        assert v.shape == (len(NAMES),)
        assert ((v >= 0) & (v <= 1)).all()


def test_echo_of_a_label_and_its_negation() -> None:
    echo = PositionEcho([Position("admit", "Let them in"), Position("no", "Don't adopt it")])
    let_in, not_let_in, dont_adopt, adopt = echo.features(
        ["Let the poor devils in.", "I would not let them in.", "Don't adopt it.", "Adopt it!"]
    )
    assert let_in[0] == 1.0 and let_in[1] == 0.0
    assert not_let_in[0] == 0.0 and not_let_in[1] == 1.0
    assert dont_adopt[2] == 1.0
    assert adopt[3] == 1.0  # "adopt" without the label's negation: the label flipped
