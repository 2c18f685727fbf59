"""Computed statuses, the state of each year's recompute, and published results (trạng
thái, kết quả công bố).
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments import engine
from commitments.models.catalogue import DefinitionVersion, Indicator
from commitments.models.organisation import Unit, done_by


class OfficialStatuses(models.Manager):
    """Statuses computed from official figures only: what every page, export, print
    and publication reads unless a reader asks for the provisional view."""

    def get_queryset(self):
        return super().get_queryset().filter(provisional=False)


# A status's rank worst first (``engine.SEVERITY``; any other status last), as the
# database sorts rows by it: the indicator page's ranking of units, which an index of
# the same expression answers in order (``status_indicator_period``).
WORST_FIRST = Case(
    *(When(status=status, then=Value(rank)) for status, rank in engine.SEVERITY.items()),
    default=Value(len(engine.SEVERITY)),
    output_field=IntegerField(),
)


# How many of the units a coverage row misses its short form keeps
# (``Status.detail_listed``): as many as any page names (the printed report names
# this many, ``print_report.UNITS_LISTED``).
LISTED_KEPT = 200


class KeptLists(Func):
    """A status's ``detail`` without its whole lists of units, as the pages read it
    (``selectors.unit_lists``): ``covered_units`` empty, ``missing`` its first
    ``LISTED_KEPT`` codes, ``missing_count`` how many it holds in all; NULL for a
    detail that has no list of units, which a page reads as it is.

    PostgreSQL computes it as each row is written (a stored generated column), so that
    a page never unpacks a country's lists: a root's coverage row holds about 130 KB
    of codes, unpacked on every page that showed it. Other databases store NULL: the
    embedded SQLite reads the whole detail."""

    output_field = models.JSONField()

    def __init__(self):
        super().__init__(F("detail"))

    def as_sql(self, compiler, connection, **extra):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra):
        detail, params = compiler.compile(self.source_expressions[0])  # a column: none
        missing = f"({detail} -> 'missing')"
        is_list = f"jsonb_typeof({missing}) = 'array'"
        # Only functions PostgreSQL marks immutable (jsonb_build_object is not), as a
        # generated column requires.
        sql = (
            f"CASE WHEN {is_list} OR jsonb_typeof({detail} -> 'covered_units') = 'array'"
            f" THEN jsonb_set(jsonb_set(jsonb_set({detail} - 'covered_units' - 'missing',"
            " '{covered_units}', '[]'::jsonb),"
            f" '{{missing}}', CASE WHEN {is_list} THEN"
            f" jsonb_path_query_array({missing}, '$[0 to {LISTED_KEPT - 1}]')"
            " ELSE '[]'::jsonb END),"
            f" '{{missing_count}}', (CASE WHEN {is_list} THEN jsonb_array_length({missing})"
            " ELSE 0 END)::text::jsonb) END"
        )
        return sql, params


class Status(models.Model):
    """A computed judgement of one indicator for a unit, category and period. Written
    only by the recompute service.

    Two sets are kept (DOMAIN.md, "Official figures"): the official one, from approved
    figures only (``Status.objects``), and, while some report is not yet approved, a
    provisional one from every figure as typed (``provisional=True``, read through
    ``Status.every``), whose rows say whether they differ from the official value.
    """

    class Value(models.TextChoices):
        MET = engine.MET, _("Đạt")
        AT_RISK = engine.AT_RISK, _("Có nguy cơ không đạt")
        NOT_MET = engine.NOT_MET, _("Không đạt")
        NO_DATA = engine.NO_DATA, _("Chưa có số liệu")
        NOT_APPLICABLE = engine.NOT_APPLICABLE, _("Không áp dụng")
        TRACKED = engine.TRACKED, _("Theo dõi")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="statuses"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="statuses"
    )
    # A code rather than a key: "" stands for the indicator as a whole, and a NOT NULL
    # column lets the upsert find its row.
    category = models.CharField(_("phân loại"), max_length=50, blank=True)
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), help_text=_("0: lũy kế năm"))
    # Wide enough for anything the engine makes of bounded figures (a growth in percent
    # of a national sum over a baseline of 1 still fits).
    value = models.DecimalField(
        _("giá trị"), max_digits=34, decimal_places=10, null=True, blank=True
    )
    target = models.DecimalField(
        _("ngưỡng"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    comparator = models.CharField(_("phép so sánh"), max_length=2, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Value.choices)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    # ``detail`` without its whole lists of units, kept by the database (``KeptLists``).
    detail_listed = models.GeneratedField(
        expression=KeptLists(), output_field=models.JSONField(), db_persist=True
    )
    computed_at = models.DateTimeField(_("tính lúc"))
    provisional = models.BooleanField(_("tạm tính"), default=False)
    # In the provisional set: the value or the status is not the official one.
    differs = models.BooleanField(_("khác số chính thức"), default=False)
    # The version of the indicator's definition the status was computed with.
    version = models.ForeignKey(
        DefinitionVersion,
        verbose_name=_("phiên bản định nghĩa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    every = models.Manager()
    objects = OfficialStatuses()

    class Meta:
        base_manager_name = "every"
        default_manager_name = "objects"
        ordering = ["year", "quarter", "indicator__code", "unit__code", "category"]
        verbose_name = _("trạng thái")
        verbose_name_plural = pgettext_lazy("plural", "trạng thái")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "category", "year", "quarter", "provisional"],
                name="status_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "quarter"], name="status_year_quarter"),
            # An indicator's rows of one period, every unit's, in the order its page
            # ranks them (worst first, then the lowest value): the first page of a
            # country's 8,000 units is read from the index in order, not sorted from
            # all of them (7.5 -> 2 ms for 5.1, the count included). The columns the
            # printed report's ranking reads are in the index too (PostgreSQL).
            models.Index(
                "indicator",
                "year",
                "quarter",
                "category",
                WORST_FIRST,
                # Ascending, nulls last: PostgreSQL's default, which SQLite cannot say.
                "value",
                include=["provisional", "status", "unit", "id"],
                name="status_indicator_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.period}: {self.status}"

    @property
    def period(self) -> str:
        return engine.period_label(self.year, self.quarter)

    @property
    def facts(self) -> engine.Detail:
        """The numbers behind the value (``detail``), read by attribute; read once for
        the ``detail`` the row holds (a page reads a row's facts several times)."""
        read = self.__dict__.get("_facts")
        if read is None or read[0] is not self.detail:
            read = self.__dict__["_facts"] = (self.detail, engine.Detail.from_json(self.detail))
        return read[1]


class RecomputeRequest(models.Model):
    """A change that a year's statuses read, waiting for the recompute that covers it:
    the outbox of the recompute (yêu cầu tính lại).

    Written in the same transaction as the change (``services.recompute.
    recompute_request``), so it commits or rolls back with it and no broker or worker
    fault can lose it; deleted by the recompute that read the change, in the
    recompute's own transaction. Rows are only inserted and deleted, never updated once
    committed (the transaction that writes one may add to what it touched): a save
    never waits for a row that a running recompute holds.
    """

    year = models.PositiveIntegerField(_("năm"), db_index=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    # A change of figures names what it touched: [unit id, data element id] pairs. The
    # recompute then reads and writes only the statuses of those units and the units
    # above them, for the indicators that read those elements. None: the whole year.
    touched = models.JSONField(_("số liệu đã thay đổi"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("yêu cầu tính lại")
        verbose_name_plural = pgettext_lazy("plural", "yêu cầu tính lại")

    def __str__(self) -> str:
        return f"{self.year}: {self.requested_at}"


def oldest_request(year) -> Subquery:
    """When the oldest request of ``year`` (a value or an ``OuterRef``) still waiting
    was made; None when none waits."""
    waiting = RecomputeRequest.objects.filter(year=year).order_by("requested_at")
    return Subquery(waiting.values("requested_at")[:1])


class RecomputeStates(models.Manager):
    """Each state comes with its year's oldest request still waiting
    (``requested_at``), in the same query."""

    def get_queryset(self):
        return super().get_queryset().annotate(requested_at=oldest_request(OuterRef("year")))


class RecomputeState(models.Model):
    """Per year: when the statuses were last computed, and whether the last recompute
    failed; with, read from the outbox (``RecomputeRequest``), the oldest request
    still waiting. The row is also the lock that keeps two recomputes of a year apart."""

    year = models.PositiveIntegerField(_("năm"), unique=True)
    computed_at = models.DateTimeField(_("tính xong lúc"), null=True, blank=True)
    status_count = models.PositiveIntegerField(_("số trạng thái"), default=0)
    # Some figure of the year is not official (a report not yet approved): the
    # provisional set of statuses exists and may differ from the official one.
    provisional_differs = models.BooleanField(_("có số liệu tạm tính"), default=False)
    # The last recompute that failed, and why in a line (the class and message of its
    # exception); a successful recompute clears both.
    failed_at = models.DateTimeField(_("lỗi lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)
    # A recompute split into parts that workers compute at once, while it runs: its id,
    # when it started, the date it judges as of, the parts not finished, the requests
    # it covers, and what its finished parts found (``services.recompute``).
    run = models.JSONField(_("lần tính lại theo phần"), null=True, blank=True)

    # Not a column: the oldest request of the year still waiting, read with the state
    # (``RecomputeStates``, ``selectors.statuses.years_with_states``).
    requested_at: dt.datetime | None = None

    objects = RecomputeStates()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("lần tính lại")
        verbose_name_plural = pgettext_lazy("plural", "lần tính lại")

    def __str__(self) -> str:
        return f"{self.year}: {self.computed_at or '—'}"

    @property
    def pending(self) -> bool:
        """Some change of the year waits for the recompute that covers it."""
        return self.requested_at is not None

    @property
    def failed(self) -> bool:
        """The last recompute of the year failed: none has succeeded since."""
        return self.failed_at is not None and (
            self.computed_at is None or self.failed_at > self.computed_at
        )

    @property
    def behind_since(self) -> dt.datetime | None:
        """Since when the year's statuses may be behind what they read, or None when
        they are up to date.

        They are behind since the oldest change that no recompute has covered yet (its
        request waits in the outbox until a recompute that read it commits: a change
        saved during a recompute waits for the next one), and, when the last recompute
        failed, since its failure at the latest.
        """
        since = [self.requested_at] if self.requested_at is not None else []
        if self.failed:
            since.append(self.failed_at)
        return min(since, default=None)


class Publication(models.Model):
    """A department's results of a period as its director published them (công bố kết
    quả), for the public page ``/results/``.

    ``snapshot`` is frozen at publication: the statuses may be recomputed later, the
    public sees what was published until it is published again (which replaces the
    snapshot and is recorded in the audit log). It holds the commitments and indicators
    with their names in both languages, values as text and statuses, and
    ``computed_at`` of the statuses; never a person's name.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MaxValueValidator(4)], help_text=_("0: lũy kế năm")
    )
    published_at = models.DateTimeField(_("công bố lúc"))
    published_by = done_by(_("người công bố"))
    snapshot = models.JSONField(_("kết quả đã công bố"), default=dict)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "unit__code"]
        verbose_name = _("kết quả đã công bố")
        verbose_name_plural = pgettext_lazy("plural", "kết quả đã công bố")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="publication_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=0) & Q(quarter__lte=4),
                name="publication_quarter_0_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{engine.period_label(self.year, self.quarter)} {self.unit.code}"
