"""The REST API's views: reads (``reads``), writes (``writes``) and the page where a
user manages their tokens (``tokens``). Thin: access from ``commitments.access``, rows
from ``commitments.selectors``, writes through ``commitments.services``."""
