"""A serving process sets aside what it loaded from the garbage collector's full collections
(lantern.site.serving, issue 18)."""

import gc
import subprocess
import sys

from lantern.site import serving


def test_settling_sets_aside_what_is_loaded():
    gc.unfreeze()
    try:
        serving.settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_process_serving_lantern_is_settled_once_loaded_with_its_views():
    code = ("import gc, sys, lantern.wsgi; "
            "print(gc.get_freeze_count(), 'lantern.intelligence.views' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "DEBUG": "1"}, check=True)
    frozen, views_loaded = out.stdout.split()
    assert int(frozen) > 0 and views_loaded == "True"
