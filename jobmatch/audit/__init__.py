"""The audit log of reads and writes of personal and sensitive data (who, role, which records and fields, when).

Entries name fields, never their values: the log itself holds no personal data beyond record ids.
"""
