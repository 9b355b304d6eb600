"""PDF documents for the customer: the acknowledgement of receipt and the project summary.

Drawn with fpdf2's built-in Helvetica and Courier in the Windows-1252 encoding, which holds
every Finnish and Swedish letter (å ä ö Å Ä Ö š ž) and the usual punctuation; characters
outside it are written without their accents (or as "?"), never dropped silently. No font
files are needed, so the documents look the same on every machine.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from luvat.catalogue.models import VocabularyField
from luvat.projects.models import Project, Submission, SubmissionKind
from luvat.projects.schema_forms import schema_text
from luvat.projects.selectors import ProjectSummary

ENCODING = "windows-1252"
NONE = "\u2013"  # an en dash stands for "no value", as in the HTML pages
REPLACEMENTS = {"→": "->", "←": "<-", "≥": ">=", "≤": "<=", "\u00a0": " "}


def pdf_text(value: Any) -> str:
    """``value`` as text the core fonts can draw: Windows-1252, accents stripped otherwise."""
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(pdf_text(v) for v in value)
    text = str(value)
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
            out.append(base or "?")
    return "".join(out)


def _day(value: date | None) -> str:
    return f"{value.day}.{value.month}.{value.year}" if value else NONE


def _moment(value: datetime | None) -> str:
    if value is None:
        return NONE
    local = timezone.localtime(value)
    return f"{_day(local.date())} {local:%H:%M:%S}"


class _Document(FPDF):
    def __init__(self, title: str, footer: str) -> None:
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.footer_text = pdf_text(footer)
        self.set_title(pdf_text(title))
        self.set_lang(get_language() or "fi")
        self.set_creator("Luvat")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90)
        page = _("Page %(page)d") % {"page": self.page_no()}
        self.cell(0, 6, pdf_text(f"{self.footer_text} · {page}"), align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", size)
        self.multi_cell(0, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10) -> None:
        self.set_font("Helvetica", size=size)
        self.multi_cell(0, 5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def pairs(self, rows: Iterable[tuple[str, Any]], *, mono: frozenset[int] = frozenset()) -> None:
        """Label and value lines; values of the rows numbered in ``mono`` in a fixed-width font."""
        for index, (label, value) in enumerate(rows):
            self.set_font("Helvetica", "B", 9)
            self.cell(55, 5.5, pdf_text(label))
            self.set_font("Courier" if index in mono else "Helvetica", size=9)
            self.multi_cell(0, 5.5, pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(
        self, header: tuple[str, ...], body: list[tuple[Any, ...]], widths: tuple[int, ...]
    ) -> None:
        self.set_font("Helvetica", size=8)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.5) as table:
            head = table.row()
            for text in header:
                head.cell(pdf_text(text))
            for values in body:
                row = table.row()
                for value in values:
                    row.cell(pdf_text(value))


def _labels(codes: Iterable[str]) -> dict[str, str]:
    return {f.code: f.label for f in VocabularyField.objects.filter(code__in=list(codes))}


def receipt_pdf(*, submission: Submission, project: Project) -> bytes:
    """The acknowledgement of receipt: reference, arrival time, SHA-256 of the snapshot, and
    what was sent (shared data, answers, attachment fingerprints)."""
    application = submission.application
    snapshot: Mapping[str, Any] = submission.snapshot
    title = _("Acknowledgement of receipt")
    pdf = _Document(title, f"{submission.reference} · SHA-256 {submission.sha256}")
    pdf.heading(title, size=16)
    if submission.kind == SubmissionKind.APPLICATION:
        pdf.paragraph(_("The application was received.") + " " + _("Keep this receipt."))
    else:
        pdf.paragraph(_("The change of shared data was received.") + " " + _("Keep this receipt."))
    pdf.ln(2)
    authority = application.authority
    pdf.pairs(
        [
            (_("Reference number"), submission.reference),
            (_("Received at"), _moment(submission.arrived_at)),
            (_("Permit or notification"), application.service.name),
            (_("Authority"), authority.name if authority else None),
            (_("Project"), f"{project.name} ({project.reference})"),
            (_("Company"), f"{project.company_name} ({project.business_id})"),
            (_("Sent by"), submission.submitted_by_label or submission.submitted_by),
            (_("SHA-256 of the submitted content"), submission.sha256),
        ],
        mono=frozenset({7}),
    )
    pdf.ln(1)
    pdf.paragraph(
        _(
            "The SHA-256 fingerprint proves what was sent: the same content always gives the "
            "same fingerprint."
        ),
        size=8,
    )
    shared = snapshot.get("shared_data") or {}
    if shared:
        labels = _labels(shared)
        pdf.heading(_("Shared data"))
        pdf.pairs([(labels.get(code, code), value) for code, value in shared.items()])
    form = snapshot.get("form") or {}
    if form:
        properties = (application.service.form_schema or {}).get("properties") or {}
        pdf.heading(_("Answers"))
        pdf.pairs(
            [
                (schema_text(properties.get(name) or {}, "title", name), v)
                for name, v in form.items()
            ]
        )
    changes = snapshot.get("changes") or []
    if changes:
        labels = _labels(change["code"] for change in changes)
        pdf.heading(_("Changed shared data"))
        pdf.pairs(
            [
                (labels.get(c["code"], c["code"]), f"{pdf_text(c['old'])} -> {pdf_text(c['new'])}")
                for c in changes
            ]
        )
    attachments = snapshot.get("attachments") or []
    if attachments:
        pdf.heading(_("Attachments"))
        pdf.rows(
            (_("File name"), _("Size (bytes)"), "SHA-256"),
            [(a["file_name"], a["size"], a["sha256"]) for a in attachments],
            (45, 20, 109),
        )
    return bytes(pdf.output())


def summary_pdf(summary: ProjectSummary) -> bytes:
    """The project summary: every application's status, deadlines and next step, the shared
    data with its provenance, and the timeline as a list."""
    project = summary.project
    pdf = _Document(
        project.name,
        f"{project.reference} · " + _("Printed at %(day)s") % {"day": _moment(timezone.now())},
    )
    pdf.heading(project.name, size=16)
    pdf.pairs(
        [
            (_("Project reference"), project.reference),
            (_("Company"), f"{project.company_name} ({project.business_id})"),
            (_("Service package"), project.package.name if project.package else None),
            (_("Activity starts on"), _day(project.starts_on)),
        ]
    )
    if project.description:
        pdf.ln(1)
        pdf.paragraph(project.description)
    pdf.heading(_("Applications"))
    body = []
    for row in summary.live_rows:
        application, deadlines = row.application, row.deadlines
        if deadlines.expected_decision:
            deadline = f"{_('decision expected')} {_day(deadlines.expected_decision)}"
        elif deadlines.latest_submission:
            deadline = f"{_('submit by')} {_day(deadlines.latest_submission)}"
        else:
            deadline = NONE
        status = str(application.get_status_display())
        if application.outcome:
            status += f": {application.get_outcome_display()}"
        body.append(
            (
                f"{application.service.name}\n{application.reference}",
                application.authority.name if application.authority else None,
                status,
                _moment(row.last_change)[:-3],
                deadline,
                str(row.next_action.text),
            )
        )
    if body:
        pdf.rows(
            (
                _("Permit or notification"),
                _("Authority"),
                _("Status"),
                _("Last change"),
                _("Next deadline"),
                _("What next"),
            ),
            body,
            (38, 30, 22, 24, 28, 32),
        )
    else:
        pdf.paragraph(_("No applications yet."))
    pdf.heading(_("Timeline"))
    for trow in summary.timeline.rows:
        application, deadlines = trow.row.application, trow.row.deadlines
        parts = [f"{application.service.name}: {application.get_status_display()}."]
        if deadlines.latest_submission:
            parts.append(_("Submit by %(day)s.") % {"day": _day(deadlines.latest_submission)})
        if application.submitted_at:
            parts.append(
                _("Submitted %(day)s.")
                % {"day": _day(timezone.localdate(application.submitted_at))}
            )
        if deadlines.expected_decision:
            parts.append(
                _("Decision expected by %(day)s.") % {"day": _day(deadlines.expected_decision)}
            )
        pdf.paragraph(" ".join(parts), size=9)
    pdf.heading(_("Shared data"))
    pdf.pairs(
        [
            (value.field.label, f"{pdf_text(value.value)} ({value.get_provenance_display()})")
            for value in summary.shared_values
        ]
    )
    return bytes(pdf.output())
