"""The email-package policies the parser runs under. Pure: no Django.

policy.default (with a header cache) splits the MIME tree; compat32 is the fallback when the
modern parser fails, and reads a part's parameters again when its filename was mangled; the
generator's policy flattens an attached message with CRLF and without refolding its headers.
"""

import functools
import re
from email import policy as email_policy
from email.policy import Compat32, EmailPolicy
from typing import Any

_LINESEP = re.compile(r"\r\n|\r|\n")


@functools.lru_cache(maxsize=4096)
def _cached_header(name: str, value: str) -> object:
    return email_policy.default.header_factory(name, "".join(_LINESEP.split(value)))


class _CachingPolicy(EmailPolicy):
    """policy.default, with parsed MIME headers cached.

    The stdlib re-parses Content-Type on every get_content_type()/get_param() call, which made
    parsing four times slower than compat32; the values repeat a lot ("text/plain;
    charset=utf-8"), and header objects are immutable, so a shared cache is safe.
    """

    def header_fetch_parse(self, name: str, value: object) -> Any:
        if hasattr(value, "name"):
            return value
        text = str(value)
        if len(text) > 2000:
            return email_policy.default.header_fetch_parse(name, text)
        return _cached_header(name, text)


_DEFAULT_POLICY = _CachingPolicy()
_COMPAT_POLICY = email_policy.compat32
_GENERATOR_POLICY = Compat32(linesep="\r\n", max_line_length=None)
