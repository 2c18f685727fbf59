"""The roles every access test walks through, the same for the pages
(tests/commitments/test_access.py) and the API (tests/api): a department (Sở) with two
receiving units, A and B, and a user per role."""

from __future__ import annotations

from tests import factories

DEPARTMENT, A, B = "so-nnptnt", "cc-thuyloi", "cc-kiemlam"
NAMES = {
    DEPARTMENT: "Sở Nông nghiệp và Phát triển nông thôn",
    A: "Chi cục Thủy lợi",
    B: "Chi cục Kiểm lâm",
}
ROLES = [
    "anonymous",
    "no_membership",
    "staff_a",
    "staff_b",
    "director_a",
    "director_department",
    "target_editor",  # may change targets, member of no unit
    "superuser",
    "city_office",  # holds view_city through a group, member of no unit
]


def role_units():
    """The department, A and B (both receive dossiers)."""
    department = factories.unit(DEPARTMENT, kind="department", name=NAMES[DEPARTMENT])
    a = factories.unit(A, parent=department, receives_dossiers=True, name=NAMES[A])
    b = factories.unit(B, parent=department, receives_dossiers=True, name=NAMES[B])
    return department, a, b


def role_users(department, a, b) -> dict:
    """A user per role (``None`` for the anonymous one)."""
    return {
        "anonymous": None,
        "no_membership": factories.user("nguoidung"),
        "staff_a": factories.staff("chuyenvien-a", a),
        "staff_b": factories.staff("chuyenvien-b", b),
        "director_a": factories.director("truongphong-a", a),
        "director_department": factories.director("giamdoc", department),
        "target_editor": factories.user("bientap", permissions=["change_target"]),
        "superuser": factories.superuser(),
        "city_office": factories.city_office(),
    }
