"""A mail delivery backend for benchmarks/faults/worker_killed.py only: it marks that a delivery
has begun, waits, then writes the message to a file, so the script can kill the worker while a
delivery is under way and count the emails that really went out.

Configured by the script in its worker's environment (never in settings):
DJANGO_EMAIL_BACKEND=slow_mail.SlowFileEmailBackend, FAULT_MAIL_DIR, FAULT_MAIL_DELAY.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileEmailBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["FAULT_MAIL_DIR"]
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        started = Path(os.environ["FAULT_MAIL_DIR"]) / "started"
        started.mkdir(exist_ok=True)
        (started / uuid.uuid4().hex).write_text(f"{os.getpid()}\n")
        time.sleep(float(os.environ.get("FAULT_MAIL_DELAY", "5")))
        return super().send_messages(email_messages)
