"""ccm-scorm: competency-mapped e-learning packages from plain-text courses."""

__version__ = "0.1.0"
