"""Editors' corrections: position and argument tags, excerpts and attribution overrides.

The reader's reply is never changed: an excerpt and the name/location overrides are stored
beside it, and `curator show` prints the difference. Editors' tags are marked
``source = "editor"`` so `curator reprocess` (and the tagger's retraining) keep them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from curator.curate.excerpt import ExcerptCheck, check_excerpt
from curator.curate.service import Changed, as_changed, load_response, new_batch
from curator.errors import UsageError
from curator.store import curation as db
from curator.store.engine import Store
from curator.store.models import Question, Response


class UnfaithfulExcerpt(UsageError):
    """The excerpt is not the reader's words in order (and --force was not given)."""


def _keys(items: Sequence[Any]) -> list[str]:
    return [str(i["key"]) for i in items if isinstance(i, dict) and "key" in i]


def _validate(question: Question | None, position: str | None, args: Sequence[str]) -> None:
    if question is None:
        raise UsageError("this response is not routed to a question — it cannot be tagged")
    positions = _keys(question.positions)
    if position is not None and position not in positions:
        raise UsageError(
            f"{question.slug} has no position {position!r} — use one of {', '.join(positions)}"
        )
    arguments = _keys(question.arguments)
    unknown = [a for a in args if a not in arguments]
    if unknown:
        raise UsageError(
            f"{question.slug} has no argument {unknown[0]!r} — use one of "
            f"{', '.join(arguments) or '(none configured)'}"
        )


def tag(
    store: Store,
    ids: Sequence[int],
    *,
    actor: str,
    position: str | None = None,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    expect_version: int | None = None,
) -> list[Changed]:
    """Set the position and/or add and remove arguments, as the editor's own tags."""
    if position is None and not add and not remove:
        raise UsageError("nothing to tag — give --position and/or --argument/--no-argument")
    if expect_version is not None and len(ids) != 1:
        raise UsageError("--expect-version goes with exactly one ID")
    batch = new_batch()
    out: list[Changed] = []
    with store.transaction() as session:
        for rid in dict.fromkeys(ids):
            response = load_response(session, rid)
            _validate(
                db.find_question_by_id(session, response.question_id), position, [*add, *remove]
            )
            new = _tag_fields(response, position, add, remove)
            db.change(
                session, response, actor, "tag", new, batch=batch, expect_version=expect_version
            )
            out.append(as_changed(response))
    return out


def _tag_fields(
    response: Response, position: str | None, add: Sequence[str], remove: Sequence[str]
) -> dict[str, Any]:
    new: dict[str, Any] = {}
    if position is not None:
        new.update(position=position, position_confidence=1.0, position_source="editor")
    if add or remove:
        # Once an editor has touched the arguments, the whole list is theirs: every remaining
        # tag is marked "editor" so reprocessing cannot bring a removed one back.
        kept = [{**a, "source": "editor"} for a in response.arguments if a.get("key") not in remove]
        have = {a["key"] for a in kept}
        kept += [{"key": k, "score": 1.0, "source": "editor"} for k in add if k not in have]
        new["arguments"] = kept
    return new


@dataclass(frozen=True)
class EditResult:
    changed: Changed
    check: ExcerptCheck = field(default_factory=ExcerptCheck)


@dataclass(frozen=True)
class Edit:
    """What to change; None leaves a field alone. An empty excerpt/name/location resets it."""

    excerpt: str | None = None
    name: str | None = None
    location: str | None = None
    withhold: bool | None = None


def edit(
    store: Store,
    rid: int,
    changes: Edit,
    *,
    actor: str,
    force: bool = False,
    expect_version: int | None = None,
) -> EditResult:
    """Store an excerpt (checked for faithfulness) and attribution overrides."""
    with store.transaction() as session:
        response = load_response(session, rid)
        db.check_version(response, expect_version)
        new: dict[str, Any] = {}
        check = ExcerptCheck()
        if changes.excerpt is not None:
            text = changes.excerpt.strip()
            if text and " ".join(text.split()) != " ".join(response.reply.split()):
                check = check_excerpt(response.reply, text)
                if not check.ok and not force:
                    raise UnfaithfulExcerpt(
                        f"the excerpt is not the reader's words: {'; '.join(check.problems)} "
                        "— mark cuts with “…” and additions with [brackets], or use --force"
                    )
                new["excerpt"] = text
            else:
                new["excerpt"] = None  # the whole reply again
        if changes.name is not None:
            new["name_override"] = changes.name.strip() or None
        if changes.location is not None:
            new["location_override"] = changes.location.strip() or None
        if changes.withhold is not None:
            new["withhold_override"] = changes.withhold
        if not new:
            raise UsageError(
                "nothing to change — give --excerpt, --name, --location or --anonymous"
            )
        db.change(session, response, actor, "edit", new, batch=new_batch())
        return EditResult(as_changed(response), check)
