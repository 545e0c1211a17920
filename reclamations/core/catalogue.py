"""Marking a French text for the English catalogue in a module that must not import Django
(the pure rules, import-linter's contract): `makemessages` finds every call named
`gettext_noop`, and this one changes nothing, as Django's does. The page that shows the text
translates it (`gettext(text)`, `gettext_lazy(text)`); the records keep the French."""


def gettext_noop(message: str) -> str:
    return message


def as_is(message: str) -> str:
    """The French itself: what a pure module's wording takes as `translate` when no page asks
    for another language (the commands, the records)."""
    return message
