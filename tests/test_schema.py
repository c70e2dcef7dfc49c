from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest
from pydantic import ValidationError

from summarizer.schema import SUB_EVENT_TYPES, ArticleBrief, Event, EventType, SubEventType, schema_json_text

ROOT = Path(__file__).resolve().parent.parent


def test_committed_json_schema_matches_the_models() -> None:
    committed = (ROOT / "schemas" / "article_brief.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json_text(), "schema drifted: run `python -m summarizer.schema` and commit"


def _describe_all(schema: dict, path: str = "") -> list[str]:
    missing = []
    for name, definition in schema.get("$defs", {}).items():
        for field, prop in definition.get("properties", {}).items():
            if "description" not in prop:
                missing.append(f"{name}.{field}")
    for field, prop in schema.get("properties", {}).items():
        if "description" not in prop:
            missing.append(f"ArticleBrief.{field}")
    return missing


def test_every_field_is_described() -> None:
    assert _describe_all(ArticleBrief.model_json_schema()) == []


def test_models_forbid_extra_fields() -> None:
    schema = json.loads(schema_json_text())
    for name, definition in schema["$defs"].items():
        assert definition.get("additionalProperties") is False, name


EVENT = {
    "event_type": "explosions_remote_violence",
    "sub_event_type": "air_drone_strike",
    "status": "occurred",
    "date": {"value": "2023-03-23", "precision": "day", "phrase_ar": "ليل الخميس والجمعة"},
    "location": {
        "name_en": "Deir ez-Zor",
        "name_ar": "دير الزور",
        "admin1_en": "Deir ez-Zor",
        "country_en": "Syria",
        "precision": 1,
    },
    "actors": [{"name_en": "US forces", "name_ar": "القوات الأمريكية", "role": "actor", "sector": "MIL"}],
    "weapon": "aircraft",
    "killed": 6,
    "injured": None,
    "casualty_reports": [
        {"killed": 6, "injured": None, "group_en": "pro-Iran fighters", "according_to": "SOHR"}
    ],
    "according_to": ["SOHR"],
    "description_en": "US air strikes hit a weapons depot in Deir ez-Zor, killing six pro-Iran fighters.",
    "description_ar": "استهدفت الضربات الأمريكية مستودع أسلحة في دير الزور.",
    "evidence": [
        "وقال المرصد السوري لحقوق الإنسان ومقره المملكة المتحدة إن الضربات الأمريكية استهدفت مستودع أسلحة"
    ],
}


def test_valid_event_parses() -> None:
    assert Event.model_validate(EVENT).killed == 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sub_event_type": "armed_clash"}, "does not belong"),
        ({"description_ar": "An English sentence where Arabic belongs."}, "Arabic script"),
        ({"description_en": "ضربات جوية أمريكية في دير الزور"}, "English"),
        ({"status": "rumoured"}, "status"),
        ({"evidence": []}, "evidence"),
        ({"killed": -1}, "killed"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_events_are_rejected(change: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Event.model_validate({**EVENT, **change})


def test_the_type_literals_and_the_sub_event_table_agree() -> None:
    """``EventType`` and ``SubEventType`` (what the JSON Schema allows) and ``SUB_EVENT_TYPES`` (what
    belongs to what) are written out separately for the type checker: nothing else keeps them in step."""
    assert list(get_args(EventType)) == list(SUB_EVENT_TYPES)
    assert list(get_args(SubEventType)) == [s for subs in SUB_EVENT_TYPES.values() for s in subs]


def test_sub_event_types_are_snake_case_and_unique() -> None:
    seen = [s for subs in SUB_EVENT_TYPES.values() for s in subs]
    assert len(seen) == len(set(seen))
    assert all(s == s.lower() and " " not in s for s in seen)
