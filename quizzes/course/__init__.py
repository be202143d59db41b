"""The course pipeline: read YAML banks and Markdown notes, check, render, import Moodle formats.

Pure Python (PyYAML, Markdown, nh3), no Django import; except `load`, which writes a checked course.
"""
