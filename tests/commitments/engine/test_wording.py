"""The signed words of a target (``engine.wording``): every phrase of the 2021 sheet
read as DOMAIN.md's table says, the targets of the built-in catalogue agreeing with
their words, a changed threshold caught, and the years of the words moved with a
copy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commitments import catalogue, engine
from commitments.engine import COUNT, COVERAGE, GE, GROWTH_POINTS, GT, RATIO

# Every phrase of the sheet signed on 7 May 2021 (seed/000_71801934a71350b6.txt) that
# states a target, as it is written, with what it means.
SIGNED_2021 = [
    ("hoàn thành 100% nhiệm vụ được Chủ tịch Ủy ban nhân dân Thành phố giao", GE, 100),
    ("Tổ chức kiểm tra định kỳ ít nhất 30% các phòng, ban chuyên môn", GE, 30),
    ("kiểm tra đột xuất ít nhất 05 đơn vị/quý về công vụ", GE, 5),
    ("Mức độ hài lòng của người dân và doanh nghiệp đạt từ 91% trở lên", GE, 91),
    ("Tỷ lệ hồ sơ được xử lý trực tuyến năm 2021 tăng 3% so với năm 2020", GE, 3),
    ("mức độ 3, mức độ 4 năm 2021 tăng 5% so với năm 2020", GE, 5),
    ("có trên 95% đơn vị sự nghiệp công lập ứng dụng thanh toán điện tử", GT, 95),
    ("Mỗi phòng, ban chuyên môn, đơn vị trực thuộc có ít nhất một sáng kiến", GE, 1),
    ("98% hồ sơ thủ tục hành chính trên từng lĩnh vực được giải quyết đúng hạn", GE, 98),
    ("riêng đối với lĩnh vực đất đai và đầu tư đạt từ 96% trở lên", GE, 96),
    ("Tổ chức đối thoại định kỳ 03 tháng/lần với người dân, doanh nghiệp", GE, 1),
    ("100% bộ phận tiếp nhận, giải quyết thủ tục hành chính phải thực hiện khảo sát", GE, 100),
    ("100% phản ánh, kiến nghị của người dân, doanh nghiệp", GE, 100),
    ("Có ít nhất 01 sản phẩm, mô hình tuyên truyền hiệu quả", GE, 1),
]

# Words of the sheet that hold numbers but state no target.
NO_TARGET = [
    "trước ngày 01 tháng 11 năm 2021",
    "thông qua Cổng Dịch vụ công Quốc gia, Cổng thông tin 1022 và các hình thức khác",
    "hệ thống quản lý chất lượng TCVN 9001:2015 theo yêu cầu",
    "dịch vụ công trực tuyến mức độ 3, mức độ 4 năm 2021",
    "Tăng cường công tác phối hợp giữa các cơ quan",
    "công khai kết quả đánh giá hàng quý",
    "",
]


@pytest.mark.parametrize(("words", "comparator", "number"), SIGNED_2021)
def test_every_phrase_of_the_2021_sheet_reads_as_signed(words, comparator, number):
    [signed] = engine.read_signed_targets(words)
    assert (signed.comparator, signed.number) == (comparator, Decimal(number))
    assert signed.phrase in words


@pytest.mark.parametrize("words", NO_TARGET)
def test_numbers_that_state_no_target_are_not_read(words):
    assert engine.read_signed_targets(words) == []


@pytest.mark.parametrize(
    ("words", "comparator", "number"),
    [
        ("đạt 98%", GE, 98),
        ("từ 96,5% trở lên", GE, Decimal("96.5")),
        ("hơn 90% hồ sơ", GT, 90),
        ("vượt 80%", GT, 80),
        ("tối thiểu 2 cuộc", GE, 2),
        ("không thấp hơn 85%", GE, 85),
        ("không dưới 85%", GE, 85),
        ("không quá 5% hồ sơ trễ hạn", "<=", 5),
        ("dưới 2%", "<", 2),
        ("ÍT NHẤT 30%", GE, 30),
    ],
)
def test_other_ways_of_saying_it(words, comparator, number):
    [signed] = engine.read_signed_targets(words)
    assert (signed.comparator, signed.number) == (comparator, Decimal(number))


def test_a_number_word_before_a_year_is_the_year():
    assert engine.read_signed_targets("ít nhất năm 2021") == []
    [signed] = engine.read_signed_targets("ít nhất năm đơn vị")
    assert signed.number == 5


def test_words_in_parentheses_are_an_exception():
    first, aside = engine.read_signed_targets(
        "98% hồ sơ trên từng lĩnh vực (đất đai và đầu tư từ 96% trở lên)"
    )
    assert (first.number, first.aside) == (98, False)
    assert (aside.number, aside.aside, aside.phrase) == (96, True, "từ 96% trở lên")


def test_percent_is_told_apart_from_a_count():
    [share] = engine.read_signed_targets("kiểm tra định kỳ ít nhất 30%")
    [count] = engine.read_signed_targets("ít nhất 01 sản phẩm")
    assert (share.percent, count.percent) == (True, False)


# --- the target against its words ----------------------------------------------------


CATALOGUE_TARGETS = [
    pytest.param(item, item["target"], id=item["code"]) for item in catalogue.INDICATORS
]


@pytest.mark.parametrize(("item", "target"), CATALOGUE_TARGETS)
def test_every_target_of_the_built_in_catalogue_agrees_with_its_words(item, target):
    overrides = [(o["threshold"], o["comparator"]) for o in target.get("overrides", [])]
    assert (
        engine.wording_mismatches(
            target["wording"],
            kind=item["kind"],
            threshold=target["threshold"],
            comparator=target["comparator"] or None,
            overrides=overrides,
            condition_min=item.get("condition_min", 1),
        )
        == []
    )


def test_a_threshold_moved_to_93_under_words_of_91_is_caught():
    [mismatch] = engine.wording_mismatches(
        "đạt từ 91% trở lên", kind=RATIO, threshold=Decimal(93), comparator=GE
    )
    assert mismatch == engine.WordingMismatch("target", "từ 91% trở lên", GE, Decimal(91))


def test_more_than_95_is_not_95_or_more():
    [mismatch] = engine.wording_mismatches(
        "trên 95% đơn vị", kind=COVERAGE, threshold=Decimal(95), comparator=GE
    )
    assert (mismatch.what, mismatch.comparator) == ("target", GT)
    assert not engine.wording_mismatches(
        "trên 95% đơn vị", kind=COVERAGE, threshold=Decimal("95.0000"), comparator=GT
    )


def test_an_exception_needs_a_scoped_threshold_that_says_it():
    words = "98% hồ sơ trên từng lĩnh vực (đất đai và đầu tư từ 96% trở lên)"
    [mismatch] = engine.wording_mismatches(
        words, kind=RATIO, threshold=Decimal(98), comparator=GE, overrides=[(Decimal(95), GE)]
    )
    assert (mismatch.what, mismatch.number) == ("override", 96)


def test_each_unit_of_a_coverage_target_must_have_what_the_words_say():
    words = "mỗi phòng, ban có ít nhất một sáng kiến"
    assert not engine.wording_mismatches(
        words, kind=COVERAGE, threshold=Decimal(100), comparator=GE, condition_min=1
    )
    found = engine.wording_mismatches(
        words, kind=COVERAGE, threshold=Decimal(90), comparator=GE, condition_min=2
    )
    assert [(m.what, m.comparator, m.number) for m in found] == [
        ("condition", GE, 1),
        ("target", GE, 100),
    ]


def test_words_with_a_number_on_a_tracked_target_are_caught():
    [mismatch] = engine.wording_mismatches(
        "tăng 3% so với năm 2020", kind=GROWTH_POINTS, threshold=None, comparator=None
    )
    assert mismatch.what == "tracked"


def test_words_without_a_number_check_nothing():
    assert not engine.wording_mismatches(
        "thực hiện xong việc chuyển đổi", kind=COUNT, threshold=Decimal(7), comparator=GE
    )


def test_a_comparator_no_target_can_say_is_always_a_mismatch():
    [mismatch] = engine.wording_mismatches(
        "không quá 5% hồ sơ trễ hạn", kind=RATIO, threshold=Decimal(5), comparator=GE
    )
    assert (mismatch.comparator, mismatch.number) == ("<=", 5)


# --- the years of the words, moved with a copy -----------------------------------------


@pytest.mark.parametrize(
    ("words", "moved"),
    [
        ("tăng 3% so với năm 2020", "tăng 3% so với năm 2025"),
        (
            "Kế hoạch CCHC năm 2021 trước ngày 01/11/2021",
            "Kế hoạch CCHC năm 2026 trước ngày 01/11/2026",
        ),
        ("trước ngày 01 tháng 11 năm 2021", "trước ngày 01 tháng 11 năm 2026"),
        ("before 1 November 2021; change on 2020", "before 1 November 2026; change on 2025"),
        ("báo cáo trước ngày 15/01/2022", "báo cáo trước ngày 15/01/2027"),
        # Not years of the sheet: a standard, a decree's number, a span, an old year.
        ("TCVN ISO 9001:2015", "TCVN ISO 9001:2015"),
        ("theo Nghị định 42/2021/NĐ-CP", "theo Nghị định 42/2021/NĐ-CP"),
        ("giai đoạn 2021-2025", "giai đoạn 2021-2025"),
        ("Cổng thông tin 1022 từ năm 2015", "Cổng thông tin 1022 từ năm 2015"),
        ("11.000 hồ sơ", "11.000 hồ sơ"),
    ],
)
def test_years_of_the_sheet_move_with_a_copy(words, moved):
    assert engine.shift_years(words, year=2021, by=5) == moved


def test_moving_back_and_forth_gives_the_words_back():
    words = "năm 2021 trước ngày 01/11/2021 so với năm 2020"
    assert engine.shift_years(engine.shift_years(words, year=2021, by=1), year=2022, by=-1) == (
        words
    )
