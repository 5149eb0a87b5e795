"""Test-side helpers for ccm-scorm: real clients (Chromium, scorm-again,
Ralph, axe-core, xapi-validation), no mocks.  Fixtures live in tests/conftest.py."""
