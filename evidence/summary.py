"""The bundle's PDF summary: the same case in English, then in Arabic (right to left).

fpdf2 shapes the Arabic with HarfBuzz (uharfbuzz) and orders mixed text with its bidi
algorithm; the Noto fonts are shipped in evidence/fonts/ (SIL OFL), so nothing is fetched.
Times are in the facility's zone, whoever exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from anpr import plates
from cameras import labels
from damanat import numbers

from .cases import Case
from .trail import trail

if TYPE_CHECKING:
    from .models import EvidenceExport

FONTS = Path(__file__).resolve().parent / "fonts"
LINE = 6


@dataclass
class Listing:
    """The files of the bundle as the summary names them."""

    included: list[str]
    missing: list[str]


class SummaryPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.add_font("sans", fname=str(FONTS / "NotoSans-Regular.ttf"))
        self.add_font("naskh", fname=str(FONTS / "NotoNaskhArabic-Regular.ttf"))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_creator("Damanat")

    def start(self, language: str) -> None:
        """A new page in ``language``: its font, its fallback and its direction."""
        arabic = language == "ar"
        self.add_page()
        self.set_font("naskh" if arabic else "sans", size=10)
        self.set_fallback_fonts(["sans" if arabic else "naskh"])
        # No discretionary Latin ligatures: inside a right-to-left line HarfBuzz placed "fi"
        # of "manifest" backwards. Arabic joining and lam-alef are required ligatures (rlig).
        self.set_text_shaping(
            use_shaping_engine=True,
            features={"liga": False},
            direction="rtl" if arabic else "ltr",
            script="arab" if arabic else "latn",
            language=language,
        )
        self.align = "R" if arabic else "L"

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font_size(size)
        self.ln(2)
        self.write_line(text)
        self.set_font_size(10)

    def write_line(self, text: str) -> None:
        self.multi_cell(0, LINE, text, align=self.align, new_x="LMARGIN", new_y="NEXT")

    def fact(self, label: str, value: Any) -> None:
        self.write_line(f"{label}: {value if value not in (None, '') else '—'}")


def render(case: Case, export: EvidenceExport, listing: Listing) -> bytes:
    pdf = SummaryPDF()
    pdf.set_title(f"Evidence bundle #{export.pk}")
    with timezone.override(settings.FACILITY_TIME_ZONE):
        for language in ("en", "ar"):
            with translation.override(language):
                pdf.start(language)
                _write_case(pdf, case, export, listing)
    return bytes(pdf.output())


def _write_case(pdf: SummaryPDF, case: Case, export: Any, listing: Listing) -> None:
    pdf.heading(_("Evidence bundle #%(id)s") % {"id": numbers.digits(export.pk)}, size=16)
    pdf.write_line(case_title(case))
    pdf.heading(_("Case"))
    for label, value in _facts(case, export):
        pdf.fact(label, value)
    _write_events(pdf, case)
    _write_files(pdf, listing)
    pdf.heading(_("Who did what"))
    for line in trail(case):
        pdf.write_line(" · ".join([numbers.when(line.at), line.who, line.source, line.action, line.record]))


def case_title(case: Case) -> str:
    subject = case.subject
    number = numbers.digits(subject.pk)
    if case.report is subject:
        return _("Crime report #%(id)s: %(type)s") % {"id": number, "type": subject.get_crime_type_display()}
    if case.visit is subject:
        return _("Visit #%(id)s of %(plate)s") % {"id": number, "plate": plates.latin_display(subject.plate)}
    return _("Alert #%(id)s: %(title)s") % {"id": number, "title": subject.shown_title}


def _facts(case: Case, export: Any) -> list[tuple[str, object]]:
    camera = case.camera
    facts = [
        (_("Exported by"), export.exported_by.get_username()),
        (_("Exported at"), numbers.when(export.created_at)),
        (_("Time zone"), settings.FACILITY_TIME_ZONE),
        (_("Camera"), f"{camera.code} {camera.display_name}".strip() if camera else ""),
        (_("Zone"), str(case.zone or "")),
        (_("Plate"), _plate(case.plate)),
        (_("Signing key id"), export.key_id),
    ]
    for alert in case.alerts:
        facts += [
            (
                _("Alert #%(id)s") % {"id": numbers.digits(alert.pk)},
                f"{alert.get_kind_display()} · {alert.get_severity_display()} · "
                f"{alert.get_status_display()} · {numbers.when(alert.first_seen_at)} – "
                f"{numbers.when(alert.last_seen_at)}",
            )
        ]
    return facts + _visit_facts(case) + _report_facts(case)


def _plate(plate: str) -> str:
    return f"{plates.latin_display(plate)} ({plates.arabic_display(plate)})" if plate else ""


def _visit_facts(case: Case) -> list[tuple[str, object]]:
    visit = case.visit
    if visit is None:
        return []
    return [
        (_("Entered"), numbers.when(visit.entered_at)),
        (_("Exited"), numbers.when(visit.exited_at)),
        (_("Visit status"), visit.get_status_display()),
    ]


def _report_facts(case: Case) -> list[tuple[str, object]]:
    report = case.report
    if report is None:
        return []
    return [
        (_("Crime type"), report.get_crime_type_display()),
        (_("Detector"), report.detector.name),
        (_("Confidence"), numbers.percent(report.confidence_score)),
        (_("Activity"), f"{numbers.when(report.start_time)} – {numbers.when(report.end_time)}"),
        (_("Report status"), report.get_status_display()),
        (_("Handed over to"), report.handed_over_to),
    ]


def _write_events(pdf: SummaryPDF, case: Case) -> None:
    pdf.heading(_("Camera events"))
    if not case.events:
        pdf.write_line(_("No camera event recorded for this case."))
    for event in case.events:
        camera = event.camera.code if event.camera else event.source_ip
        pdf.write_line(
            f"#{numbers.digits(event.pk)} · {labels.event_type_label(event.event_type)} · "
            f"{numbers.when(event.occurred_at)} · {camera} · {event.plate or ''}".rstrip(" ·")
        )


def _write_files(pdf: SummaryPDF, listing: Listing) -> None:
    pdf.heading(_("Files in this bundle"))
    for name in listing.included:
        pdf.write_line(name)
    if listing.missing:
        pdf.heading(_("Referenced but missing"), size=11)
        for name in listing.missing:
            pdf.write_line(name)
