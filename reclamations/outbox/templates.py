"""Messages written from templates: the organisation's own wording or a default, rendered safely.

Templates use Django's template syntax, rendered by a dedicated engine that has no loader (no
`{% include %}` of files) and no autoescaping (the result is plain text). What a template may
use is what its `TemplateSpec` lists; the caller builds the context from plain strings and
dicts, never model instances, so that a template cannot reach beyond it.
"""

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import VariableNode
from django.utils.translation import gettext

from reclamations.core.languages import FRENCH
from reclamations.core.models import Organisation
from reclamations.outbox.models import MessageTemplate

logger = logging.getLogger(__name__)

ENGINE = Engine(loaders=[], autoescape=False, string_if_invalid="", libraries={})
# The same, keeping where a syntax error is: a manager is told the line to correct.
_CHECKING_ENGINE = Engine(
    loaders=[], autoescape=False, string_if_invalid="", libraries={}, debug=True
)

# A rendered subject's limit: room is left in the column for the reference added in brackets.
SUBJECT_MAX = 250


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@dataclass(frozen=True)
class TemplateSpec:
    """What a kind of message needs to be written: its default wording, the variables a
    template may use (name -> what it holds), those it must use, and a sample context to
    show a manager what their wording gives."""

    kind: str
    default: Rendered
    variables: Mapping[str, str]
    required: tuple[str, ...]
    sample: Mapping[str, Any]
    language: str = FRENCH  # of the wording: the recipient's


_TEMPLATE_SQL = (
    f"SELECT subject, body FROM {MessageTemplate._meta.db_table} "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND kind = %s AND language = %s LIMIT 1"
)


def template_for(
    organisation: Organisation, kind: str, default: Rendered, language: str = FRENCH
) -> Rendered:
    """The organisation's wording of `kind` in `language`, or `default` (the default wording
    in that language) when it has none."""
    # Written out, and read each time (a manager's edit applies at once): this runs for every
    # message queued, and building the query through the ORM took 15 times longer than running it.
    with connection.cursor() as cursor:
        cursor.execute(_TEMPLATE_SQL, [organisation.pk, kind, language])
        row = cursor.fetchone()
    return Rendered(row[0], row[1]) if row is not None else default


_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy_body(text: str) -> str:
    """Plain text as mail wants it: no trailing spaces, at most one blank line in a row, and
    one final newline (an SMTP server adds it otherwise, and the stored copy would differ)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"


def _tidy_subject(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=128)
def _compiled(source: str) -> Template:
    # Compiling costs more than rendering; intake registers hundreds of messages a second.
    return ENGINE.from_string(source)


def render(template: Rendered, context: Mapping[str, Any]) -> Rendered:
    """Render a template (raises TemplateSyntaxError or a rendering error on a bad one)."""
    # Plain text: nothing is HTML-escaped (the engine's autoescape only sets the default of
    # contexts it creates itself, not of these).
    subject = _compiled(template.subject).render(Context(dict(context), autoescape=False))
    body = _compiled(template.body).render(Context(dict(context), autoescape=False))
    return Rendered(_tidy_subject(subject), _tidy_body(body))


def render_own_or_default(
    organisation: Organisation,
    kind: str,
    default: Rendered,
    context: Mapping[str, Any],
    language: str = FRENCH,
) -> Rendered:
    """The message in the organisation's wording in `language` (`default` is the default
    wording in it). An own template was checked when saved; should it still fail, the default
    is used rather than losing the message (or refusing the change that sends it)."""
    template = template_for(organisation, kind, default, language)
    try:
        return render(template, context)
    except Exception:
        if template == default:
            raise
        logger.exception("Modèle « %s » de l'organisme %s inutilisable", kind, organisation.pk)
        return render(default, context)


def _variables(template: Template) -> set[str]:
    names = set()
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        if not isinstance(node, VariableNode):  # what was asked for; the stubs say Node
            continue
        var = node.filter_expression.var
        lookups = getattr(var, "lookups", None)
        if lookups:
            names.add(lookups[0])
    return names


def syntax_error_line(error: TemplateSyntaxError) -> int | None:
    """The line (from 1) of a syntax error raised by a debug engine, when it says."""
    debug = getattr(error, "template_debug", None)
    line = debug.get("line") if isinstance(debug, dict) else None
    return line if isinstance(line, int) else None


def _compile(source: str, label: str, errors: list[str]) -> Template | None:
    try:
        _CHECKING_ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        line = syntax_error_line(exc)
        where = (
            gettext("%(label)s, ligne %(line)d") % {"label": label, "line": line}
            if line and "\n" in source
            else label
        )
        errors.append(
            gettext(
                "%(where)s : syntaxe incorrecte (%(error)s). Vérifiez les {{ … }} et les "
                "{%% … %%} (chaque {%% if %%} se ferme par {%% endif %%})."
            )
            % {"where": where, "error": exc}
        )
        return None
    return ENGINE.from_string(source)


def _unknown_variables(compiled: Template, spec: TemplateSpec, problems: list[str]) -> None:
    unknown = sorted(_variables(compiled) - set(spec.variables))
    if unknown:
        names = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
        problems.append(
            gettext(
                "Variable inconnue : %(names)s. Utilisez une des variables listées sous le "
                "formulaire."
            )
            % {"names": names}
        )


def _missing_variables(compiled: Template, spec: TemplateSpec, problems: list[str]) -> None:
    used = _variables(compiled)
    missing = [name for name in spec.required if name not in used]
    if missing:
        names = ", ".join(f"{{{{ {name} }}}}" for name in missing)
        problems.append(
            gettext(
                "Le texte doit contenir %(names)s : sans cela, ce message ne remplit pas son rôle."
            )
            % {"names": names}
        )


def _check_preview(preview: Rendered, subject: list[str], body: list[str]) -> None:
    if not preview.subject:
        subject.append(gettext("L'objet est vide une fois le modèle appliqué."))
    elif len(preview.subject) > SUBJECT_MAX:
        subject.append(
            gettext("L'objet dépasse %(most)d caractères une fois appliqué.")
            % {"most": SUBJECT_MAX}
        )
    if not preview.body.strip():
        body.append(gettext("Le texte est vide une fois le modèle appliqué."))


def validate_template(
    spec: TemplateSpec, subject: str, body: str
) -> tuple[Rendered | None, dict[str, list[str]]]:
    """Check a wording by rendering it with the spec's sample; (preview, field -> messages)."""
    subject_errors: list[str] = []
    body_errors: list[str] = []
    compiled_subject = _compile(subject, gettext("Objet"), subject_errors)
    compiled_body = _compile(body, gettext("Texte"), body_errors)
    if compiled_subject is not None:
        _unknown_variables(compiled_subject, spec, subject_errors)
    if compiled_body is not None:
        _unknown_variables(compiled_body, spec, body_errors)
        _missing_variables(compiled_body, spec, body_errors)
    preview = None
    if not subject_errors and not body_errors:
        try:
            preview = render(Rendered(subject, body), spec.sample)
        except Exception as exc:  # any failure of a manager's template is shown to them
            body_errors.append(
                gettext("Le modèle ne peut pas être affiché avec une réclamation : %(error)s")
                % {"error": exc}
            )
    if preview is not None:
        _check_preview(preview, subject_errors, body_errors)
    errors = {
        name: problems
        for name, problems in (("subject", subject_errors), ("body", body_errors))
        if problems
    }
    return (preview if not errors else None), errors
