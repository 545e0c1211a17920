"""The counts the statistics read, kept as complaints change (decision 0029): written by
complaints/counts.py in the transaction of each change, read by reporting/statistics_kept.py.
Imported by complaints/models.py, which Django loads."""

from django.db import models
from django.db.models import Q

from reclamations.complaints.counted import OPEN, REGISTER
from reclamations.core.models import Organisation


class CountedComplaint(models.Model):
    """What the kept counts hold of one complaint (complaints.counted.Counted, as JSON): the
    values it was last counted with, taken off the counts when it changes; and the day of its
    first acknowledgement, which only its events say."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)
    counted = models.TextField()

    class Meta:
        db_table = "complaints_counted"

    def __str__(self) -> str:
        return f"comptée {self.complaint_id}"


class StatisticsCount(models.Model):
    """How many complaints received on a day (or in a month) count under one figure's value:
    the channel "email", the training "Excel", the reply span "2025-03-03 2025-03-10"..."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, db_index=False)
    month = models.BooleanField()  # a whole month's count (`day` its first day), else a day's
    day = models.DateField()
    figure = models.CharField(max_length=24)
    value = models.CharField(max_length=300, blank=True)
    complaints = models.IntegerField()

    class Meta:
        db_table = "complaints_statistics_count"
        constraints = [
            # The key every change adds to or takes from (INSERT ... ON CONFLICT), and the
            # index a period's figures are read by: its months, then its ragged days.
            models.UniqueConstraint(
                fields=["organisation", "month", "day", "figure", "value"],
                name="statistics_count_key",
            )
        ]
        indexes = [
            # The open complaints are read whatever their day (their age is counted from it).
            models.Index(
                fields=["organisation", "day"],
                condition=Q(figure=OPEN),
                name="statistics_open_by_day",
            ),
            # The register's codes together, read alone to count a filtered register (the
            # figure in it too: SQLite reads an index alone only when it has every column
            # the query names).
            models.Index(
                fields=["organisation", "figure", "month", "day", "value", "complaints"],
                condition=Q(figure=REGISTER),
                name="statistics_register_codes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.figure} {self.value}: {self.complaints}"
