"""Names VBA refuses: the reserved identifiers of MS-VBAL, and a reader of VBA declarations.

A worksheet function's wrapper declares its arguments by their Python names, so a Python
argument called ``scale`` (a reserved name of VBA, MS-VBAL 3.3.5.2) makes the whole add-in
fail to compile in Excel. :func:`declared_names` tokenizes VBA source (strings, comments,
line continuations, conditional compilation lines) and returns every name a procedure,
argument, variable or constant declaration introduces; :func:`reserved_declarations` lists
those VBA refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

#: MS-VBAL 3.3.5.2 reserved-identifier: statement keywords, marker keywords, operator
#: identifiers, reserved names, special forms, reserved type identifiers, literal identifiers.
_RESERVED_LINES: Final = (
    "Call Case Close Const Declare DefBool DefByte DefCur DefDate DefDbl DefInt DefLng DefLngLng",
    "DefLngPtr DefObj DefSng DefStr DefVar Dim Do Else ElseIf End EndIf Enum Erase Event Exit",
    "For Friend Function Get Global GoSub GoTo If Implements Input Let Lock Loop LSet Next On",
    "Open Option Print Private Public Put RaiseEvent ReDim Resume Return RSet Seek Select Set",
    "Static Stop Sub Type Unlock Wend While With Write",
    "Any As ByRef ByVal Each In New Shared Until WithEvents Optional ParamArray Preserve Spc Tab",
    "Then To",
    "AddressOf And Eqv Imp Is Like Mod Not Or TypeOf Xor",
    "Abs CBool CByte CCur CDate CDbl CDec CInt CLng CLngLng CLngPtr CSng CStr CVar CVErr Date",
    "Debug DoEvents Fix Int Len LenB Me PSet Scale Sgn String",
    "Array Circle InputB LBound UBound",
    "Boolean Byte Currency Double Integer Long LongLong LongPtr Single Variant",
    "True False Nothing Empty Null",
)
RESERVED: Final = frozenset(" ".join(_RESERVED_LINES).upper().split())

_TOKEN: Final = re.compile(r'"(?:[^"]|"")*"|[A-Za-z][A-Za-z0-9_]*|\S')
_PROCEDURE: Final = {"SUB", "FUNCTION"}
_SCOPES: Final = {"PUBLIC", "PRIVATE", "FRIEND", "STATIC", "GLOBAL"}
_PARAMETER_WORDS: Final = {"OPTIONAL", "BYVAL", "BYREF", "PARAMARRAY"}


@dataclass(frozen=True)
class Declaration:
    """A name a VBA declaration introduces, with its logical line (1-based) and its role."""

    name: str
    line: int
    role: str  # "procedure", "argument", "variable" or "constant"


def logical_lines(source: str) -> list[tuple[int, list[str]]]:
    """The tokens of each logical line (continuations joined; comments, attribute and
    conditional compilation lines dropped), with the physical line it starts on."""
    lines: list[tuple[int, list[str]]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(source.splitlines(), start=1):
        tokens = _TOKEN.findall(raw)
        if "'" in tokens:  # a comment runs to the end of the line
            tokens = tokens[:tokens.index("'")]
        if tokens[:1] == ["Rem"]:
            tokens = []
        continued = bool(tokens) and tokens[-1] == "_"
        if not pending:
            start = number
        pending += tokens[:-1] if continued else tokens
        if continued:
            continue
        if pending and pending[0] not in ("#", "Attribute"):
            lines.append((start, pending))
        pending = []
    return lines


def declared_names(source: str) -> list[Declaration]:
    """Every name declared in ``source``: procedures and their arguments, Dim/Const/Static
    variables and constants."""
    found: list[Declaration] = []
    for number, tokens in logical_lines(source):
        words = [token.upper() for token in tokens]
        at = 0
        while at < len(words) and words[at] in _SCOPES:
            at += 1
        if at < len(words) and words[at] == "DECLARE":
            at += 1
            while at < len(words) and words[at] in {"PTRSAFE"}:
                at += 1
        if at + 1 < len(words) and words[at] == "PROPERTY" and words[at + 1] in {"GET", "LET",
                                                                                 "SET"}:
            at += 1
        if at < len(words) and (words[at] in _PROCEDURE or words[at - 1] == "PROPERTY"):
            found.append(Declaration(tokens[at + 1], number, "procedure"))
            found += _arguments(tokens, at + 2, number)
        elif (at < len(words) and words[at] in {"DIM", "CONST"}) or (
                at > 0 and words[at - 1] in _SCOPES and at < len(words)
                and words[at] not in _PROCEDURE | {"DECLARE", "TYPE", "ENUM", "PROPERTY"}):
            role = "constant" if at < len(words) and words[at] == "CONST" else "variable"
            first = at + 1 if words[at] in {"DIM", "CONST"} else at
            found += _variables(tokens, first, number, role)
    return found


def _arguments(tokens: list[str], at: int, number: int) -> list[Declaration]:
    """The arguments of a procedure whose '(' is at ``at``."""
    if at >= len(tokens) or tokens[at] != "(":
        return []
    names, depth, expecting = [], 0, True
    for token in tokens[at + 1:]:
        if token == "(":
            depth += 1
        elif token == ")":
            if depth == 0:
                break
            depth -= 1
        elif token == "," and depth == 0:
            expecting = True
        elif expecting and token.upper() not in _PARAMETER_WORDS:
            names.append(Declaration(token, number, "argument"))
            expecting = False
    return names


def _variables(tokens: list[str], at: int, number: int, role: str) -> list[Declaration]:
    names, depth, expecting = [], 0, True
    for token in tokens[at:]:
        if token in "([":
            depth += 1
        elif token in ")]":
            depth -= 1
        elif token == "," and depth == 0:
            expecting = True
        elif expecting and token.upper() not in {"WITHEVENTS"}:
            names.append(Declaration(token, number, role))
            expecting = False
    return names


def reserved_declarations(source: str) -> list[Declaration]:
    """The declarations in ``source`` whose name VBA reserves (they do not compile)."""
    return [item for item in declared_names(source) if item.name.upper() in RESERVED]
