"""The load test of the public survey form: ``run.py`` (``make load``) drives
``locustfile.py`` against gunicorn and PostgreSQL, ``world.py`` sets up and checks."""
