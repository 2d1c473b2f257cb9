"""The arguments of a class on one search, checked before anything starts.

An address, a student's name, a join token and a strategy are refused with one
message that names the argument, the value given, what is allowed and the fix,
in the language spoken (:mod:`nbtune.language`): nothing is served, joined or
trained first.

Examples
--------
>>> check_address("127.0.0.1:8470")
('127.0.0.1', 8470)
>>> check_name("  ")
Traceback (most recent call last):
...
ValueError: name='  ' is not allowed: give the name the board shows for you, 1 to 40 characters (letters, digits, spaces, '-', '_', '.'), e.g. name='ann'
"""

from __future__ import annotations

import secrets
import string
from typing import Any

from nbtune.language import gettext as _

#: the characters of a join token: what gRPC metadata carries and a person can type
TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_.~")
_NAME_PUNCTUATION = frozenset(" -_.")


def check_address(address: Any) -> tuple[str, int]:
    """``"host:port"`` as (host, port); port 0 asks the system for a free one.

    The host is an IP address (``127.0.0.1``, ``0.0.0.0`` for every interface,
    ``[::1]``) or a name. The chief binds to it; a student connects to it.

    Examples
    --------
    >>> check_address("[::1]:8470"), check_address("teacher-pc:0")
    (('::1', 8470), ('teacher-pc', 0))
    >>> check_address("8470")
    Traceback (most recent call last):
    ...
    ValueError: address='8470' is not allowed: give 'host:port', e.g. address='127.0.0.1:8470' (this machine only) or address='192.168.1.20:8470' (this machine's address on the class's network)
    """
    fix = _("give 'host:port', e.g. address='127.0.0.1:8470' (this machine only) or "
            "address='192.168.1.20:8470' (this machine's address on the class's network)")
    if not isinstance(address, str):
        raise TypeError(_("address={value!r} is not allowed: {fix}").format(value=address, fix=fix))
    host, _colon, port = address.strip().rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or any(c.isspace() for c in host) or not port.isdigit() or int(port) > 65535:
        raise ValueError(_("address={value!r} is not allowed: {fix}").format(value=address, fix=fix))
    return host, int(port)


def check_name(name: Any) -> str:
    """A student's name: 1 to 40 letters (any script), digits, spaces, ``-``, ``_`` or ``.``.

    The name is the student's seat in the class: their trials are asked for
    under it, the board shows it, their run folder is named after it, and
    joining again under it gives back their unfinished trial.

    Examples
    --------
    >>> check_name("지민"), check_name("Ann B.")
    ('지민', 'Ann B.')
    """
    fix = _("give the name the board shows for you, 1 to 40 characters (letters, digits, "
            "spaces, '-', '_', '.'), e.g. name='ann'")
    if not isinstance(name, str):
        raise TypeError(_("name={value!r} is not allowed: {fix}").format(value=name, fix=fix))
    if (not name.strip() or name != name.strip() or len(name) > 40 or name in (".", "..")
            or not all(c.isalnum() or c in _NAME_PUNCTUATION for c in name)):
        raise ValueError(_("name={value!r} is not allowed: {fix}").format(value=name, fix=fix))
    return name


def check_token(token: Any, *, new_if_none: bool) -> str:
    """A join token: 4 to 64 letters, digits, ``-``, ``_``, ``.`` or ``~``.

    With ``new_if_none`` (the chief), None makes a new random token; a student
    must give the token of the join line.

    Examples
    --------
    >>> len(check_token(None, new_if_none=True)), check_token("abcd-1234", new_if_none=False)
    (8, 'abcd-1234')
    >>> check_token(None, new_if_none=False)
    Traceback (most recent call last):
    ...
    TypeError: token=None is not allowed: copy the token from the join line the instructor's notebook shows, e.g. token='k3J9-xQ2'
    """
    if token is None and new_if_none:
        return secrets.token_urlsafe(6)
    fix = (_("copy the token from the join line the instructor's notebook shows, e.g. "
             "token='k3J9-xQ2'") if not new_if_none else
           _("give 4 to 64 letters, digits, '-', '_', '.' or '~', or None for a new random "
             "token"))
    if not isinstance(token, str):
        raise TypeError(_("token={value!r} is not allowed: {fix}").format(value=token, fix=fix))
    if not 4 <= len(token) <= 64 or not set(token) <= TOKEN_CHARACTERS:
        raise ValueError(_("token={value!r} is not allowed: {fix}").format(value=token, fix=fix))
    return token


def check_strategy(strategy: Any, names: tuple[str, ...]) -> str:
    """The name of a strategy of the registry (``names``), for one class search.

    Examples
    --------
    >>> check_strategy("hyperband", ("grid", "hyperband"))
    'hyperband'
    >>> check_strategy(["grid"], ("grid", "hyperband"))
    Traceback (most recent call last):
    ...
    ValueError: strategy=['grid'] is not allowed: a class runs one search; give one of ['grid', 'hyperband'], e.g. strategy='hyperband'
    """
    if not isinstance(strategy, str) or strategy not in names:
        raise ValueError(_(
            "strategy={value!r} is not allowed: a class runs one search; give one of {names}, "
            "e.g. strategy='hyperband'").format(value=strategy, names=list(names)))
    return strategy


def check_seconds(name: str, value: Any, *, example: str) -> float:
    """A positive, finite number of seconds (``lease``, ``patience``).

    Examples
    --------
    >>> check_seconds("lease", 60, example="lease=60")
    60.0
    """
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not 0 < value < float("inf")):
        raise ValueError(_("{name}={value!r} is not allowed: give a number of seconds above 0, "
                           "e.g. {example}").format(name=name, value=value, example=example))
    return float(value)
