"""The staff users of damanat's tests (one per role) serve the pages' tests too."""

from damanat.tests.conftest import *  # noqa: F403
