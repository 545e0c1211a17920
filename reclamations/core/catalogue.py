"""Marking a French text for the English catalogue in a module that must not import Django
(the pure rules, import-linter's contract): `makemessages` finds every call named
`gettext_noop`, and this one changes nothing, as Django's does. The page that shows the text
translates it (`gettext(text)`, `gettext_lazy(text)`); the records keep the French."""


def gettext_noop(message: str) -> str:
    return message
