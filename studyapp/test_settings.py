"""Settings for the test suite: development mode, so no real secret key is needed."""

import os

os.environ.setdefault("DEBUG", "1")

from studyapp.settings import *  # noqa: E402, F403
