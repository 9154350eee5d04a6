"""Use cases: each function validates, changes state, writes the audit event and commits once."""
