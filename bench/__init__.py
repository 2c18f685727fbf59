"""The scale benchmark (``make bench``): synthetic city and national trees, loaded into a
PostgreSQL database of its own, each measure beside its floor in the same run."""
