"""Readiness: the model (`model`, pure), its rows (`queries`), exam forecasts (`forecast`)."""
