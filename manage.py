#!/usr/bin/env python
"""Same as the `lantern` command, for those who expect manage.py."""

from lantern.cli import main

if __name__ == "__main__":
    main()
