"""A serving process sets aside what it loaded from the garbage collector's full collections
(lantern.foundation.serving, issue 18)."""

import gc
import subprocess
import sys

from lantern.foundation import serving


def test_settling_sets_aside_what_is_loaded():
    try:
        serving.settle()
        assert gc.get_freeze_count() > 10_000  # Django, the apps, every view
    finally:
        gc.unfreeze()


def test_a_process_serving_lantern_is_settled_once_loaded():
    code = "import gc, lantern.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "DEBUG": "1"}, check=True)
    assert int(out.stdout) > 10_000
