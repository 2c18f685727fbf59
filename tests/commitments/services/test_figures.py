"""One check of a figure (``services.figures.figure_check``) and one set of messages:
the same errors keyed by a CSV line or a report form's field, the same message objects
on the report form, in its script and in the imports, in Vietnamese and in English."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from commitments import selectors, services
from commitments.models import Category, DataElement, Membership
from commitments.services import figures
from commitments.tabular import ImportFailed
from tests import factories

LINE = 7  # a CSV file's line
FIELD = "dossiers_resolved__land"  # a report form's field
HEADER = "year,quarter,unit,element,category,value\n"


@pytest.fixture
def known(catalogue):
    """The catalogue's elements and categories by code, as the callers pass them."""
    return {
        "elements": {e.code: e for e in DataElement.objects.all()},
        "categories": {c.code: c for c in Category.objects.all()},
    }


def _check(known, where, element, category, text, **options):
    return figures.figure_check(
        where=where, element_code=element, category_code=category, text=text, **known, **options
    )


def _texts(error) -> tuple[str, str]:
    """The error's reason in Vietnamese and in English."""
    with translation.override("vi"):
        vi = str(error)
    with translation.override("en"):
        en = str(error)
    return vi, en


# (element, category, text) -> (part, message, Vietnamese, English)
CASES = [
    (
        ("dossiers_resolved", "land", "-3"),
        ("value", figures.WHOLE),
        "Nhập một số nguyên từ 0 trở lên.",
        "Enter a whole number of 0 or more.",
    ),
    (
        ("dossiers_resolved", "land", "12.5"),
        ("value", figures.WHOLE),
        "Nhập một số nguyên từ 0 trở lên.",
        "Enter a whole number of 0 or more.",
    ),
    (
        ("dossiers_resolved", "land", ""),
        ("value", figures.WHOLE),
        "Nhập một số nguyên từ 0 trở lên.",
        "Enter a whole number of 0 or more.",
    ),
    (
        ("survey_published", None, "2"),
        ("value", figures.FLAG),
        "Chỉ nhập 0 (chưa) hoặc 1 (có).",
        "Enter 0 (no) or 1 (yes) only.",
    ),
    (
        ("ho_so_la", None, "3"),
        ("element", figures.UNKNOWN_ELEMENT),
        "Không có số liệu này.",
        "Unknown data element.",
    ),
    (
        ("dossiers_resolved", None, "3"),
        ("category", figures.CATEGORY_MISSING),
        "dossiers_resolved được chia theo lĩnh vực thủ tục: hãy ghi một mục.",
        "dossiers_resolved is split by procedure field: name one.",
    ),
    (
        ("dossiers_resolved", "portal_1022", "3"),
        ("category", figures.CATEGORY_WRONG),
        "Không phải lĩnh vực thủ tục của dossiers_resolved.",
        "Not a procedure field of dossiers_resolved.",
    ),
    (
        ("feedback_due", "rice", "3"),
        ("category", figures.CATEGORY_WRONG),
        "Không phải kênh phản ánh, kiến nghị của feedback_due.",
        "Not a feedback and petition channel of feedback_due.",
    ),
    (
        ("survey_responses", "land", "3"),
        ("category", figures.CATEGORY_UNEXPECTED),
        "survey_responses không chia theo nhóm nào.",
        "survey_responses is not split by category.",
    ),
]


@pytest.mark.parametrize("where", [LINE, FIELD, "/rows/17"])
@pytest.mark.parametrize(("given", "expected", "vi", "en"), CASES)
def test_each_error_keyed_by_the_callers_location_in_both_languages(
    known, where, given, expected, vi, en
):
    element, category, text = given
    value, errors = _check(known, where, element, category, text)
    assert value is None or expected[0] != "value"
    assert len(errors) == 1
    error = errors[0]
    assert (error.where, error.part, error.message) == (where, *expected)
    given_for_part = {"element": element, "category": category or "", "value": text}
    assert error.text == given_for_part[error.part]
    assert _texts(error) == (vi, en)


@pytest.mark.parametrize("where", [LINE, FIELD])
@pytest.mark.parametrize(
    ("element", "category", "text", "value"),
    [
        ("dossiers_resolved", "land", "120", 120),
        ("dossiers_resolved", "land", " 0 ", 0),
        ("feedback_due", "portal_1022", "+4", 4),
        ("survey_published", None, "1", 1),
        ("survey_responses", "", "50", 50),
    ],
)
def test_a_good_figure_gives_its_value(known, where, element, category, text, value):
    assert _check(known, where, element, category, text) == (value, [])


def test_an_empty_value_is_no_figure_only_when_optional(known):
    assert _check(known, FIELD, "dossiers_resolved", "land", "  ", optional=True) == (None, [])
    value, errors = _check(known, LINE, "dossiers_resolved", "land", "")
    assert value is None
    assert [(e.part, e.message) for e in errors] == [("value", figures.WHOLE)]
    # The figure itself is still checked when its value is empty.
    _value, errors = _check(known, FIELD, "ho_so_la", None, "", optional=True)
    assert [e.message for e in errors] == [figures.UNKNOWN_ELEMENT]


def test_every_problem_of_a_figure_in_the_order_of_the_columns(known):
    value, errors = _check(known, LINE, "ho_so_la", "land", "-1")
    assert value is None
    assert [(e.part, e.message) for e in errors] == [
        ("element", figures.UNKNOWN_ELEMENT),
        ("value", figures.WHOLE),
    ]
    _value, errors = _check(known, LINE, "survey_published", "land", "5")
    assert [(e.part, e.message) for e in errors] == [
        ("category", figures.CATEGORY_UNEXPECTED),
        ("value", figures.FLAG),
    ]


def test_a_broken_rule_is_an_error_on_the_figures_location(known, catalogue):
    desk = factories.unit("vp", parent=factories.department(), receives_dossiers=True)
    elements, land = known["elements"], known["categories"]["land"]

    def item(where, element, value):
        return figures.FigureInput(where, 2021, 1, desk, elements[element], land, value)

    inputs = [item(FIELD, "dossiers_resolved", 10), item("on_time", "dossiers_on_time", 12)]
    with pytest.raises(figures.RulesBroken) as broken:
        figures.figures_save(inputs=inputs)
    (violation,) = broken.value.violations
    error = violation.error()
    assert (error.where, error.part, error.message) == ("on_time", "value", figures.ABOVE)
    assert _texts(error) == (
        "dossiers_on_time (12) không được lớn hơn dossiers_resolved (10).",
        "dossiers_on_time (12) cannot exceed dossiers_resolved (10).",
    )
    named = violation.error(label=lambda element: element.name)
    assert str(named).startswith(f"{elements['dossiers_on_time'].name} (12)")


def test_the_form_its_script_and_the_imports_share_the_messages(
    known, catalogue, client, django_user_model, write_file
):
    assert figures.FORM_MESSAGES == {
        "whole": figures.WHOLE,
        "separator": figures.SEPARATOR,
        "flag": figures.FLAG,
        "above": figures.ABOVE,
    }
    desk = factories.unit("vp", parent=factories.department(), receives_dossiers=True)

    # The import, in English whatever the active language: line, column, cell, reason.
    text = HEADER + "2021,1,vp,dossiers_resolved,land,-3\n2021,1,vp,survey_published,,2\n"
    with translation.override("vi"), pytest.raises(ImportFailed) as failed:
        services.imports.figures_import(path=write_file("figures.csv", text))
    with translation.override("en"):
        assert failed.value.errors == [
            f"line 2: value: '-3': {figures.WHOLE}",
            f"line 3: value: '2' (0/1 flag): {figures.FLAG}",
        ]

    # The server's refusal of a report form, in the active language, next to the field.
    report = selectors.reports.report_for(unit=desk, year=2021, quarter=1)
    values = {("dossiers_resolved", "land"): "-3", ("epayment_applied", None): "2"}
    for language in ("vi", "en"):
        with (
            translation.override(language),
            pytest.raises(services.reports.ReportRefused) as refused,
        ):
            services.reports.report_save(report=report, values=values, version=0)
        with translation.override(language):
            assert refused.value.errors == {
                FIELD: str(figures.WHOLE),
                "epayment_applied": str(figures.FLAG),
            }

    # The form's script reads the same messages from its data attributes.
    user = django_user_model.objects.create_user("chuyenvien", password="mat-khau-dai-123")
    Membership.objects.create(user=user, unit=desk, role=Membership.Role.STAFF)
    client.force_login(user)
    url = reverse("commitments:quarterly_report", args=["vp", 2021, 1])
    html = client.get(url).content.decode()
    with translation.override("vi"):
        for name, message in figures.FORM_MESSAGES.items():
            assert f'data-msg-{name}="{message}"' in html
