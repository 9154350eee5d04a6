"""Browser tests: a real LabCert server driven through Debian's chromium by Playwright."""
