"""gigmatch: match freelancers to projects."""

__version__ = "0.1.0"
