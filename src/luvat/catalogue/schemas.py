"""JSON Schemas (draft 2020-12) of the catalogue data files in ``catalogue/data/``.

The loader validates every file against the schema of its ``kind`` before it checks
references between files; an error names the file and line.
"""

from __future__ import annotations

from typing import Any

from luvat.catalogue.models import (
    AuthorityKind,
    AuthorityResolution,
    JoiningMode,
    LeadTimeUnit,
    ServiceKind,
    VocabularyType,
)

CODE = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$", "maxLength": 80}
QUESTION_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "maxLength": 60}
DATE = {"type": ["string", "null"], "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
URL = {"type": "string", "pattern": "^(https://[^\\s]+)?$", "maxLength": 500}


def _texts(*, required: tuple[str, ...] = ("fi",)) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {lang: {"type": "string"} for lang in ("fi", "sv", "en")},
        "required": list(required),
        "additionalProperties": False,
    }


TRANSLATED = _texts(required=("fi", "sv", "en"))
FINNISH_AT_LEAST = _texts()

MUNICIPALITIES = {
    "type": "object",
    "required": ["kind", "items"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "municipalities"},
        "source": {"type": "string"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "fi"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": r"^\d{3}$"},
                    "fi": {"type": "string", "minLength": 1},
                    "sv": {"type": "string"},
                    "en": {"type": "string"},
                },
            },
        },
    },
}

AUTHORITIES = {
    "type": "object",
    "required": ["kind", "items"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "authorities"},
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "kind", "name"],
                "additionalProperties": False,
                "properties": {
                    "code": {**CODE, "maxLength": 40},
                    "kind": {"enum": list(AuthorityKind.values)},
                    "name": TRANSLATED,
                    "business_id": {"type": "string", "pattern": r"^(\d{7}-\d)?$"},
                    "phone": {"type": "string", "maxLength": 40},
                    "email": {"type": "string", "pattern": r"^([^@\s]+@[^@\s]+\.[a-z]+)?$"},
                    "visiting_address": {"type": "string", "maxLength": 300},
                    "postal_address": {"type": "string", "maxLength": 300},
                    "website": URL,
                    "service_hours": _texts(required=()),
                    "nationwide": {"type": "boolean"},
                    "municipalities": {
                        "type": "array",
                        "items": {"type": "string", "pattern": r"^\d{3}$"},
                        "uniqueItems": True,
                    },
                    "valid_from": DATE,
                    "valid_until": DATE,
                    "successor": {"type": ["string", "null"]},
                },
            },
        },
    },
}

VOCABULARY = {
    "type": "object",
    "required": ["kind", "items"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "vocabulary"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "group", "type", "label"],
                "additionalProperties": False,
                "properties": {
                    "code": QUESTION_ID,
                    "group": {"type": "string"},
                    "type": {"enum": list(VocabularyType.values)},
                    "label": TRANSLATED,
                    "help": _texts(required=()),
                    "personal_data": {"type": "boolean"},
                },
            },
        },
    },
}

ATTACHMENT = {
    "type": "object",
    "required": ["code", "name", "required"],
    "additionalProperties": False,
    "properties": {
        "code": QUESTION_ID,
        "name": TRANSLATED,
        "required": {"type": "boolean"},
        "types": {"type": "array", "items": {"type": "string"}},
        "max_bytes": {"type": "integer", "minimum": 1},
    },
}

SERVICE = {
    "type": "object",
    "required": ["code", "kind", "name", "description", "authority_kind", "legal_basis"],
    "additionalProperties": False,
    "properties": {
        "code": CODE,
        "kind": {"enum": list(ServiceKind.values)},
        "name": TRANSLATED,
        "description": TRANSLATED,
        "authority_kind": {"type": "string"},
        "authority_resolution": {"enum": list(AuthorityResolution.values)},
        "legal_basis": {"type": "string", "maxLength": 300},
        "source_url": URL,
        "lead_time": {
            "type": ["object", "null"],
            "required": ["days", "unit"],
            "additionalProperties": False,
            "properties": {
                "days": {"type": "integer", "minimum": 0},
                "unit": {"enum": list(LeadTimeUnit.values)},
            },
        },
        "processing_time": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "days": {"type": ["integer", "null"], "minimum": 0},
                "note": _texts(required=()),
            },
        },
        "depends_on": {"type": "array", "items": CODE, "uniqueItems": True},
        "joining_mode": {"enum": list(JoiningMode.values)},
        "redirect_url": URL,
        "integration_endpoint": {"type": "string", "maxLength": 200},
        "form_schema": {"type": "object"},
        "shared_data_mapping": {"type": "object", "additionalProperties": {"type": "string"}},
        "attachments": {"type": "array", "items": ATTACHMENT},
        "ptv_id": {"type": "string"},
    },
}

SERVICES = {
    "type": "object",
    "required": ["kind", "items"],
    "additionalProperties": False,
    "properties": {"kind": {"const": "services"}, "items": {"type": "array", "items": SERVICE}},
}

QUESTION_TYPES = ("yes_no", "number", "date", "choice", "multi_choice", "municipality")

QUESTION = {
    "type": "object",
    "required": ["id", "type", "label"],
    "additionalProperties": False,
    "properties": {
        "id": QUESTION_ID,
        "type": {"enum": list(QUESTION_TYPES)},
        "label": TRANSLATED,
        "help": TRANSLATED,
        "required": {"type": "boolean"},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "integer": {"type": "boolean"},
        "future": {"type": "boolean"},
        "options": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["value", "label"],
                "additionalProperties": False,
                "properties": {"value": QUESTION_ID, "label": TRANSLATED},
            },
        },
        "show_if": {},
        "vocabulary": QUESTION_ID,
    },
    "allOf": [
        {
            "if": {"properties": {"type": {"enum": ["choice", "multi_choice"]}}},
            "then": {"required": ["options"]},
            "else": {"not": {"required": ["options"]}},
        }
    ],
}

RULE = {
    "type": "object",
    "required": ["service", "tier", "when", "reason"],
    "additionalProperties": False,
    "properties": {
        "service": CODE,
        "tier": {"enum": ["definitely", "possibly"]},
        "when": {},
        "reason": TRANSLATED,
        "legal_basis": {"type": "string"},
    },
}

PACKAGE = {
    "type": "object",
    "required": ["kind", "code", "name", "description", "services", "questionnaire", "rules"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "package"},
        "code": CODE,
        "order": {"type": "integer", "minimum": 0},
        "name": TRANSLATED,
        "description": TRANSLATED,
        "services": {"type": "array", "items": CODE, "minItems": 1, "uniqueItems": True},
        "questionnaire": {"type": "array", "items": QUESTION, "minItems": 1},
        "rules": {"type": "array", "items": RULE, "minItems": 1},
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "municipalities": MUNICIPALITIES,
    "authorities": AUTHORITIES,
    "vocabulary": VOCABULARY,
    "services": SERVICES,
    "package": PACKAGE,
}
