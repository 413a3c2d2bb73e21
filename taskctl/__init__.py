"""taskctl: a fast, safe, scriptable tool for a project's tasks (Task Master's tasks.json)."""

__version__ = "0.1.0"
