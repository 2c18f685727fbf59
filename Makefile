# The two front doors: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The port `make run` serves on: make run PORT=8001
PORT ?= 8000

.PHONY: install run serve test bench lint worker beat load

install: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	@touch $@

# The demo on embedded defaults: SQLite, tasks in-process, DEBUG on.
run: export DEBUG ?= true
run: install
	$(BIN)/python manage.py migrate --noinput
	PORT=$(PORT) $(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production shape: DEBUG off, the static files collected (hashed, compressed and
# served by WhiteNoise), gunicorn with several workers (reform/gunicorn.conf.py: BIND,
# WEB_CONCURRENCY, WEB_TIMEOUT). Needs the production variables (README, Operations).
serve: export DEBUG ?= false
serve: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn -c reform/gunicorn.conf.py

# SQLite and in-process tasks; PostgreSQL, Redis and a real worker when
# DATABASE_URL and REDIS_URL are set.
test: install
	$(BIN)/python -m pytest

# The load test of the public survey form on PostgreSQL (loadtest/run.py): gunicorn,
# Redis, a Celery worker and locust on 127.0.0.1, then sent = stored = counted.
# LOAD_DATABASE_URL names the database it drops and creates (default reform_load).
load: install
	$(BIN)/python loadtest/run.py $(LOAD_ARGS)

# The scale benchmark on PostgreSQL (bench/run.py): the city and national trees, each
# measure beside its floor. Not part of `make test`. BENCH_DATABASE_URL names the
# database it drops and creates (default reform_bench); BENCH_ARGS="--scale city".
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Production shape: a worker and the beat scheduler next to the web processes.
worker: install
	$(BIN)/celery -A reform worker --loglevel=INFO

beat: install
	$(BIN)/celery -A reform beat --loglevel=INFO
