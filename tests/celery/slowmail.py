"""A file-based e-mail backend that takes its time, so a test can kill a worker mid-send."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBasedBackend


class EmailBackend(FileBasedBackend):
    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("COUNCILCASE_TEST_SLOW_MAIL_SECONDS", "0.4")))
        return super().send_messages(email_messages)
