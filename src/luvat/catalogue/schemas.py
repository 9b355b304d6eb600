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
# A row's source: a key of the file's ``sources`` or an https URL of its own.
SOURCE_REF = {
    "type": "string",
    "pattern": "^(https://[^\\s]+|[a-z0-9][a-z0-9_-]*)$",
    "maxLength": 500,
}
SOURCES = {
    "type": "object",
    "propertyNames": {"pattern": "^[a-z0-9][a-z0-9_-]*$"},
    "additionalProperties": {
        "type": "object",
        "required": ["url", "title"],
        "additionalProperties": False,
        "properties": {
            "url": {"type": "string", "pattern": "^https://[^\\s]+$", "maxLength": 500},
            "title": {"type": "string", "minLength": 1},
        },
    },
}
CONTACT_FIELDS = ("phone", "email", "visiting_address", "postal_address", "website", "e_service")
FINNISH_AT_LEAST = _texts()

MUNICIPALITIES = {
    "type": "object",
    "required": ["kind", "items"],
    "additionalProperties": False,
    "properties": {
        "kind": {"const": "municipalities"},
        "note": {"type": "string"},
        "sources": SOURCES,
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "fi", "source"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": r"^\d{3}$"},
                    "fi": {"type": "string", "minLength": 1},
                    "sv": {"type": "string"},
                    "en": {"type": "string"},
                    "county": {"type": "string", "pattern": "^[A-Z]{2,3}$"},
                    "aland": {"type": "boolean"},
                    "valid_from": DATE,
                    "valid_until": DATE,
                    "successor": {"type": ["string", "null"], "pattern": r"^\d{3}$"},
                    "source": SOURCE_REF,
                },
                "if": {"not": {"required": ["aland"], "properties": {"aland": {"const": True}}}},
                "then": {"required": ["county"]},
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
        "sources": SOURCES,
        "items": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "kind", "name", "source"],
                "additionalProperties": False,
                "properties": {
                    "source": SOURCE_REF,
                    "source_note": {"type": "string", "maxLength": 500},
                    "not_found": {
                        "type": "array",
                        "items": {"enum": list(CONTACT_FIELDS)},
                        "uniqueItems": True,
                    },
                    "e_service": URL,
                    "counties": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^[A-Z]{2,3}$"},
                        "uniqueItems": True,
                    },
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
        "legal_basis_url": URL,
        "source_url": URL,
        "fee": {
            "type": "object",
            "required": ["text", "source"],
            "additionalProperties": False,
            "properties": {
                "text": TRANSLATED,
                "url": URL,
                "source": SOURCE_REF,
                # A fixed sum only when the source publishes one (summed on the project page).
                "amount_eur": {"type": "number", "minimum": 0},
            },
        },
        "redress": {
            "type": "object",
            "required": ["text", "source"],
            "additionalProperties": False,
            "properties": {"text": TRANSLATED, "source": SOURCE_REF},
        },
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
                "published": {"type": "boolean"},
                "source": SOURCE_REF,
            },
        },
        "depends_on": {"type": "array", "items": CODE, "uniqueItems": True},
        "joining_mode": {"enum": list(JoiningMode.values)},
        "redirect_url": URL,
        "redirect_source": SOURCE_REF,
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
    "properties": {
        "kind": {"const": "services"},
        "sources": SOURCES,
        "items": {"type": "array", "items": SERVICE},
    },
}

QUESTION_TYPES = (
    "yes_no",
    "number",
    "date",
    "choice",
    "multi_choice",
    "municipality",
    "text",
    "change",
    "repeat",
)

QUESTION: dict[str, Any] = {
    "type": "object",
    "required": ["id", "type", "label"],
    "additionalProperties": False,
    "properties": {
        "not_sure": {"type": "boolean"},
        "decided_by": TRANSLATED,
        "max_items": {"type": "integer", "minimum": 1, "maximum": 500},
        "max_length": {"type": "integer", "minimum": 1, "maximum": 2000},
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

# Item questions of a repeatable question: the same shape, no nesting.
QUESTION["properties"]["items"] = {
    "type": "array",
    "minItems": 1,
    "items": {
        **QUESTION,
        "properties": {
            k: v for k, v in QUESTION["properties"].items() if k not in {"items", "show_if"}
        },
    },
}

FACT = {
    "type": "object",
    "required": ["id", "row", "source"],
    "additionalProperties": False,
    "properties": {
        "id": CODE,
        "row": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "thresholds": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["question", "at"],
                "additionalProperties": False,
                "properties": {"question": {"type": "string"}, "at": {"type": "number"}},
            },
        },
        "note": {"type": "string"},
    },
}

RULE = {
    "type": "object",
    "required": ["service", "tier", "when", "reason"],
    "additionalProperties": False,
    "properties": {
        "for_each": QUESTION_ID,
        "facts": {"type": "array", "items": CODE},
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
        "facts": {"type": "array", "items": FACT},
        "facts_section": {"type": "integer", "minimum": 1},
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "municipalities": MUNICIPALITIES,
    "authorities": AUTHORITIES,
    "vocabulary": VOCABULARY,
    "services": SERVICES,
    "package": PACKAGE,
}
