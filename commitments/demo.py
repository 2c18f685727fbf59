"""The demo department (đơn vị mẫu): HCMC DARD with a year of figures and evidence,
and a second department, HCMC's Department of Natural Resources and Environment, whose
sheet is loaded from a file (``demo_stnmt``).

``demo_load`` writes a realistic Sở Nông nghiệp và Phát triển nông thôn TP.HCM (17
units), its 2020 baseline figures and the four quarters of 2021, the 2021 evidence,
plan tasks and milestones, a season of citizens' answers to the satisfaction survey at
its eight receiving desks (``surveys/demo.py``: the desks' survey figures are counted
from them, never written here), its three users and the city office's ``demo-city`` (password
``demo``), then recomputes the statuses. Everything is an explicit table below, so a reader can check any status
by hand; nothing is random. Running it again writes the same data (upserts on natural
keys).

The story follows 2021 in Ho Chi Minh City: volumes dip in Q1 (Tết), and Q3 is the
strict COVID-19 lockdown (July to September): fewer dossiers, a much larger online share,
fewer surprise inspections, a dialogue held online.

Intended 2021 outcomes for the department (``sonn``), as the dashboard should show them:

- 1.1 met: 10 of 10 plan tasks done on or before 31 October 2021 (100%).
- 2.1, 2.2 met (done in 2021 with evidence). **8.2 not met**: the ISO 9001:2015
  transition was completed on 18 January 2022, after the 31 December 2021 deadline.
- 3.1 met: 5 of the 16 divisions and affiliated units inspected periodically
  (6 records, ``ccttbvtv`` twice) = 31.25% against ">= 30".
- **3.2 not met in Q3**: 4 units inspected without notice (lockdown); Q1 5, Q2 6 and
  Q4 5 distinct units (6 records, ``cctl`` twice) are met.
- 4.1 met every quarter and the year at the department; the unit ``cccntty`` alone
  misses Q1 (178 / 197 = 90.36% < 91), a drill-down example, dragged down by its
  waiting room (the aspect ``access``). The figures are the counts of the valid
  answers, as many as ``SURVEY`` says; two more, at ``sonn-vp`` in Q1 and ``ccttbvtv``
  in Q2, were voided and do not count.
- 4.2 met: the online share rises from 34.64% (2020) to 40.85% (2021), +6.22 points.
- 4.3 met: 133 procedures eligible online at the end of 2021 against 126 at the end of
  2020, +5.56%.
- 4.4 met: the one education public-service unit (the school) applies e-payment, 100%.
- 4.5 tracked: 7 of 8 receiving desks apply e-payment at year end (87.50%); Chi cục
  Kiểm lâm still takes cash; ``ccptnt`` starts in Q4, ``cctl`` in Q3 (a ``last`` flag).
- **4.6 not met**: Phòng Quản lý xây dựng công trình has no initiative, 15 / 16 = 93.75%.
- **5.1 not met in Q2**: land 1,148 / 1,201 = 95.59% < 96, while every other field
  meets its threshold and the whole Q2 ratio (98.43%) is above 98; Q1, Q3, Q4 and the
  year are met (land for the year 97.23%).
- 5.2 met every quarter (the Q3 dialogue was held online).
- 6.1, 6.2 met every quarter: the 8 receiving desks have answers every quarter, and
  the director publishes each desk's quarter.
- 7.1, 7.2 met: every feedback item on time, every result published.
- 8.1 tracked: the share signed digitally rises from 62.61% (Q1) to 90.64% (Q3, remote
  work in the lockdown) and stays at 90.28% in Q4.
- 9.1 met: 4 units add their reform section in Q2; the year takes the last quarter.
- 9.2 met: every unit (17 / 17) has a communication product.

The current year (today's, or that of ``as_of``) is prepared too, so that the first
page shows a year in progress rather than a closed one: its targets are copied from
2021 (``services.targets.targets_copy_year``, only when the year has none: the sheet's words
told of the year, "so với năm 2020" becoming the year before; its commitments confirmed but
4, whose definition of procedures online changed in 2022), the year before
it gets the 2020 figures as its baseline, and the 2021 figures, evidence and
citizens' answers of the quarters that have ended are replayed in it, with the 2021
plan tasks and milestones done only when they were done by then. On 27 November 2026,
for example, 2026 holds the figures of Q1 to Q3: land misses 96% in Q2 again, surprise
inspections fall short in Q3, and the year to date is at risk where it is short (4.3:
131 procedures against 126, +3.97% of the 5% asked; 2.2 and 8.2 not done yet).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from commitments import demo_stnmt, selectors, services
from commitments.models import (
    Category,
    Commitment,
    DataElement,
    Evidence,
    Figure,
    Indicator,
    Membership,
    Milestone,
    PlanTask,
    QuarterlyReport,
    Sheet,
    Target,
    Unit,
)
from dossiers import demo as dossier_demo
from dossiers import services as dossier_services
from surveys import demo as survey_demo

CATALOGUE = "hcmc-dard-2021"
# Figures the units type; the others are counted from citizens' answers.
REPORTED = DataElement.Source.REPORT
YEAR = 2021
BASELINE_YEAR = 2020
DEPARTMENT = "sonn"
PASSWORD = "demo"
# The city's coordinating office: a group holding ``view_city``, as an admin sets it up.
CITY_USER = "demo-city"
CITY_GROUP = "Điều phối cải cách toàn thành phố"

# (username, role shown to the person loading the demo)
USERS = [
    ("demo-admin", "quản trị hệ thống (superuser)"),
    ("demo-director", "Giám đốc Sở, lãnh đạo đơn vị sonn"),
    ("demo-staff", "chuyên viên Văn phòng Sở (bộ phận một cửa), sonn-vp"),
    (demo_stnmt.DIRECTOR, "Giám đốc Sở Tài nguyên và Môi trường, lãnh đạo đơn vị stnmt"),
    (CITY_USER, "Văn phòng điều phối cải cách hành chính thành phố (Sở Nội vụ): xem /city/"),
]
STAFF_UNIT = "sonn-vp"

# ---------------------------------------------------------------------------
# Units: (code, parent, kind, sector, public service, receives dossiers, vi, en)
# ---------------------------------------------------------------------------

D, DIV, AFF = "department", "division", "affiliated_unit"
AGRI, EDU = "agriculture", "education"

UNITS = [
    (
        "sonn",
        None,
        D,
        AGRI,
        False,
        False,
        "Sở Nông nghiệp và Phát triển nông thôn Thành phố Hồ Chí Minh",
        "Ho Chi Minh City Department of Agriculture and Rural Development",
    ),
    (
        "sonn-vp",
        "sonn",
        DIV,
        AGRI,
        False,
        True,
        "Văn phòng Sở (Bộ phận tiếp nhận và trả kết quả một cửa)",
        "Department Office (one-stop receiving desk)",
    ),
    (
        "sonn-tccb",
        "sonn",
        DIV,
        AGRI,
        False,
        False,
        "Phòng Tổ chức cán bộ",
        "Personnel and Organisation Division",
    ),
    (
        "sonn-khtc",
        "sonn",
        DIV,
        AGRI,
        False,
        False,
        "Phòng Kế hoạch - Tài chính",
        "Planning and Finance Division",
    ),
    ("sonn-ttra", "sonn", DIV, AGRI, False, False, "Thanh tra Sở", "Department Inspectorate"),
    (
        "sonn-qlxd",
        "sonn",
        DIV,
        AGRI,
        False,
        False,
        "Phòng Quản lý xây dựng công trình",
        "Construction Management Division",
    ),
    (
        "ccttbvtv",
        "sonn",
        AFF,
        AGRI,
        False,
        True,
        "Chi cục Trồng trọt và Bảo vệ thực vật",
        "Sub-department of Crop Production and Plant Protection",
    ),
    (
        "cccntty",
        "sonn",
        AFF,
        AGRI,
        False,
        True,
        "Chi cục Chăn nuôi và Thú y",
        "Sub-department of Livestock Production and Animal Health",
    ),
    ("ccts", "sonn", AFF, AGRI, False, True, "Chi cục Thủy sản", "Sub-department of Fisheries"),
    (
        "cckl",
        "sonn",
        AFF,
        AGRI,
        False,
        True,
        "Chi cục Kiểm lâm",
        "Sub-department of Forest Protection",
    ),
    ("cctl", "sonn", AFF, AGRI, False, True, "Chi cục Thủy lợi", "Sub-department of Irrigation"),
    (
        "ccptnt",
        "sonn",
        AFF,
        AGRI,
        False,
        True,
        "Chi cục Phát triển nông thôn",
        "Sub-department of Rural Development",
    ),
    (
        "ccqlcl",
        "sonn",
        AFF,
        AGRI,
        False,
        True,
        "Chi cục Quản lý chất lượng Nông lâm sản và Thủy sản",
        "Sub-department of Agro-Forestry-Fishery Quality Assurance",
    ),
    (
        "ttkn",
        "sonn",
        AFF,
        AGRI,
        True,
        False,
        "Trung tâm Khuyến nông",
        "Agricultural Extension Centre",
    ),
    (
        "tttvhtnn",
        "sonn",
        AFF,
        AGRI,
        True,
        False,
        "Trung tâm Tư vấn và Hỗ trợ nông nghiệp",
        "Agricultural Consulting and Support Centre",
    ),
    (
        "tctknn",
        "sonn",
        AFF,
        EDU,
        True,
        False,
        "Trường Trung cấp Kỹ thuật Nông nghiệp",
        "Agricultural Technical Secondary School",
    ),
    (
        "bqlnncnc",
        "sonn",
        AFF,
        AGRI,
        True,
        False,
        "Ban Quản lý Khu Nông nghiệp Công nghệ cao",
        "Management Board of the Hi-Tech Agricultural Park",
    ),
]

# ---------------------------------------------------------------------------
# Figures. Each list holds Q1, Q2, Q3, Q4.
# ---------------------------------------------------------------------------

# Dossiers 2021 by receiving desk and field: (received, online, resolved, on time).
DOSSIERS_2021 = {
    ("sonn-vp", "land"): [
        (1062, 371, 1040, 1012),  # 97.31%
        (1224, 465, 1201, 1148),  # 95.59% < 96: the intended miss of Q2
        (798, 519, 812, 798),  # 98.28%
        (1251, 538, 1236, 1212),  # 98.06%; year 4,170 / 4,289 = 97.23%
    ],
    ("sonn-vp", "investment"): [
        (86, 31, 82, 80),
        (97, 39, 95, 93),
        (54, 38, 57, 56),
        (104, 47, 101, 99),
    ],
    ("ccttbvtv", "crop"): [
        (2346, 880, 2331, 2310),
        (2618, 1010, 2597, 2575),
        (1905, 1240, 1912, 1897),
        (2744, 1120, 2730, 2706),
    ],
    ("cccntty", "livestock_vet"): [
        (3112, 930, 3090, 3049),
        (3380, 1060, 3362, 3320),
        (2214, 1380, 2230, 2196),
        (3506, 1190, 3488, 3441),
    ],
    ("ccts", "fisheries"): [
        (342, 112, 338, 335),
        (365, 128, 361, 357),
        (236, 166, 240, 237),
        (378, 142, 372, 368),
    ],
    ("cckl", "forestry"): [
        (148, 33, 146, 145),
        (161, 38, 158, 157),
        (97, 55, 99, 98),
        (170, 45, 167, 165),
    ],
    ("cctl", "irrigation"): [
        (58, 10, 57, 57),
        (64, 12, 63, 62),
        (41, 21, 42, 42),
        (67, 16, 66, 65),
    ],
    ("ccqlcl", "quality"): [
        (415, 160, 409, 404),
        (452, 182, 447, 441),
        (288, 203, 293, 289),
        (471, 196, 466, 460),
    ],
    ("ccptnt", "rural_development"): [
        (37, 8, 36, 36),
        (42, 10, 41, 41),
        (25, 13, 26, 26),
        (46, 13, 45, 45),
    ],
}
# Totals over the desks: received 7,606 / 8,403 / 5,658 / 8,737 = 30,404;
# online 2,535 / 2,944 / 3,635 / 3,307 = 12,421; resolved 7,529 / 8,325 / 5,711 / 8,671;
# on time 7,428 / 8,194 / 5,639 / 8,561.

# Dossiers 2020 (the baseline of 4.2): (received, online).
DOSSIERS_2020 = {
    ("sonn-vp", "land"): [(1105, 287), (1186, 320), (1142, 331), (1238, 372)],
    ("sonn-vp", "investment"): [(92, 22), (88, 23), (95, 27), (101, 30)],
    ("ccttbvtv", "crop"): [(2412, 964), (2530, 1037), (2488, 1045), (2690, 1157)],
    ("cccntty", "livestock_vet"): [(3205, 1026), (3318, 1095), (3260, 1108), (3472, 1215)],
    ("ccts", "fisheries"): [(351, 98), (360, 104), (348, 104), (372, 115)],
    ("cckl", "forestry"): [(152, 27), (158, 30), (150, 30), (166, 35)],
    ("cctl", "irrigation"): [(61, 8), (63, 9), (60, 9), (66, 11)],
    ("ccqlcl", "quality"): [(428, 150), (440, 158), (433, 160), (462, 176)],
    ("ccptnt", "rural_development"): [(39, 6), (41, 7), (40, 7), (44, 8)],
}
# Totals: received 7,845 / 8,184 / 8,016 / 8,611 = 32,656; online 2,588 / 2,783 /
# 2,821 / 3,119 = 11,311.

# Procedures eligible for level-3/4 online service, by desk (a stock: the year takes Q4).
PROCEDURES_ONLINE = {
    # code: (2020 by quarter, 2021 by quarter)
    "sonn-vp": ((14, 14, 15, 15), (15, 15, 16, 16)),
    "ccttbvtv": ((22, 22, 23, 23), (23, 24, 24, 25)),
    "cccntty": ((26, 27, 27, 28), (28, 29, 29, 30)),
    "ccts": ((15, 15, 16, 16), (16, 16, 17, 17)),
    "cckl": ((9, 9, 9, 10), (10, 10, 10, 10)),
    "cctl": ((7, 7, 8, 8), (8, 8, 8, 8)),
    "ccqlcl": ((18, 18, 19, 19), (19, 19, 20, 20)),
    "ccptnt": ((6, 6, 7, 7), (7, 7, 7, 7)),
}
# Q4 2020: 15+23+28+16+10+8+19+7 = 126; Q4 2021: 16+25+30+17+10+8+20+7 = 133.

# Satisfaction survey 2021 by desk: (valid responses, satisfied), the citizens' answers
# of surveys/demo.py; the director publishes every desk-quarter.
SURVEY = {
    "sonn-vp": [(412, 381), (455, 423), (236, 221), (470, 439)],
    "ccttbvtv": [(318, 297), (342, 321), (205, 193), (356, 334)],
    "cccntty": [(197, 178), (264, 243), (150, 139), (281, 260)],  # Q1 90.36% < 91
    "ccts": [(96, 90), (104, 97), (61, 57), (110, 103)],
    "cckl": [(45, 42), (52, 48), (30, 28), (55, 51)],
    "cctl": [(22, 21), (25, 23), (14, 13), (26, 24)],
    "ccqlcl": [(130, 121), (141, 131), (88, 82), (148, 138)],
    "ccptnt": [(15, 14), (18, 17), (12, 11), (19, 18)],
}
# Totals: responses 1,235 / 1,401 / 796 / 1,465 = 4,897;
# satisfied 1,144 / 1,303 / 744 / 1,367 = 4,558.

# E-payment instead of cash (0/1) by quarter; the school counts for 4.4.
EPAYMENT = {
    "sonn-vp": (1, 1, 1, 1),
    "ccttbvtv": (1, 1, 1, 1),
    "cccntty": (1, 1, 1, 1),
    "ccts": (1, 1, 1, 1),
    "cckl": (0, 0, 0, 0),  # still cash at the end of 2021
    "cctl": (0, 0, 1, 1),
    "ccqlcl": (1, 1, 1, 1),
    "ccptnt": (0, 0, 0, 1),
    "tctknn": (1, 1, 1, 1),
}

# Units whose website got its reform section only in Q2 (0 in Q1, 1 after).
WEBSITE_FROM_Q2 = {"ttkn", "tttvhtnn", "tctknn", "bqlnncnc"}

# Feedback at the department by channel: (due, on time, handled, published).
FEEDBACK = {
    "national_portal": [(14, 14, 14, 14), (19, 19, 19, 19), (27, 27, 28, 28), (16, 16, 16, 16)],
    "portal_1022": [(38, 38, 38, 38), (45, 45, 46, 46), (63, 63, 63, 63), (41, 41, 41, 41)],
    "other": [(9, 9, 9, 9), (12, 12, 12, 12), (7, 7, 7, 7), (11, 11, 11, 11)],
}

# Outgoing documents by unit: (issued, signed digitally).
DOCUMENTS = {
    "sonn": [(1820, 1201), (2015, 1472), (1760, 1637), (2240, 2061)],
    "sonn-vp": [(310, 205), (342, 250), (295, 271), (365, 336)],
    "sonn-tccb": [(145, 96), (160, 118), (138, 127), (172, 160)],
    "sonn-khtc": [(198, 131), (214, 158), (186, 171), (236, 219)],
    "sonn-ttra": [(92, 55), (101, 69), (84, 76), (110, 99)],
    "sonn-qlxd": [(120, 66), (134, 83), (102, 90), (150, 132)],
    "ccttbvtv": [(265, 159), (288, 190), (240, 211), (305, 268)],
    "cccntty": [(280, 168), (301, 196), (252, 222), (320, 282)],
    "ccts": [(140, 84), (152, 99), (118, 104), (160, 141)],
    "cckl": [(110, 55), (118, 68), (96, 81), (126, 106)],
    "cctl": [(132, 79), (145, 94), (121, 107), (150, 132)],
    "ccptnt": [(96, 58), (104, 68), (88, 77), (110, 97)],
    "ccqlcl": [(185, 120), (198, 139), (170, 153), (210, 189)],
    "ttkn": [(88, 44), (95, 55), (80, 68), (102, 87)],
    "tttvhtnn": [(64, 32), (70, 42), (58, 49), (75, 64)],
    "tctknn": [(76, 30), (82, 41), (70, 56), (90, 72)],
    "bqlnncnc": [(105, 63), (114, 76), (96, 84), (120, 106)],
}
# Totals: issued 4,226 / 4,633 / 3,954 / 5,041; signed 2,646 / 3,218 / 3,584 / 4,551.

# ---------------------------------------------------------------------------
# Evidence of 2021: (date, unit, kind, inspected unit, reference, title)
# ---------------------------------------------------------------------------

PERIODIC, SURPRISE = "inspection_periodic", "inspection_surprise"
DIALOGUE, INITIATIVE, PRODUCT = "dialogue", "initiative", "communication_product"
d = dt.date

INSPECTIONS = [
    # Periodic (Đoàn kiểm tra CCHC của Sở): 5 distinct units of 16.
    (d(2021, 5, 20), "sonn", PERIODIC, "ccttbvtv", "21/BB-ĐKT", "Kiểm tra công tác CCHC năm 2021"),
    (d(2021, 6, 15), "sonn", PERIODIC, "ccts", "27/BB-ĐKT", "Kiểm tra công tác CCHC năm 2021"),
    (d(2021, 10, 14), "sonn", PERIODIC, "cckl", "35/BB-ĐKT", "Kiểm tra công tác CCHC năm 2021"),
    (d(2021, 11, 18), "sonn", PERIODIC, "ttkn", "41/BB-ĐKT", "Kiểm tra công tác CCHC năm 2021"),
    (d(2021, 11, 25), "sonn", PERIODIC, "sonn-vp", "44/BB-ĐKT", "Kiểm tra bộ phận một cửa"),
    (
        d(2021, 12, 9),
        "sonn",
        PERIODIC,
        "ccttbvtv",
        "48/BB-ĐKT",
        "Phúc tra việc khắc phục sau kiểm tra",
    ),
    # Surprise (kiểm tra công vụ, Phòng Tổ chức cán bộ). Q1: 5 units.
    (d(2021, 1, 19), "sonn-tccb", SURPRISE, "cccntty", "03/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 2, 23), "sonn-tccb", SURPRISE, "ccqlcl", "07/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 3, 4), "sonn-tccb", SURPRISE, "sonn-khtc", "09/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 3, 11), "sonn-tccb", SURPRISE, "cctl", "11/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 3, 25), "sonn-tccb", SURPRISE, "ttkn", "14/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    # Q2: 6 units.
    (d(2021, 4, 8), "sonn-tccb", SURPRISE, "ccts", "17/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 4, 22), "sonn-tccb", SURPRISE, "sonn-vp", "20/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 5, 6), "sonn-tccb", SURPRISE, "cckl", "23/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 5, 27), "sonn-tccb", SURPRISE, "tctknn", "26/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 6, 10), "sonn-tccb", SURPRISE, "ccptnt", "29/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (
        d(2021, 6, 24),
        "sonn-tccb",
        SURPRISE,
        "tttvhtnn",
        "31/BB-KTCV",
        "Kiểm tra công vụ đột xuất",
    ),
    # Q3 (lockdown): only 4 units, the intended miss of 3.2.
    (d(2021, 7, 7), "sonn-tccb", SURPRISE, "ccttbvtv", "34/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (
        d(2021, 8, 19),
        "sonn-tccb",
        SURPRISE,
        "sonn-vp",
        "38/BB-KTCV",
        "Kiểm tra trực tuyến việc tiếp nhận hồ sơ trong thời gian giãn cách",
    ),
    (d(2021, 9, 9), "sonn-tccb", SURPRISE, "ccqlcl", "41/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 9, 23), "sonn-tccb", SURPRISE, "cccntty", "44/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    # Q4: 6 records, 5 distinct units (cctl twice).
    (d(2021, 10, 7), "sonn-tccb", SURPRISE, "cctl", "47/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (
        d(2021, 10, 21),
        "sonn-tccb",
        SURPRISE,
        "sonn-qlxd",
        "50/BB-KTCV",
        "Kiểm tra công vụ đột xuất",
    ),
    (d(2021, 11, 4), "sonn-tccb", SURPRISE, "bqlnncnc", "53/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 11, 18), "sonn-tccb", SURPRISE, "ccttbvtv", "56/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (d(2021, 12, 2), "sonn-tccb", SURPRISE, "ccts", "59/BB-KTCV", "Kiểm tra công vụ đột xuất"),
    (
        d(2021, 12, 16),
        "sonn-tccb",
        SURPRISE,
        "cctl",
        "62/BB-KTCV",
        "Kiểm tra lại việc chấp hành giờ giấc",
    ),
]

DIALOGUES = [
    (d(2021, 3, 26), "12/TB-SNN", "Đối thoại với doanh nghiệp kinh doanh giống cây trồng"),
    (d(2021, 6, 25), "31/TB-SNN", "Đối thoại với hợp tác xã nông nghiệp về thủ tục hành chính"),
    (d(2021, 9, 28), "52/TB-SNN", "Đối thoại trực tuyến về lưu thông nông sản khi giãn cách"),
    (d(2021, 12, 17), "78/TB-SNN", "Đối thoại với doanh nghiệp về thủ tục đất đai, đầu tư"),
]

# One initiative or more per division and affiliated unit, except sonn-qlxd (4.6).
INITIATIVES = [
    ("sonn-vp", d(2021, 6, 30), "Trả kết quả hồ sơ đất đai qua dịch vụ bưu chính công ích"),
    ("sonn-vp", d(2021, 11, 30), "Tra cứu tiến độ hồ sơ bằng mã QR trên biên nhận"),
    ("sonn-tccb", d(2021, 8, 31), "Số hóa hồ sơ công chức, viên chức trên phần mềm quản lý"),
    ("sonn-khtc", d(2021, 9, 30), "Thu phí, lệ phí qua cổng thanh toán trực tuyến"),
    ("sonn-ttra", d(2021, 5, 31), "Rút ngắn thời gian xử lý phản ánh qua Cổng 1022 còn 5 ngày"),
    ("ccttbvtv", d(2021, 4, 30), "Cấp giấy chứng nhận kiểm dịch thực vật trực tuyến mức độ 4"),
    ("cccntty", d(2021, 7, 30), "Truy xuất nguồn gốc sản phẩm động vật bằng mã QR"),
    ("ccts", d(2021, 10, 29), "Nhật ký khai thác thủy sản điện tử cho tàu cá"),
    ("cckl", d(2021, 9, 15), "Bản đồ số theo dõi cơ sở gây nuôi động vật hoang dã"),
    ("cctl", d(2021, 11, 15), "Cảnh báo triều cường cho người dân qua Zalo"),
    ("ccptnt", d(2021, 12, 10), "Hỗ trợ hợp tác xã đăng ký sản phẩm OCOP trực tuyến"),
    ("ccqlcl", d(2021, 8, 16), "Cấp giấy chứng nhận an toàn thực phẩm không dùng giấy"),
    ("ttkn", d(2021, 9, 20), "Tập huấn khuyến nông trực tuyến trong thời gian giãn cách"),
    ("tttvhtnn", d(2021, 8, 25), "Sàn giao dịch nông sản trực tuyến hỗ trợ tiêu thụ"),
    ("tctknn", d(2021, 10, 15), "Tuyển sinh trực tuyến và thu học phí không dùng tiền mặt"),
    ("bqlnncnc", d(2021, 12, 20), "Liên thông hồ sơ đầu tư vào Khu Nông nghiệp Công nghệ cao"),
]

# One communication product per unit, the department included (9.2).
PRODUCTS = [
    ("sonn", d(2021, 4, 15), "Chuyên trang Năm xây dựng chính quyền đô thị trên Cổng thông tin"),
    ("sonn-vp", d(2021, 5, 10), "Video hướng dẫn nộp hồ sơ đất đai trực tuyến"),
    ("sonn-tccb", d(2021, 10, 20), "Cuộc thi tìm hiểu quy tắc ứng xử của công chức"),
    ("sonn-khtc", d(2021, 6, 18), "Tờ rơi hướng dẫn thanh toán phí, lệ phí trực tuyến"),
    ("sonn-ttra", d(2021, 11, 10), "Chuyên mục Hỏi đáp phản ánh, kiến nghị"),
    ("sonn-qlxd", d(2021, 12, 8), "Infographic quy trình thẩm định dự án công trình"),
    ("ccttbvtv", d(2021, 3, 30), "Pano tuyên truyền dịch vụ công trực tuyến tại trạm kiểm dịch"),
    ("cccntty", d(2021, 6, 5), "Phóng sự truyền hình về kiểm dịch động vật trực tuyến"),
    ("ccts", d(2021, 7, 12), "Bản tin CCHC cho ngư dân trên Zalo"),
    ("cckl", d(2021, 10, 5), "Tờ rơi thủ tục đăng ký gây nuôi động vật hoang dã"),
    (
        "cctl",
        d(2021, 11, 22),
        "Clip hướng dẫn cấp phép hoạt động trong phạm vi công trình thủy lợi",
    ),
    ("ccptnt", d(2021, 9, 8), "Sổ tay thủ tục thành lập hợp tác xã"),
    ("ccqlcl", d(2021, 5, 25), "Chương trình phát thanh về chứng nhận an toàn thực phẩm"),
    ("ttkn", d(2021, 8, 12), "Chuyên mục CCHC trên bản tin khuyến nông"),
    ("tttvhtnn", d(2021, 12, 1), "Hội thảo trực tuyến giới thiệu dịch vụ công"),
    ("tctknn", d(2021, 9, 27), "Cuộc thi sinh viên với cải cách hành chính"),
    ("bqlnncnc", d(2021, 11, 29), "Cẩm nang nhà đầu tư Khu Nông nghiệp Công nghệ cao"),
]

# Tasks of the City's 2021 reform plan assigned to the department: all done by 31 Oct.
PLAN_TASKS = [
    ("KH-01", "Ban hành Kế hoạch CCHC năm 2021 của Sở", d(2021, 1, 31), d(2021, 1, 22)),
    (
        "KH-02",
        "Quán triệt chủ đề năm 2021 'Năm xây dựng chính quyền đô thị và cải thiện môi "
        "trường đầu tư'",
        d(2021, 3, 31),
        d(2021, 3, 15),
    ),
    (
        "KH-03",
        "Rà soát, công bố danh mục thủ tục hành chính thuộc thẩm quyền",
        d(2021, 6, 30),
        d(2021, 6, 18),
    ),
    ("KH-04", "Đề xuất phương án đơn giản hóa thủ tục hành chính", d(2021, 6, 30), d(2021, 6, 29)),
    (
        "KH-05",
        "Cập nhật quy trình nội bộ trên Hệ thống thông tin một cửa điện tử",
        d(2021, 8, 31),
        d(2021, 8, 20),
    ),
    (
        "KH-06",
        "Cung cấp dịch vụ công trực tuyến mức độ 3, 4 cho các thủ tục đủ điều kiện",
        d(2021, 9, 30),
        d(2021, 9, 24),
    ),
    (
        "KH-07",
        "Thanh toán trực tuyến phí, lệ phí qua Cổng Dịch vụ công quốc gia",
        d(2021, 9, 30),
        d(2021, 9, 30),
    ),
    (
        "KH-08",
        "Báo cáo kết quả khảo sát sự hài lòng 9 tháng",
        d(2021, 10, 15),
        d(2021, 10, 12),
    ),
    (
        "KH-09",
        "Tự đánh giá, chấm điểm Chỉ số CCHC năm 2021",
        d(2021, 10, 31),
        d(2021, 10, 26),
    ),
    ("KH-10", "Số hóa hồ sơ, kết quả giải quyết TTHC", d(2021, 10, 31), d(2021, 10, 29)),
]

# Milestones of the department: (indicator, title, done on, evidence).
MILESTONES = [
    (
        "2.1",
        "Đề xuất phương án sắp xếp, kiện toàn tổ chức bộ máy các đơn vị trực thuộc",
        d(2021, 8, 27),
        "Tờ trình số 4125/TTr-SNN ngày 27/8/2021",
    ),
    (
        "2.2",
        "Công khai kết quả tuyển dụng viên chức năm 2021",
        d(2021, 12, 10),
        "Thông báo số 1320/TB-SNN ngày 10/12/2021",
    ),
    (
        # Done, with evidence, but after the deadline of 31/12/2021: not met.
        "8.2",
        "Công bố hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015",
        d(2022, 1, 18),
        "Quyết định số 68/QĐ-SNN ngày 18/01/2022",
    ),
]


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def demo_load(*, as_of: dt.date | None = None) -> dict[str, int]:
    """Create or update the demo department and recompute its statuses; idempotent.

    Loads the ``hcmc-dard-2021`` catalogue, the 17 units of HCMC DARD, the 2020 baseline
    and 2021 figures, the 2021 evidence, plan tasks and milestones, and the users
    ``demo-admin``, ``demo-director`` and ``demo-staff`` (password ``demo``, reset on
    every run); then the second department (``demo_stnmt.stnmt_load``: its units, its
    sheet loaded from ``commitments/data/stnmt-2021.csv``, its figures and its director
    ``demo-director-2``). Prepares the current year (the year of ``as_of``, default today) when
    it is after 2021: see the module's docstring. Then recomputes the statuses of 2020,
    2021 and the current year in this process, as of ``as_of``. Returns the stored
    counts for the demo units.

    Like every write, loading also queues the usual recompute of these years for when
    the transaction commits; it computes as of today, which gives the same 2021
    statuses as any ``as_of`` after 2021.
    """
    today = as_of or timezone.localdate()
    with transaction.atomic():
        services.catalogue.catalogue_load(name=CATALOGUE)
        units = _units_save()
        _sheet_assign(units)
        services.figures.figures_save(inputs=_figure_inputs(units, _figure_rows()))
        _evidence_save(units, _evidence_records())
        _plan_save(units)
        _users_save(units)
        years = [BASELINE_YEAR, YEAR]
        _reports_save(units, YEAR, quarters=4, today=today)
        _surveys_save(units, YEAR, quarters=4)
        # The one-stop desk's investment dossiers of 2021, from its software's export:
        # they give the figures it typed, now shown as the records' (dossiers/demo.py).
        dossier_services.dossiers_import(path=dossier_demo.EXPORT)
        if today.year > YEAR:
            ended = (today.month - 1) // 3
            _current_year_save(units, today)
            _reports_save(units, today.year, quarters=ended, today=today)
            _surveys_save(units, today.year, quarters=ended)
            years.append(today.year)
        # The second department, its sheet loaded from a file (demo_stnmt.py).
        second = demo_stnmt.stnmt_load(today=today, password=PASSWORD)
        # Evidence, plan tasks and milestones are written here directly, not through a
        # service: their years' recompute is asked for as a service would.
        services.recompute.recompute_request(years=years)
        statuses = sum(
            services.recompute.statuses_recompute(year=year, as_of=as_of) for year in years
        )
        demo_units = [*units.values(), *second]
        return {
            "units": len(demo_units),
            "figures": Figure.objects.filter(unit__in=demo_units).count(),
            "evidence": Evidence.objects.filter(unit__in=demo_units).count(),
            "plan_tasks": PlanTask.objects.filter(unit__in=demo_units).count(),
            "milestones": Milestone.objects.filter(unit__in=demo_units).count(),
            "statuses": statuses,
        }


def _units_save() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    # Parents come before their children in UNITS.
    for code, parent, kind, sector, public_service, receives, name, name_en in UNITS:
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": units[parent] if parent else None,
                "kind": kind,
                "sector": sector,
                "public_service": public_service,
                "receives_dossiers": receives,
            },
        )
    return units


def _figure_rows() -> list[tuple[int, int, str, str, str | None, int]]:
    """Every demo figure as (year, quarter, unit, element, category, value)."""
    rows: list[tuple[int, int, str, str, str | None, int]] = []

    def add(year: int, unit: str, element: str, category: str | None, values) -> None:
        rows.extend(
            (year, quarter, unit, element, category, value)
            for quarter, value in enumerate(values, start=1)
        )

    for (unit, field), quarters in DOSSIERS_2020.items():
        add(BASELINE_YEAR, unit, "dossiers_received", field, [q[0] for q in quarters])
        add(BASELINE_YEAR, unit, "dossiers_online", field, [q[1] for q in quarters])
    for (unit, field), quarters in DOSSIERS_2021.items():
        for index, element in enumerate(
            ("dossiers_received", "dossiers_online", "dossiers_resolved", "dossiers_on_time")
        ):
            add(YEAR, unit, element, field, [q[index] for q in quarters])
    for unit, (baseline, current) in PROCEDURES_ONLINE.items():
        add(BASELINE_YEAR, unit, "procedures_online_eligible", None, baseline)
        add(YEAR, unit, "procedures_online_eligible", None, current)
    for unit, flags in EPAYMENT.items():
        add(YEAR, unit, "epayment_applied", None, flags)
    for code, *_ in UNITS:
        add(YEAR, code, "website_reform_section", None, [int(code not in WEBSITE_FROM_Q2), 1, 1, 1])
    for channel, quarters in FEEDBACK.items():
        for index, element in enumerate(
            ("feedback_due", "feedback_on_time", "feedback_handled", "feedback_published")
        ):
            add(YEAR, DEPARTMENT, element, channel, [q[index] for q in quarters])
    for unit, quarters in DOCUMENTS.items():
        add(YEAR, unit, "docs_issued", None, [q[0] for q in quarters])
        add(YEAR, unit, "docs_signed_digitally", None, [q[1] for q in quarters])
    return rows


def _figure_inputs(
    units: dict[str, Unit], rows: list[tuple[int, int, str, str, str | None, int]]
) -> list[services.figures.FigureInput]:
    """Demo figures for ``services.figures.figures_save``, which checks the validation rules
    (on time <= resolved...) and upserts on (year, quarter, unit, element, category)."""
    elements = {e.code: e for e in DataElement.objects.all()}
    categories = {c.code: c for c in Category.objects.all()}
    return [
        services.figures.FigureInput(
            where=line,
            year=year,
            quarter=quarter,
            unit=units[unit],
            element=elements[element],
            category=categories[category] if category else None,
            value=value,
        )
        for line, (year, quarter, unit, element, category, value) in enumerate(rows, start=1)
    ]


def _evidence_records() -> list[tuple[dt.date, str, str, str | None, str, str]]:
    """Every 2021 evidence record as (date, unit, kind, inspected unit, reference, title)."""
    records = list(INSPECTIONS)
    records += [
        (date, DEPARTMENT, DIALOGUE, None, reference, title) for date, reference, title in DIALOGUES
    ]
    records += [
        (date, unit, INITIATIVE, None, f"{number}/QĐ-SNN", title)
        for number, (unit, date, title) in enumerate(INITIATIVES, start=101)
    ]
    records += [
        (date, unit, PRODUCT, None, f"{number}/SP-CCHC", title)
        for number, (unit, date, title) in enumerate(PRODUCTS, start=1)
    ]
    return records


def _evidence_save(units: dict[str, Unit], records: list[tuple]) -> None:
    for date, unit, kind, subject, reference, title in records:
        Evidence.objects.update_or_create(
            unit=units[unit],
            kind=kind,
            date=date,
            reference=reference,
            subject_unit=units[subject] if subject else None,
            defaults={"title": title},
        )


def _plan_save(units: dict[str, Unit], *, year: int = YEAR, until: dt.date | None = None) -> None:
    """The 2021 plan tasks and milestones, or their replay in a later year: dates move
    to that year, and what was done after ``until`` (a 2021 date) is not done yet (a
    task without its done date, no milestone record)."""
    department = units[DEPARTMENT]
    for code, title, due_on, done_on in PLAN_TASKS:
        done = until is None or done_on <= until
        PlanTask.objects.update_or_create(
            unit=department,
            year=year,
            code=code,
            defaults={
                "title": _in_year(title, year),
                "due_on": _shifted(due_on, year),
                "done_on": _shifted(done_on, year) if done else None,
                "evidence_reference": f"Báo cáo CCHC {code}/{year}" if done else "",
            },
        )
    for indicator, title, done_on, reference in MILESTONES:
        if until is not None and done_on > until:
            continue  # not reached yet: no record, the milestone counts as not done
        Milestone.objects.update_or_create(
            indicator=Indicator.objects.get(
                code=indicator, sheet__year=year, sheet__department=department
            ),
            unit=department,
            year=year,
            defaults={
                "title": _in_year(title, year),
                "done_on": _shifted(done_on, year),
                "evidence_reference": _in_year(reference, year),
            },
        )


def _current_year_save(units: dict[str, Unit], today: dt.date) -> None:
    """Prepare the year of ``today`` (after 2021) as a year in progress: its targets
    copied from 2021 when it has none, the 2020 figures as the previous year's (its
    baseline) unless that year is 2021 itself, and the 2021 figures, evidence, plan
    tasks and milestones of the quarters that have ended, moved into the year."""
    year = today.year
    if not Target.objects.filter(year=year).exists():
        admin = get_user_model().objects.get(username="demo-admin")
        services.targets.targets_copy_year(source_year=YEAR, year=year, user=admin)
        _reviewed(units, year, admin)
    # A quarter has ended once its last day has passed (it is still open that day).
    ended = (today.month - 1) // 3
    rows = [(year, *row[1:]) for row in _figure_rows() if row[0] == YEAR and row[1] <= ended]
    if year - 1 > YEAR:
        rows += [(year - 1, *row[1:]) for row in _figure_rows() if row[0] == BASELINE_YEAR]
    services.figures.figures_save(inputs=_figure_inputs(units, rows))
    # The last day of the last ended quarter, in 2021 (31/12/2020 when none has ended).
    until = dt.date(YEAR, 3 * ended + 1, 1) - dt.timedelta(days=1)
    _evidence_save(
        units,
        [
            (
                _shifted(date, year),
                unit,
                kind,
                subject,
                _in_year(reference, year),
                _in_year(title, year),
            )
            for date, unit, kind, subject, reference, title in _evidence_records()
            if date <= until
        ],
    )
    _plan_save(units, year=year, until=until)


def _sheet_assign(units: dict[str, Unit]) -> None:
    """The catalogue's sheet is the demo department's (signed by its Director)."""
    sheet = Sheet.objects.get(code=CATALOGUE)
    if sheet.department_id != units[DEPARTMENT].pk:
        services.sheets.sheet_assign(sheet=sheet, department=units[DEPARTMENT])


def _reviewed(units: dict[str, Unit], year: int, admin) -> None:
    """The admin has read the copied sheet again: every commitment copied as it was is
    confirmed; one whose definition has a new version since 2021 (4: the procedures
    online, renamed by Decree 42/2022) still waits for review."""
    copied = Commitment.objects.filter(
        sheet__year=year, sheet__department=units[DEPARTMENT], to_review=True
    ).select_related("sheet")
    for commitment in copied:
        if all(reason == "copied" for reason, _details in commitment.review_reasons):
            services.sheets.commitment_confirm(commitment=commitment, user=admin)


def _reports_save(units: dict[str, Unit], year: int, *, quarters: int, today: dt.date) -> None:
    """The units' quarterly reports of the year's first ``quarters`` quarters, as a
    department would have them: approved, a few sent after the deadline; in a year in
    progress, the last ended quarter still under way (most sent, some not started,
    the receiving desk's returned with the director's comment)."""
    director = get_user_model().objects.get(username="demo-director")
    staff = get_user_model().objects.get(username="demo-staff")
    reporting = [u for u in units.values() if u.kind != Unit.Kind.DEPARTMENT]
    zone = timezone.get_current_timezone()
    for quarter in range(1, quarters + 1):
        deadline = selectors.completeness.report_deadline(year=year, quarter=quarter)
        in_progress = year == today.year and quarter == quarters
        for number, unit in enumerate(reporting):
            # Every fourth unit sends two days late in Q3 (the 2021 lockdown).
            days = 2 if quarter == 3 and number % 4 == 0 else -(number % 5) - 1
            sent = dt.datetime.combine(deadline + dt.timedelta(days=days), dt.time(16), zone)
            state = QuarterlyReport.State.APPROVED
            comment = ""
            if in_progress:
                if unit.code == STAFF_UNIT:
                    state = QuarterlyReport.State.RETURNED
                    comment = (
                        "Số hồ sơ giải quyết đúng hạn lĩnh vực đất đai chưa khớp với sổ theo "
                        "dõi của bộ phận một cửa; đề nghị rà soát và gửi lại."
                    )
                elif number % 3 == 0:
                    # Not started: no report, and so no figures of the quarter either.
                    QuarterlyReport.objects.filter(unit=unit, year=year, quarter=quarter).delete()
                    # The desk's citizens answered all the same: their counts stay.
                    Figure.objects.filter(
                        unit=unit, year=year, quarter=quarter, element__source=REPORTED
                    ).delete()
                    continue
                else:
                    state = QuarterlyReport.State.SUBMITTED
            submitted = sent if sent.date() <= today else None
            if submitted is None:  # its day has not come yet: still a draft
                state, comment = QuarterlyReport.State.DRAFT, ""
            decided = state != QuarterlyReport.State.SUBMITTED and submitted is not None
            QuarterlyReport.objects.update_or_create(
                unit=unit,
                year=year,
                quarter=quarter,
                defaults={
                    "state": state,
                    "comment": comment,
                    "version": 2,
                    "submitted_at": submitted,
                    "first_submitted_at": submitted,
                    "submitted_by": staff if unit.code == STAFF_UNIT else None,
                    "decided_at": submitted + dt.timedelta(days=1) if decided else None,
                    "decided_by": director if decided else None,
                },
            )


def _surveys_save(units: dict[str, Unit], year: int, *, quarters: int) -> None:
    """The citizens' answers at the receiving desks in the year's first ``quarters``
    quarters, as many as ``SURVEY`` says, counted into the desks' figures and published
    by the director (``surveys/demo.py``)."""
    if quarters < 1:
        return
    User = get_user_model()
    survey_demo.season_load(
        desks={units[code]: season for code, season in SURVEY.items()},
        year=year,
        quarters=quarters,
        director=User.objects.get(username="demo-director"),
        clerks={units[STAFF_UNIT]: User.objects.get(username="demo-staff")},
    )


def _shifted(day: dt.date, year: int) -> dt.date:
    """A 2021 (or early 2022) date moved to the same day of ``year``'s calendar; no
    demo date is a 29 February."""
    return day.replace(year=day.year + year - YEAR)


def _in_year(text: str, year: int) -> str:
    """A text that names 2021 ("năm 2021", "ngày 27/8/2021") told of ``year``."""
    return text.replace(str(YEAR), str(year))


def _users_save(units: dict[str, Unit]) -> None:
    """The demo users of DARD and the city office's; the password is set on every run so it stays ``demo``."""
    User = get_user_model()
    people = {
        # username: (first name, last name, is superuser, unit, role)
        "demo-admin": ("Quản trị", "Demo", True, None, None),
        "demo-director": ("Giám đốc", "Demo", False, DEPARTMENT, Membership.Role.DIRECTOR),
        "demo-staff": ("Chuyên viên", "Demo", False, STAFF_UNIT, Membership.Role.STAFF),
    }
    for username, (first, last, superuser, unit, role) in people.items():
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.invalid"
        user.is_active = True
        user.is_staff = superuser
        user.is_superuser = superuser
        user.set_password(PASSWORD)
        user.save()
        if unit is not None:
            Membership.objects.update_or_create(
                user=user, unit=units[unit], defaults={"role": role}
            )
    _city_office_save()


def _city_office_save() -> None:
    """The city office's user: a member of the group holding ``view_city``, of no unit,
    so that it reads every department and acts nowhere."""
    group, _ = Group.objects.get_or_create(name=CITY_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_city"))
    user, _ = get_user_model().objects.get_or_create(username=CITY_USER)
    user.first_name, user.last_name = "Sở Nội vụ", "Demo"
    user.email = f"{CITY_USER}@example.invalid"
    user.is_active, user.is_staff, user.is_superuser = True, False, False
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(group)
