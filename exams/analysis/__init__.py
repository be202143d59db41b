"""Item analysis: facility, discrimination and alpha stored per scope (`statistics`, `tasks`)."""
