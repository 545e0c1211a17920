"""Inbound email: parsing (bytes -> InboundMessage), routing, and the mailbox side."""
