"""Letters: a letter's content laid out on the organisation's letterhead and printed to PDF
(WeasyPrint). Knows nothing of complaints: the complaint domain says what a letter holds."""
