"""A short name for each indicator, for the column headers of the units x indicators
matrix. The indicators of the built-in 2021 catalogue already stored get theirs (only
where the name is still the catalogue's: an indicator an admin renamed keeps showing
its own name until given a short one)."""

from django.db import migrations, models

# The built-in catalogue's indicators as they were loaded: code, Vietnamese name, and
# the short names in Vietnamese and English (commitments/catalogue.py has the same).
BUILT_IN = [
    ("1.1", "Tỷ lệ nhiệm vụ Kế hoạch CCHC hoàn thành trước ngày 01/11/2021",
     "Nhiệm vụ kế hoạch đúng hạn", "Plan tasks on time"),
    ("2.1", "Đề xuất sắp xếp, kiện toàn, tinh gọn tổ chức bộ máy",
     "Sắp xếp bộ máy", "Organisation review"),
    ("2.2", "Công khai kết quả tuyển dụng công chức, viên chức",
     "Công khai tuyển dụng", "Recruitment published"),
    ("3.1", "Tỷ lệ phòng, ban, đơn vị trực thuộc được kiểm tra định kỳ",
     "Kiểm tra định kỳ", "Periodic inspections"),
    ("3.2", "Số đơn vị được kiểm tra đột xuất trong quý",
     "Kiểm tra đột xuất", "Surprise inspections"),
    ("4.1", "Mức độ hài lòng của người dân và doanh nghiệp", "Hài lòng", "Satisfaction"),
    ("4.2", "Tỷ lệ hồ sơ xử lý trực tuyến tăng so với năm 2020",
     "Hồ sơ trực tuyến", "Online dossiers"),
    ("4.3", "Số thủ tục đủ điều kiện trực tuyến mức độ 3, 4 tăng so với năm 2020",
     "Thủ tục mức độ 3, 4", "Level-3/4 procedures"),
    ("4.4", "Đơn vị sự nghiệp công lập giáo dục, y tế ứng dụng thanh toán điện tử",
     "Thanh toán điện tử (giáo dục, y tế)", "E-payment (education, health)"),
    ("4.5", "Bộ phận tiếp nhận ứng dụng thanh toán điện tử",
     "Thanh toán điện tử tại bộ phận", "E-payment at desks"),
    ("4.6", "Phòng, ban, đơn vị trực thuộc có ít nhất một sáng kiến", "Sáng kiến", "Initiatives"),
    ("5.1", "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực",
     "Đúng hạn từng lĩnh vực", "On time, each field"),
    ("5.2", "Đối thoại với người dân, doanh nghiệp trong quý", "Đối thoại", "Dialogues"),
    ("6.1", "Bộ phận tiếp nhận đã khảo sát sự hài lòng trong quý",
     "Khảo sát hài lòng", "Satisfaction surveyed"),
    ("6.2", "Bộ phận tiếp nhận đã công khai kết quả khảo sát của quý",
     "Công khai khảo sát", "Survey results published"),
    ("7.1", "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn, từng kênh",
     "Phản ánh đúng hạn", "Feedback on time"),
    ("7.2", "Tỷ lệ phản ánh, kiến nghị đã xử lý được công khai kết quả",
     "Công khai phản ánh", "Feedback results published"),
    ("8.1", "Tỷ lệ văn bản đi có chữ ký số", "Chữ ký số", "Digital signatures"),
    ("8.2", "Hoàn thành chuyển đổi hệ thống quản lý chất lượng TCVN ISO 9001:2015",
     "ISO 9001:2015", "ISO 9001:2015"),
    ("9.1", "Đơn vị có chuyên mục tuyên truyền CCHC trên trang thông tin điện tử",
     "Chuyên mục CCHC", "Reform web section"),
    ("9.2", "Đơn vị có ít nhất 01 sản phẩm, mô hình tuyên truyền CCHC",
     "Sản phẩm tuyên truyền", "Communication products"),
]  # fmt: skip


def name_built_in_indicators(apps, schema_editor):
    Indicator = apps.get_model("commitments", "Indicator")
    for code, name_vi, short_vi, short_en in BUILT_IN:
        Indicator.objects.filter(code=code, name_vi=name_vi, short_name_vi="").update(
            short_name_vi=short_vi, short_name_en=short_en
        )


class Migration(migrations.Migration):
    dependencies = [("commitments", "0012_calendar_days_withdrawn")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="short_name_vi",
            field=models.CharField(
                blank=True,
                help_text="Vài chữ cho tiêu đề cột của bảng kết quả từng đơn vị. Trống: tên đầy đủ.",
                max_length=60,
                verbose_name="tên ngắn (tiếng Việt)",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="short_name_en",
            field=models.CharField(blank=True, max_length=60, verbose_name="tên ngắn (tiếng Anh)"),
        ),
        migrations.RunPython(name_built_in_indicators, migrations.RunPython.noop),
    ]
