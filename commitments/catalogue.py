"""Built-in catalogues: the commitments a department signed, as plain data.

``hcmc-dard-2021`` is the sheet the Director of the Ho Chi Minh City Department of
Agriculture and Rural Development signed on 7 May 2021 (9 chỉ tiêu công tác cải cách
hành chính năm 2021). ``services.catalogue.catalogue_load`` writes a catalogue to the database:
its sheet of 2021, the shared definitions of its indicators (``definition``) with their
later versions, and the sheet's commitments, indicators and targets.
Each target keeps the signed wording, since the wording decides the comparator:
"từ X% trở lên" / "ít nhất" / "tăng" mean ``>=``, "trên X%" means ``>``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from commitments import engine

DIVISIONS_AND_AFFILIATED = ["division", "affiliated_unit"]

CATEGORIES = [
    # (code, kind, Vietnamese, English)
    ("crop", "field", "Trồng trọt và Bảo vệ thực vật", "Crops and plant protection"),
    ("livestock_vet", "field", "Chăn nuôi và Thú y", "Livestock and veterinary"),
    ("fisheries", "field", "Thủy sản", "Fisheries"),
    ("forestry", "field", "Lâm nghiệp", "Forestry"),
    ("irrigation", "field", "Thủy lợi", "Irrigation"),
    ("rural_development", "field", "Phát triển nông thôn", "Rural development"),
    ("quality", "field", "Quản lý chất lượng nông lâm thủy sản", "Agro-forestry-fishery quality"),
    ("land", "field", "Đất đai", "Land"),
    ("investment", "field", "Đầu tư", "Investment"),
    ("national_portal", "channel", "Cổng Dịch vụ công quốc gia", "National Public Service Portal"),
    ("portal_1022", "channel", "Cổng thông tin 1022", "1022 portal"),
    ("other", "channel", "Hình thức khác", "Other channels"),
]

ELEMENTS = [
    # (code, aggregation, category kind, is flag, Vietnamese, English)
    ("dossiers_received", "sum", "field", False, "Hồ sơ tiếp nhận", "Dossiers received"),
    (
        "dossiers_online",
        "sum",
        "field",
        False,
        "Hồ sơ tiếp nhận và xử lý trực tuyến",
        "Dossiers received and processed online",
    ),
    ("dossiers_resolved", "sum", "field", False, "Hồ sơ đã giải quyết", "Dossiers resolved"),
    (
        "dossiers_on_time",
        "sum",
        "field",
        False,
        "Hồ sơ giải quyết đúng hạn",
        "Dossiers resolved on time",
    ),
    (
        "procedures_online_eligible",
        "last",
        "",
        False,
        "Thủ tục đủ điều kiện cung cấp dịch vụ công trực tuyến mức độ 3, 4",
        "Procedures eligible for level-3/4 online service",
    ),
    ("survey_responses", "sum", "", False, "Phiếu khảo sát hợp lệ", "Valid survey responses"),
    (
        "survey_satisfied",
        "sum",
        "",
        False,
        "Phiếu hài lòng, rất hài lòng",
        "Responses satisfied or very satisfied",
    ),
    (
        "survey_published",
        "last",
        "",
        True,
        "Đã công khai kết quả khảo sát của quý (0/1)",
        "Quarter's survey results published (0/1)",
    ),
    (
        "feedback_due",
        "sum",
        "channel",
        False,
        "Phản ánh, kiến nghị đến hạn xử lý trong quý",
        "Feedback items due in the quarter",
    ),
    (
        "feedback_on_time",
        "sum",
        "channel",
        False,
        "Phản ánh, kiến nghị xử lý đúng hạn",
        "Feedback items handled on time",
    ),
    (
        "feedback_handled",
        "sum",
        "channel",
        False,
        "Phản ánh, kiến nghị đã xử lý",
        "Feedback items handled",
    ),
    (
        "feedback_published",
        "sum",
        "channel",
        False,
        "Phản ánh, kiến nghị đã công khai kết quả",
        "Handled items whose result was published",
    ),
    (
        "epayment_applied",
        "last",
        "",
        True,
        "Ứng dụng thanh toán điện tử thay tiền mặt (0/1)",
        "Applies e-payment instead of cash (0/1)",
    ),
    (
        "website_reform_section",
        "last",
        "",
        True,
        "Trang thông tin điện tử có chuyên mục CCHC (0/1)",
        "Website has a reform section (0/1)",
    ),
    ("docs_issued", "sum", "", False, "Văn bản đi đã ban hành", "Outgoing documents issued"),
    (
        "docs_signed_digitally",
        "sum",
        "",
        False,
        "Văn bản đi có chữ ký số",
        "Outgoing documents signed digitally",
    ),
]

VALIDATION_RULES = [
    # element <= bound
    ("dossiers_online", "dossiers_received"),
    ("dossiers_on_time", "dossiers_resolved"),
    ("survey_satisfied", "survey_responses"),
    ("feedback_on_time", "feedback_due"),
    ("feedback_published", "feedback_handled"),
    ("docs_signed_digitally", "docs_issued"),
]

COMMITMENTS = [
    (
        "1",
        "Quán triệt chủ đề CCHC năm 2021; hoàn thành 100% nhiệm vụ được Chủ tịch UBND "
        "Thành phố giao trong Kế hoạch CCHC năm 2021 trước ngày 01/11/2021",
        "Convey the 2021 reform theme; complete 100% of the tasks of the 2021 reform plan "
        "before 1 November 2021",
    ),
    (
        "2",
        "Rà soát, sắp xếp, tinh gọn tổ chức bộ máy; tuyển dụng, quản lý công chức, viên "
        "chức hiệu quả, công bằng, công khai",
        "Streamline the organisation; recruit and manage civil servants effectively, fairly "
        "and publicly",
    ),
    (
        "3",
        "Kiểm tra định kỳ ít nhất 30% phòng, ban, đơn vị trực thuộc; kiểm tra đột xuất ít "
        "nhất 05 đơn vị/quý",
        "Inspect at least 30% of divisions and affiliated units periodically; surprise "
        "inspections of at least 5 units a quarter",
    ),
    (
        "4",
        "Hài lòng từ 91% trở lên; hồ sơ trực tuyến tăng 3%; thủ tục trực tuyến mức độ 3, 4 "
        "tăng 5%; thanh toán điện tử; mỗi đơn vị ít nhất một sáng kiến",
        "Satisfaction 91% or more; online dossiers +3%; level-3/4 procedures +5%; "
        "e-payment; at least one initiative per unit",
    ),
    (
        "5",
        "98% hồ sơ trên từng lĩnh vực giải quyết đúng hạn (đất đai, đầu tư từ 96% trở lên); "
        "đối thoại định kỳ 03 tháng/lần",
        "98% of dossiers in each field resolved on time (land and investment 96% or more); "
        "a dialogue every 3 months",
    ),
    (
        "6",
        "100% bộ phận tiếp nhận khảo sát sự hài lòng và công khai kết quả hàng quý",
        "100% of receiving desks survey satisfaction and publish the results every quarter",
    ),
    (
        "7",
        "100% phản ánh, kiến nghị được xử lý kịp thời và công khai kết quả",
        "100% of feedback and petitions handled promptly and the results published",
    ),
    (
        "8",
        "Chính quyền điện tử, chữ ký số; hoàn thành chuyển đổi hệ thống quản lý chất lượng "
        "TCVN ISO 9001:2015",
        "E-government and digital signatures; complete the transition to TCVN ISO 9001:2015",
    ),
    (
        "9",
        "Chuyên mục tuyên truyền CCHC trên trang thông tin điện tử; ít nhất 01 sản phẩm "
        "tuyên truyền của từng đơn vị",
        "A reform section on each website; at least one communication product per unit",
    ),
]


def _target(threshold, comparator=engine.GE, wording="", **extra) -> dict:
    return {
        "threshold": None if threshold is None else Decimal(threshold),
        "comparator": comparator if threshold is not None else "",
        "wording": wording,
        **extra,
    }


RECEIVING = {"scope_receives_dossiers": True}
END_2021 = dt.date(2021, 12, 31)

# Each indicator: its fields, and its 2021 target (with overrides by category).
INDICATORS = [
    {
        "code": "1.1",
        "definition": "plan-tasks-on-time",
        # The definition's own name, without the years of the sheet.
        "definition_name": (
            "Tỷ lệ nhiệm vụ Kế hoạch CCHC hoàn thành đúng hạn",
            "Reform plan tasks done by their deadline",
        ),
        "commitment": "1",
        "name_vi": "Tỷ lệ nhiệm vụ Kế hoạch CCHC hoàn thành trước ngày 01/11/2021",
        "name_en": "Reform plan tasks done before 1 November 2021",
        "short_name_vi": "Nhiệm vụ kế hoạch đúng hạn",
        "short_name_en": "Plan tasks on time",
        "kind": engine.RATIO,
        "source": engine.PLAN_TASKS,
        "target": _target(
            "100",
            wording="hoàn thành 100% nhiệm vụ … trước ngày 01 tháng 11 năm 2021",
            deadline=dt.date(2021, 10, 31),
        ),
    },
    {
        "code": "2.1",
        "definition": "organisation-review",
        "commitment": "2",
        "name_vi": "Đề xuất sắp xếp, kiện toàn, tinh gọn tổ chức bộ máy",
        "name_en": "Organisation review proposal made",
        "short_name_vi": "Sắp xếp bộ máy",
        "short_name_en": "Organisation review",
        "kind": engine.MILESTONE,
        "source": engine.MILESTONES,
        "target": _target("100", wording="chủ động rà soát, đề xuất sắp xếp", deadline=END_2021),
    },
    {
        "code": "2.2",
        "definition": "recruitment-published",
        "commitment": "2",
        "name_vi": "Công khai kết quả tuyển dụng công chức, viên chức",
        "name_en": "Recruitment results published",
        "short_name_vi": "Công khai tuyển dụng",
        "short_name_en": "Recruitment published",
        "kind": engine.MILESTONE,
        "source": engine.MILESTONES,
        "target": _target("100", wording="công khai các quy định về tuyển dụng", deadline=END_2021),
    },
    {
        "code": "3.1",
        "definition": "periodic-inspection-coverage",
        "commitment": "3",
        "name_vi": "Tỷ lệ phòng, ban, đơn vị trực thuộc được kiểm tra định kỳ",
        "name_en": "Periodic inspection coverage",
        "short_name_vi": "Kiểm tra định kỳ",
        "short_name_en": "Periodic inspections",
        "kind": engine.COVERAGE,
        "source": engine.EVIDENCE,
        "coverage_rule": engine.SUBJECT_OF_EVIDENCE,
        "evidence_kind": "inspection_periodic",
        "scope_kinds": DIVISIONS_AND_AFFILIATED,
        "target": _target("30", wording="kiểm tra định kỳ ít nhất 30%"),
    },
    {
        "code": "3.2",
        "definition": "surprise-inspections",
        "commitment": "3",
        "name_vi": "Số đơn vị được kiểm tra đột xuất trong quý",
        "name_en": "Units inspected without notice in the quarter",
        "short_name_vi": "Kiểm tra đột xuất",
        "short_name_en": "Surprise inspections",
        "kind": engine.COUNT,
        "source": engine.EVIDENCE,
        "evidence_kind": "inspection_surprise",
        "distinct_subjects": True,
        "quarterly": True,
        "yearly": False,
        "target": _target("5", wording="kiểm tra đột xuất ít nhất 05 đơn vị/quý"),
    },
    {
        "code": "4.1",
        "definition": "satisfaction",
        "commitment": "4",
        "name_vi": "Mức độ hài lòng của người dân và doanh nghiệp",
        "name_en": "Citizen and business satisfaction",
        "short_name_vi": "Hài lòng",
        "short_name_en": "Satisfaction",
        "kind": engine.RATIO,
        "numerator": "survey_satisfied",
        "denominator": "survey_responses",
        "quarterly": True,
        "level": engine.LEVEL_UNIT,
        **RECEIVING,
        "target": _target("91", wording="đạt từ 91% trở lên"),
    },
    {
        "code": "4.2",
        "definition": "online-share-growth",
        # The definition's own name, without the years of the sheet.
        "definition_name": (
            "Tỷ lệ hồ sơ xử lý trực tuyến tăng so với năm gốc",
            "Share of dossiers processed online, change on the baseline year",
        ),
        "commitment": "4",
        "name_vi": "Tỷ lệ hồ sơ xử lý trực tuyến tăng so với năm 2020",
        "name_en": "Share of dossiers processed online, change on 2020",
        "short_name_vi": "Hồ sơ trực tuyến",
        "short_name_en": "Online dossiers",
        "kind": engine.GROWTH_POINTS,
        "numerator": "dossiers_online",
        "denominator": "dossiers_received",
        "target": _target("3", wording="tăng 3% so với năm 2020", baseline_year=2020),
    },
    {
        "code": "4.3",
        "definition": "online-procedures-growth",
        # The definition's own name, without the years of the sheet.
        "definition_name": (
            "Số thủ tục đủ điều kiện trực tuyến mức độ 3, 4 tăng so với năm gốc",
            "Procedures eligible for level-3/4 online service, change on the baseline year",
        ),
        "commitment": "4",
        "name_vi": "Số thủ tục đủ điều kiện trực tuyến mức độ 3, 4 tăng so với năm 2020",
        "name_en": "Procedures eligible for level-3/4 online service, change on 2020",
        "short_name_vi": "Thủ tục mức độ 3, 4",
        "short_name_en": "Level-3/4 procedures",
        "kind": engine.GROWTH_RELATIVE,
        "element": "procedures_online_eligible",
        "target": _target("5", wording="tăng 5% so với năm 2020", baseline_year=2020),
    },
    {
        "code": "4.4",
        "definition": "epayment-education-health",
        "commitment": "4",
        "name_vi": "Đơn vị sự nghiệp công lập giáo dục, y tế ứng dụng thanh toán điện tử",
        "name_en": "Education and health public-service units applying e-payment",
        "short_name_vi": "Thanh toán điện tử (giáo dục, y tế)",
        "short_name_en": "E-payment (education, health)",
        "kind": engine.COVERAGE,
        "coverage_rule": engine.ELEMENT_AT_LEAST,
        "element": "epayment_applied",
        "scope_public_service": True,
        "scope_sectors": ["education", "health"],
        "target": _target("95", engine.GT, wording="trên 95% đơn vị sự nghiệp công lập"),
    },
    {
        "code": "4.5",
        "definition": "epayment-desks",
        "commitment": "4",
        "name_vi": "Bộ phận tiếp nhận ứng dụng thanh toán điện tử",
        "name_en": "Receiving desks applying e-payment",
        "short_name_vi": "Thanh toán điện tử tại bộ phận",
        "short_name_en": "E-payment at desks",
        "kind": engine.COVERAGE,
        "coverage_rule": engine.ELEMENT_AT_LEAST,
        "element": "epayment_applied",
        "tracked": True,
        **RECEIVING,
        "target": _target(None, wording="ứng dụng thanh toán điện tử thay cho tiền mặt"),
    },
    {
        "code": "4.6",
        "definition": "initiative-per-unit",
        "commitment": "4",
        "name_vi": "Phòng, ban, đơn vị trực thuộc có ít nhất một sáng kiến",
        "name_en": "Divisions and affiliated units with at least one initiative",
        "short_name_vi": "Sáng kiến",
        "short_name_en": "Initiatives",
        "kind": engine.COVERAGE,
        "source": engine.EVIDENCE,
        "coverage_rule": engine.HAS_EVIDENCE,
        "evidence_kind": "initiative",
        "scope_kinds": DIVISIONS_AND_AFFILIATED,
        "target": _target("100", wording="mỗi phòng, ban … có ít nhất một sáng kiến"),
    },
    {
        "code": "5.1",
        "definition": "on-time-by-field",
        "commitment": "5",
        "name_vi": "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực",
        "name_en": "Dossiers resolved on time, in each field",
        "short_name_vi": "Đúng hạn từng lĩnh vực",
        "short_name_en": "On time, each field",
        "kind": engine.RATIO,
        "numerator": "dossiers_on_time",
        "denominator": "dossiers_resolved",
        "per_category": True,
        "quarterly": True,
        "level": engine.LEVEL_UNIT,
        **RECEIVING,
        "target": _target(
            "98",
            wording="98% hồ sơ trên từng lĩnh vực (đất đai và đầu tư từ 96% trở lên)",
            overrides=[
                {"category": "land", "threshold": Decimal(96), "comparator": engine.GE},
                {"category": "investment", "threshold": Decimal(96), "comparator": engine.GE},
            ],
        ),
    },
    {
        "code": "5.2",
        "definition": "dialogues",
        "commitment": "5",
        "name_vi": "Đối thoại với người dân, doanh nghiệp trong quý",
        "name_en": "Dialogues with citizens and businesses in the quarter",
        "short_name_vi": "Đối thoại",
        "short_name_en": "Dialogues",
        "kind": engine.COUNT,
        "source": engine.EVIDENCE,
        "evidence_kind": "dialogue",
        "quarterly": True,
        "yearly": False,
        "target": _target("1", wording="đối thoại định kỳ 03 tháng/lần"),
    },
    {
        "code": "6.1",
        "definition": "desks-surveyed",
        "commitment": "6",
        "name_vi": "Bộ phận tiếp nhận đã khảo sát sự hài lòng trong quý",
        "name_en": "Receiving desks that surveyed satisfaction in the quarter",
        "short_name_vi": "Khảo sát hài lòng",
        "short_name_en": "Satisfaction surveyed",
        "kind": engine.COVERAGE,
        "coverage_rule": engine.ELEMENT_AT_LEAST,
        "element": "survey_responses",
        "quarterly": True,
        "yearly": False,
        **RECEIVING,
        "target": _target("100", wording="100% bộ phận … thực hiện khảo sát"),
    },
    {
        "code": "6.2",
        "definition": "desks-published",
        "commitment": "6",
        "name_vi": "Bộ phận tiếp nhận đã công khai kết quả khảo sát của quý",
        "name_en": "Receiving desks that published the quarter's results",
        "short_name_vi": "Công khai khảo sát",
        "short_name_en": "Survey results published",
        "kind": engine.COVERAGE,
        "coverage_rule": engine.ELEMENT_AT_LEAST,
        "element": "survey_published",
        "quarterly": True,
        "yearly": False,
        **RECEIVING,
        "target": _target("100", wording="công khai kết quả đánh giá hàng quý"),
    },
    {
        "code": "7.1",
        "definition": "feedback-on-time-by-channel",
        "commitment": "7",
        "name_vi": "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn, từng kênh",
        "name_en": "Feedback handled on time, each channel",
        "short_name_vi": "Phản ánh đúng hạn",
        "short_name_en": "Feedback on time",
        "kind": engine.RATIO,
        "numerator": "feedback_on_time",
        "denominator": "feedback_due",
        "per_category": True,
        "quarterly": True,
        "target": _target("100", wording="100% phản ánh, kiến nghị … được xử lý kịp thời"),
    },
    {
        "code": "7.2",
        "definition": "feedback-published",
        "commitment": "7",
        "name_vi": "Tỷ lệ phản ánh, kiến nghị đã xử lý được công khai kết quả",
        "name_en": "Handled feedback whose result was published",
        "short_name_vi": "Công khai phản ánh",
        "short_name_en": "Feedback results published",
        "kind": engine.RATIO,
        "numerator": "feedback_published",
        "denominator": "feedback_handled",
        "quarterly": True,
        "target": _target("100", wording="công khai kết quả theo quy định"),
    },
    {
        "code": "8.1",
        "definition": "digital-signatures",
        "commitment": "8",
        "name_vi": "Tỷ lệ văn bản đi có chữ ký số",
        "name_en": "Outgoing documents signed digitally",
        "short_name_vi": "Chữ ký số",
        "short_name_en": "Digital signatures",
        "kind": engine.RATIO,
        "numerator": "docs_signed_digitally",
        "denominator": "docs_issued",
        "tracked": True,
        "quarterly": True,
        "level": engine.LEVEL_UNIT,
        "target": _target(None, wording="ứng dụng sử dụng chữ ký số"),
    },
    {
        "code": "8.2",
        "definition": "iso-9001-transition",
        "commitment": "8",
        "name_vi": "Hoàn thành chuyển đổi hệ thống quản lý chất lượng TCVN ISO 9001:2015",
        "name_en": "Transition to TCVN ISO 9001:2015 completed",
        "short_name_vi": "ISO 9001:2015",
        "short_name_en": "ISO 9001:2015",
        "kind": engine.MILESTONE,
        "source": engine.MILESTONES,
        "target": _target("100", wording="thực hiện xong việc chuyển đổi", deadline=END_2021),
    },
    {
        "code": "9.1",
        "definition": "website-reform-section",
        "commitment": "9",
        "name_vi": "Đơn vị có chuyên mục tuyên truyền CCHC trên trang thông tin điện tử",
        "name_en": "Units with a reform section on their website",
        "short_name_vi": "Chuyên mục CCHC",
        "short_name_en": "Reform web section",
        "kind": engine.COVERAGE,
        "coverage_rule": engine.ELEMENT_AT_LEAST,
        "element": "website_reform_section",
        "target": _target("100", wording="xây dựng chuyên mục tuyên truyền"),
    },
    {
        "code": "9.2",
        "definition": "communication-product-per-unit",
        "commitment": "9",
        "name_vi": "Đơn vị có ít nhất 01 sản phẩm, mô hình tuyên truyền CCHC",
        "name_en": "Units with at least one communication product",
        "short_name_vi": "Sản phẩm tuyên truyền",
        "short_name_en": "Communication products",
        "kind": engine.COVERAGE,
        "source": engine.EVIDENCE,
        "coverage_rule": engine.HAS_EVIDENCE,
        "evidence_kind": "communication_product",
        "target": _target("100", wording="có ít nhất 01 sản phẩm, mô hình tuyên truyền"),
    },
]

SURVEYED = ("survey_responses", "survey_satisfied", "survey_published")

# Later versions of the definitions: (definition, valid from, Vietnamese, English, note).
# Decree 42/2022/NĐ-CP replaced the levels 3 and 4 of online public services by
# "full" and "partial" online services; what is counted stays the same.
DEFINITION_VERSIONS = [
    (
        "online-procedures-growth",
        2022,
        "Số thủ tục đủ điều kiện cung cấp dịch vụ công trực tuyến toàn trình, một phần "
        "tăng so với năm gốc",
        "Procedures eligible for full or partial online public service, change on the "
        "baseline year",
        "Nghị định 42/2022/NĐ-CP: dịch vụ công trực tuyến toàn trình và một phần thay cho "
        "mức độ 3, 4",
    ),
]

# Who signed the sheet and when (seed: the conference of 7 May 2021).
SIGNED_BY = "Giám đốc Sở Nông nghiệp và Phát triển nông thôn Thành phố Hồ Chí Minh"
SIGNED_ON = dt.date(2021, 5, 7)

CATALOGUES = {
    "hcmc-dard-2021": {
        "year": 2021,
        "categories": CATEGORIES,
        "elements": ELEMENTS,
        # Counted from the citizens' satisfaction survey (surveys/), not typed by a desk.
        "surveyed": SURVEYED,
        "validation_rules": VALIDATION_RULES,
        "commitments": COMMITMENTS,
        "indicators": INDICATORS,
        "definition_versions": DEFINITION_VERSIONS,
        "signed_by": SIGNED_BY,
        "signed_on": SIGNED_ON,
    },
}
