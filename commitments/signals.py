"""Saving or deleting what a status reads queues a recompute of its year.

Services that write in bulk (imports) call ``services.recompute.recompute_request`` themselves;
these receivers cover single saves from the admin and the forms.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from commitments import services
from commitments.models import (
    Evidence,
    Figure,
    Milestone,
    PlanTask,
    Target,
    TargetOverride,
)


def _years(instance) -> set[int]:
    if isinstance(instance, Evidence):
        return {instance.date.year}
    if isinstance(instance, TargetOverride):
        # Looked up, not followed: in a cascade the target may already be gone.
        return set(Target.objects.filter(pk=instance.target_id).values_list("year", flat=True))
    if isinstance(instance, Figure):
        return services.figures.years_affected({instance.year})
    return {instance.year}


@receiver(post_save, sender=Figure)
@receiver(post_save, sender=Evidence)
@receiver(post_save, sender=PlanTask)
@receiver(post_save, sender=Milestone)
@receiver(post_save, sender=Target)
@receiver(post_save, sender=TargetOverride)
@receiver(post_delete, sender=Figure)
@receiver(post_delete, sender=Evidence)
@receiver(post_delete, sender=PlanTask)
@receiver(post_delete, sender=Milestone)
@receiver(post_delete, sender=Target)
@receiver(post_delete, sender=TargetOverride)
def queue_recompute(sender, instance, **kwargs) -> None:
    services.recompute.recompute_request(years=_years(instance))
