"""Getting mail in: IMAP (the only place that imports imapclient) and local files."""
