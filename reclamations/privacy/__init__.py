"""Personal data handled by the book (GDPR): the retention policy (archived, then anonymised),
the data subjects' requests (access, erasure) with their own clock, and the subject-access
export. It sits above the features whose records it reads and purges (intake's emails, the
outbox's messages): docs/decisions/0024."""
