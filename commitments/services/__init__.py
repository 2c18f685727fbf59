"""Writes, one module a concern. Every function validates first, writes inside
``transaction.atomic`` and queues follow-up work with ``transaction.on_commit``.

- ``audit``: the audit log (``audit_record``, one entry per report of an import).
- ``catalogue``: loading a built-in catalogue (``catalogue_load``): its sheet, the
  definitions of its indicators and their versions.
- ``definitions``: the indicator definitions shared by the sheets: an indicator adopting
  a version (``indicator_adopt``, ``version_in_force``) and a new version from a year on
  (``definition_version_add``).
- ``imports``: units, figures and evidence from CSV or XLSX files (``units_import``,
  ``figures_import``, ``evidence_import``); all or nothing.
- ``batches``: figures another system sends through the API, a batch of rows checked
  as the import checks them, all or nothing (``figures_batch_save``, ``BatchRefused``).
- ``figure_rows``: a row of a figures file checked, and the lines that say what is
  wrong with it (``figure_row_parse``), for both ways of importing the file.
- ``figure_stream``: the figures import on PostgreSQL, streamed through a staging
  table in constant memory (``figures_stream_import``).
- ``figures``: checking one figure with the one set of messages (``figure_check``,
  ``FigureError``, ``FORM_MESSAGES``) and saving figures against the validation rules
  (``figures_save``, ``FigureInput``, ``ImportResult``, ``RulesBroken``,
  ``years_affected``).
- ``official``: official figures (DOMAIN.md): the values of a reopened report kept
  until it is approved again, and the reports a trusted import approves
  (``official_keep``, ``official_release``, ``reports_approve_trusted``, and
  ``reports_approve_listed`` for the periods of a staging table).
- ``recompute``: recomputing a year's statuses (``statuses_recompute``, in parts on
  several workers for a large tree: ``statuses_recompute_part``), asking for that
  recompute in the transaction of a write (``recompute_request``, a row of the outbox,
  naming the figures a change touched) and recomputing the years asked for
  (``recompute_drain``), or only what a change touched.
- ``recompute_here``: a year recomputed from this process, a large tree's parts by
  several processes at once (``statuses_recompute_here``).
- ``status_writes``: writing computed statuses, only those that changed
  (``statuses_write``).
- ``targets``: preparing a year from another, a sheet copied into another year, and
  editing a target (``targets_copy_year``, ``sheet_copy``, ``target_update``,
  ``TargetsCopyRefused``).
- ``sheet_files``: a department's sheet loaded from a CSV or XLSX file
  (``sheet_load``, ``SheetLoadFailed``); all or nothing.
- ``sheets``: a department's signed sheet: created, an indicator and its target added,
  given to a department, signed with its scanned document, its commitments confirmed
  after a copy (``sheet_create``, ``indicator_add``, ``sheet_assign``, ``sheet_sign``,
  ``commitment_confirm``, ``sheet_confirm``).
- ``reports``: the quarterly report's figures and its way to the director
  (``report_save``, ``report_submit``, ``report_withdraw``, ``report_approve``,
  ``report_return``, ``report_reopen``, ``ReportRefused``).
- ``evidence``: evidence added to or removed from a report (``evidence_add``,
  ``evidence_delete``).
- ``plan``: plan tasks and milestones ticked on a report (``plan_save``).
- ``reminders``: emails reminding units to report (``report_reminders_send``).
- ``notices``: emails following a report on its way: submitted (to its reviewers),
  returned or approved (to its staff) (``report_notify``).
- ``publishing``: publishing a period's results (``results_publish``,
  ``PublishRefused``).

Callers import the package and call through the module:
``services.reports.report_submit(...)``.
"""

from commitments.services import (  # noqa: F401
    audit,
    batches,
    catalogue,
    definitions,
    evidence,
    figure_rows,
    figure_stream,
    figures,
    imports,
    notices,
    official,
    plan,
    publishing,
    recompute,
    recompute_here,
    reminders,
    reports,
    sheet_files,
    sheets,
    status_writes,
    targets,
)
