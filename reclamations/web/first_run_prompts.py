"""`reclamations init`'s questions: each field of the first-run form asked in French, with its
default, and asked again until its answer passes the same checks as the page's (the form's
field, then core.installation)."""

import getpass
from typing import Any, TextIO

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper

from reclamations.core.installation import (
    MANAGER_FIELDS,
    NewManager,
    first_run_settings_clean,
    manager_errors,
)
from reclamations.web.forms.first_run import FIRST_RUN_FIELDSETS, MISMATCH, FirstRunForm

YES = {"o", "oui", "y", "yes"}
NO = {"n", "non", "no"}
PASSWORD_FIELDS = ("manager_password1", "manager_password2")
# Asked for by the manager's account, whose checks need the other answers.
_MANAGER_NAMES = {value: key for key, value in MANAGER_FIELDS.items()}


class InputEnded(Exception):
    """The standard input closed before every question was answered."""


class Prompter:
    """Asks the first run's questions on `stdin` / `stdout`; a password is read without echo
    when `stdin` is a terminal."""

    def __init__(self, stdin: TextIO, stdout: OutputWrapper, defaults: dict[str, Any]) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.answers: dict[str, Any] = dict(defaults)
        self.form = FirstRunForm(password_required=False)

    # --- reading ---------------------------------------------------------------------------

    def _line(self, prompt: str) -> str:
        self.stdout.write(prompt, ending="")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise InputEnded
        if not self.stdin.isatty():
            self.stdout.write("")  # the answer came unechoed: end the prompt's line
        return line.rstrip("\r\n")

    def _secret(self, prompt: str) -> str:
        if self.stdin.isatty():
            return getpass.getpass(prompt)
        return self._line(prompt)

    def _say(self, text: str = "") -> None:
        self.stdout.write(text)

    # --- one question ----------------------------------------------------------------------

    def ask_all(self) -> tuple[dict[str, Any], NewManager]:
        """Every question, fieldset by fieldset: the settings and the manager to create."""
        for title, names, _help in FIRST_RUN_FIELDSETS:
            self._say()
            self._say(f"== {title} ==")
            for name in names:
                if name not in PASSWORD_FIELDS:
                    self._ask_until_right(name)
        self._ask_password()
        values = {
            name: self.answers.get(name)
            for name in self.form.fields
            if not name.startswith("manager_")
        }
        return values, self._manager()

    def _ask_until_right(self, name: str) -> None:
        field = self.form.fields[name]
        if field.help_text:
            self._say(f"  ({field.help_text})")
        if isinstance(field, forms.ChoiceField):
            for value, text in field.choices:
                self._say(f"    {value or '(vide)':<12} {text}")
        while True:
            raw = self._read(name, field)
            problems = self._problems(name, field, raw)
            if not problems:
                return
            for problem in problems:
                self._say(f"  ✗ {problem}")

    def _read(self, name: str, field: forms.Field) -> Any:
        default = self.answers.get(name)
        label = str(field.label)
        if isinstance(field, forms.BooleanField):
            shown = "O/n" if default else "o/N"
            while True:
                answer = self._line(f"{label} ? [{shown}] ").strip().casefold()
                if not answer:
                    return bool(default)
                if answer in YES | NO:
                    return answer in YES
                self._say("  ✗ Répondez « o » (oui) ou « n » (non).")
        if isinstance(field, forms.ChoiceField):
            return self._line(f"{label} [{default or 'vide'}] : ").strip() or (default or "")
        if isinstance(field.widget, forms.Textarea):
            return self._lines(label, default or "")
        suffix = f" [{default}]" if default not in (None, "") else ""
        return self._line(f"{label}{suffix} : ").strip() or (
            "" if default is None else str(default)
        )

    def _lines(self, label: str, default: str) -> str:
        kept = f" (Entrée seule : « {' / '.join(default.splitlines())} »)" if default else ""
        self._say(f"{label}, une ligne à la fois, une ligne vide pour finir{kept} :")
        lines: list[str] = []
        while True:
            line = self._line("  > ").strip()
            if not line:
                return "\n".join(lines) if lines else default
            lines.append(line)

    def _problems(self, name: str, field: forms.Field, raw: Any) -> list[str]:
        """What is wrong with the answer (nothing: it is kept, else the default stays)."""
        try:
            value = field.clean(raw)
        except ValidationError as error:
            return list(error.messages)
        before = self.answers.get(name)
        self.answers[name] = value
        if name in _MANAGER_NAMES:
            problems = manager_errors(self._manager()).get(name, [])
        else:
            _cleaned, errors = first_run_settings_clean({name: raw if value is None else value})
            problems = errors.get(name, [])
        if problems:
            self.answers[name] = before
        return problems

    # --- the manager ---------------------------------------------------------------------

    def _manager(self) -> NewManager:
        answers = self.answers
        return NewManager(
            username=str(answers.get("manager_username") or ""),
            email=str(answers.get("manager_email") or ""),
            password=str(answers.get("manager_password1") or ""),
            first_name=str(answers.get("manager_first_name") or ""),
            last_name=str(answers.get("manager_last_name") or ""),
        )

    def _ask_password(self) -> None:
        if self.answers.get("manager_password1"):
            return  # given by --manager-password-file or the environment
        self._say(
            "Mot de passe du responsable (laissé vide : un mot de passe provisoire est créé, "
            "affiché une fois, à changer à la première connexion)."
        )
        while True:
            first = self._secret("Mot de passe : ")
            if not first:
                return
            if self._secret("Mot de passe (confirmation) : ") != first:
                self._say(f"  ✗ {MISMATCH}")
                continue
            self.answers["manager_password1"] = first
            problems = manager_errors(self._manager()).get(MANAGER_FIELDS["password"], [])
            if not problems:
                return
            self.answers["manager_password1"] = ""
            for problem in problems:
                self._say(f"  ✗ {problem}")

    def confirm(self) -> bool:
        """Whether to create it all, once the answers are summed up."""
        answer = self._line("Créer l'organisme et le compte ? [O/n] ").strip().casefold()
        return answer in YES or not answer
