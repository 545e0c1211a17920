"""The staff pages' forms: they parse what the browser sends; the services decide what is valid."""
