"""Loading the built-in catalogue (``services.catalogue``)."""

from commitments import services
from commitments.models import Indicator, Target


def test_catalogue_loads_21_indicators_twice_without_duplicates(catalogue):
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    assert Indicator.objects.count() == 21
    assert Target.objects.filter(year=2021).count() == 21
