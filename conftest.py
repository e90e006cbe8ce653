"""Offline guard for the whole test run (unit tests and notebooks).

* pytest-socket (``--allow-hosts`` in pyproject) refuses any connection from the
  test process
  to a host other than this machine;
* every kernel that nbval starts inherits proxies that point to a closed local port,
  so an HTTP(S) download from a notebook (``urllib``, ``requests``,
  ``keras.utils.get_file``) fails
  at once instead of reaching the internet.
"""

from __future__ import annotations

import os

DEAD_PROXY = "http://127.0.0.1:9"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
    os.environ[_var] = DEAD_PROXY
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "localhost,127.0.0.1,::1"
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
