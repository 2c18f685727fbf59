"""Citizens answering a desk's survey, as fast as the server lets them (``loadtest/run.py``
starts the server and runs this headless, bounded in users and time).

- ``Citizen``: opens the desk's form (``/s/<desk>/``, one in five with ``?dossier=`` as
  from a receipt), reads its one-time ``token`` and its questions (the radio groups),
  and sends an answer to each with the token, as a browser would (the CSRF cookie and
  field, the empty honeypot). An answer is sent when the server redirects to the
  thank-you page; anything else is a failure.
- ``Trivial``: the cheapest page of the same server (the desk's thank-you page: one
  query and a short template), for the ratio of a submission to a page that does
  almost nothing.

Only ever against the host given (127.0.0.1). The desk's code comes from ``LOAD_DESK``.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import FastHttpUser, constant, events, task

DESK = os.environ.get("LOAD_DESK", "bp-motcua")
FORM = f"/s/{DESK}/"
TRIVIAL = os.environ.get("LOAD_TRIVIAL_PATH", f"/s/{DESK}/thanks/")

HIDDEN = re.compile(
    r'<input type="hidden" name="(token|csrfmiddlewaretoken|dossier)" value="([^"]*)"'
)
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="(\d)"')
# Most citizens are satisfied (4 or 5); the overall answer decides.
LEVELS, WEIGHTS = ("1", "2", "3", "4", "5"), (2, 3, 8, 45, 42)
COMMENTS = (
    "Cán bộ hướng dẫn tận tình.",
    "Thời gian chờ hơi lâu vào buổi sáng.",
    "Thủ tục rõ ràng, trả kết quả đúng hẹn.",
)


@events.quitting.add_listener
def _write_measures(environment, **_kwargs) -> None:
    """The final measures of each request name, as JSON in ``LOAD_MEASURES`` (the CSV
    files are written on a timer and may miss the last requests)."""
    path = os.environ.get("LOAD_MEASURES")
    if not path:
        return
    measures = {
        entry.name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "per_second": entry.total_rps,
            "median": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
        }
        for entry in environment.stats.entries.values()
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(measures, f)


class Citizen(FastHttpUser):
    wait_time = constant(0)

    @task
    def answer(self) -> None:
        path = FORM
        if random.random() < 0.2:
            path += f"?dossier=LT-{uuid.uuid4().hex[:16]}"
        with self.client.get(path, name="GET /s/<desk>/ (form)", catch_response=True) as page:
            fields = dict(HIDDEN.findall(page.text or ""))
            questions = sorted({name for name, _ in RADIO.findall(page.text or "")})
            if page.status_code != 200 or "token" not in fields or not questions:
                page.failure(f"no form: {page.status_code}")
                return
        data = {**fields, "website": ""}
        data.update((name, random.choices(LEVELS, WEIGHTS)[0]) for name in questions)
        data["comment"] = random.choice(COMMENTS) if random.random() < 0.1 else ""
        with self.client.post(
            FORM,
            data=data,
            name="POST /s/<desk>/ (answers)",
            allow_redirects=False,
            catch_response=True,
        ) as sent:
            if sent.status_code != 302:
                sent.failure(f"not stored: {sent.status_code}")


class Trivial(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        self.client.get(TRIVIAL, name="GET trivial page")
