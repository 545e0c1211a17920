"""The benchmark's simulator writes what the services write: bench/check_fidelity.py plays the
same complaints through both and finds no difference, the letters printed and posted included.
"""

import pytest
from check_fidelity import main


@pytest.mark.django_db
def test_the_simulated_complaints_are_those_the_services_write(clock, capsys):
    # At the clock's frozen instant, seed 3 replies five times by post.
    assert main(["--complaints", "40", "--seed", "3"]) == 0

    assert capsys.readouterr().out == (
        "OK: 40 complaints and 266 events identical to those the services write. Events by "
        "type: action_added 82, registered 40, replied 39, closed 39, cause_analysed 23, "
        "note_added 17, information_requested 5, information_received 5, letter_posted 5, "
        "confirmation_requested 3, confirmation_received 3, details_updated 2, "
        "mediation_seized 1, mediation_outcome 1, reopened 1\n"
    )
