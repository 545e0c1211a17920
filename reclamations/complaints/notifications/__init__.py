"""What the complaint domain sends, to whom, in which wording; and what it records once sent.

The outbox (a generic queue) delivers; this package decides, and hears back through the
delivery listener that ComplaintsConfig.ready() registers.
"""
