"""Units of the department's tree and who belongs to them (đơn vị, thành viên)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The sectors units are known by (lĩnh vực), in the reader's language. A unit's sector
# is a free code (imports, the admin); one not listed here is shown as it is.
SECTOR_NAMES = {
    "agriculture": _("Nông nghiệp"),
    "rural_development": _("Phát triển nông thôn"),
    "fisheries": _("Thủy sản"),
    "forestry": _("Lâm nghiệp"),
    "irrigation": _("Thủy lợi"),
    "education": _("Giáo dục"),
    "health": _("Y tế"),
    "culture": _("Văn hóa"),
    "tourism": _("Du lịch"),
    "sports": _("Thể dục, thể thao"),
    "environment": _("Tài nguyên và môi trường"),
    "construction": _("Xây dựng"),
    "transport": _("Giao thông vận tải"),
    "industry_trade": _("Công thương"),
    "finance": _("Tài chính"),
    "planning_investment": _("Kế hoạch và đầu tư"),
    "labour": _("Lao động, thương binh và xã hội"),
    "justice": _("Tư pháp"),
    "home_affairs": _("Nội vụ"),
    "science_technology": _("Khoa học và công nghệ"),
    "information": _("Thông tin và truyền thông"),
}


def sector_name(code: str) -> str:
    """A sector's name in the active language: "Giáo dục" ("Education") for
    ``education``; a code with no known name as it is."""
    return str(SECTOR_NAMES[code]) if code in SECTOR_NAMES else code


class Unit(models.Model):
    """A unit of the department's tree (đơn vị): the department, its divisions, its
    affiliated units."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở / cơ quan")
        DIVISION = "division", _("Phòng, ban chuyên môn")
        AFFILIATED_UNIT = "affiliated_unit", _("Đơn vị trực thuộc")

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    sector = models.SlugField(_("lĩnh vực"), max_length=50, blank=True)
    public_service = models.BooleanField(_("đơn vị sự nghiệp công lập"), default=False)
    receives_dossiers = models.BooleanField(_("bộ phận tiếp nhận hồ sơ"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị")
        permissions = [
            # The city's coordinating office (access.VIEW_CITY): the city view, and
            # every department's results read as its director reads them.
            ("view_city", _("Xem kết quả mọi Sở (toàn thành phố)")),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self) -> None:
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Một đơn vị không thể là cấp trên của chính nó.")})
        if self.pk is not None:
            ancestor = self.parent
            seen = set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("Cây đơn vị không được có vòng lặp.")})
                seen.add(ancestor.pk)
                ancestor = ancestor.parent

    @property
    def sector_label(self) -> str:
        """The unit's sector in the active language (``sector_name``)."""
        return sector_name(self.sector)

    @property
    def label(self) -> str:
        """The unit's name in the active language (its Vietnamese name when it has no
        English one)."""
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


def done_by(verbose_name) -> models.ForeignKey:
    """The user who did something (recorded, created, submitted, published...): the
    record keeps its place, without them, once their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Membership(models.Model):
    """A user's role in a unit: staff (chuyên viên) report for it, a director (lãnh
    đạo) reviews it and the units below it."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Chuyên viên")
        DIRECTOR = "director", _("Lãnh đạo")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = pgettext_lazy("plural", "phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit.code} · {self.get_role_display()}"
