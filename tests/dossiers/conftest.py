"""The one-stop desk and a small export of its dossiers, worked by hand."""

from __future__ import annotations

import pytest

from tests import factories

HEADER = (
    "code,unit,field,procedure,channel,received_at,due_at,resolved_at,paused_days,status,"
    "paid_online\n"
)
VI_HEADER = (
    "Mã hồ sơ,Đơn vị tiếp nhận,Lĩnh vực,Mã thủ tục,Kênh tiếp nhận,Ngày tiếp nhận,"
    "Hạn giải quyết,Ngày có kết quả,Số ngày tạm dừng,Trạng thái,Thanh toán trực tuyến\n"
)
# A worked example: land in 2021 Q1 at the one-stop desk. By hand: 6 received, 3
# online, 4 resolved, 3 on time; HS-2 two days late, HS-6 open past its due date.
WORKED = (
    # on time, online, resolved exactly at its due date
    "HS-1,vp-mot-cua,land,TT-01,online,2021-01-04 08:00,2021-01-15,2021-01-15 16:30,0,resolved,1\n"
    # late by two days
    "HS-2,vp-mot-cua,land,TT-01,direct,2021-01-05,2021-01-20,2021-01-22 09:00,0,resolved,\n"
    # late without its pause, on time with it (3 days waiting for the citizen)
    "HS-3,vp-mot-cua,land,TT-02,postal,2021-02-01,2021-02-10,2021-02-12,3,resolved,0\n"
    # refused before its due date: resolved on time
    "HS-4,vp-mot-cua,land,TT-02,trực tuyến,2021-02-02,2021-02-20,2021-02-05,0,refused,\n"
    # withdrawn: received only
    "HS-5,vp-mot-cua,land,TT-02,trực tiếp,2021-03-01,2021-03-20,2021-03-03,0,withdrawn,\n"
    # still open at the end of the quarter, past its due date
    "HS-6,vp-mot-cua,land,TT-01,online,2021-03-10,2021-03-25,,0,in_progress,\n"
)


@pytest.fixture
def desk(catalogue):
    department = factories.department()
    return factories.unit("vp-mot-cua", parent=department, receives_dossiers=True)


@pytest.fixture
def imported(desk, write_file):
    """The worked example, imported."""
    from dossiers.services import dossiers_import

    return dossiers_import(path=write_file("worked.csv", HEADER + WORKED))
