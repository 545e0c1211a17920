"""The staff pages: small functions that read through queries and write through services."""
