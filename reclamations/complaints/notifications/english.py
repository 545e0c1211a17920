"""The built-in English wording of each message to a client written to in English (issue 12).

The same variables and the same structure as the French defaults (wording.DEFAULT_TEMPLATES),
so that a manager who edits one language finds the other laid out alike. An organisation that
never edited its English wording sends these.
"""

from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.outbox.templates import Rendered

_SIGNATURE_AND_CLOSING = """
Kind regards,

{{ signature }}
"""

_GREETING = "Dear {% if client_name %}{{ client_name }}{% else %}Sir or Madam{% endif %},"

_DEADLINE = (
    "{% if due_date %}We will reply by {{ due_date }} at the latest.{% else %}Our time to "
    "reply, {{ deadline }}, will run from the receipt of your written confirmation.{% endif %}"
)

ENGLISH_TEMPLATES: dict[str, Rendered] = {
    ClientMessage.ACKNOWLEDGEMENT: Rendered(
        "Acknowledgement of your complaint [{{ reference }}]",
        _GREETING
        + """

We received your complaint on {{ received_on }}. It is registered under the reference \
{{ reference }}.

"""
        + _DEADLINE
        + """

{{ portal_hint }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.INFORMATION_REQUEST: Rendered(
        "Your complaint [{{ reference }}]: further information needed",
        _GREETING
        + """

To handle your complaint of {{ received_on }} (reference {{ reference }}), we need the \
following information:

{{ missing_information }}

{% if request_message %}{{ request_message }}

{% endif %}Please send it to us {{ how_to_answer }}.
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.CONFIRMATION_REQUEST: Rendered(
        "Written confirmation of your complaint [{{ reference }}]",
        _GREETING
        + """

You told us of a complaint by phone on {{ received_on }}. It is registered under the \
reference {{ reference }}.

As our complaints procedure requires, please confirm it in writing {{ how_to_answer }}, \
describing in a few lines what your complaint is about and what you expect from us.
{% if description %}
What we noted during your call:
{{ description }}
{% endif %}
"""
        + _DEADLINE
        + """
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.REPLY: Rendered(
        "Reply to your complaint [{{ reference }}]",
        _GREETING
        + """

Here is our reply to your complaint {{ reference }}, received on {{ received_on }}.

{{ reply_text }}

{{ recourse }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.PROGRESS: Rendered(
        "Progress of your complaint [{{ reference }}]",
        _GREETING
        + """

Here is where your complaint {{ reference }}, received on {{ received_on }}, stands: \
{{ status_label }}.
{% if replied_on %}Our reply was sent to you on {{ replied_on }}.{% elif due_date %}\
We will reply by {{ due_date }} at the latest.{% endif %}
{% if progress_note %}
{{ progress_note }}
{% endif %}
{{ portal_hint }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.CLOSURE: Rendered(
        "Closure of your complaint [{{ reference }}]",
        _GREETING
        + """

We certify that your complaint {{ reference }}, received on {{ received_on }}, has been \
handled{% if replied_on %} (our reply was sent to you on {{ replied_on }}){% endif %} and \
that it has been closed since {{ closed_on }}{% if outcome_label %}: {{ outcome_label }}\
{% endif %}.

Thank you for telling us what did not satisfy you: it helps us improve our training.
"""
        + _SIGNATURE_AND_CLOSING,
    ),
}
