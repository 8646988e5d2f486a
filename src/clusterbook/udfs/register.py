"""How a Python function becomes a ClusterBook worksheet function.

:func:`excel_function` registers the function with xlwings (category "ClusterBook", the help
text of every argument for Excel's Insert Function dialog, tables always as rows) and makes
sure a cell shows a short sentence, never a traceback, when an argument cannot be used.

xlwings imports the module named in its ``UDF MODULES`` setting and registers every attribute
that carries the ``__xlfunc__`` mark its decorators set; on Linux and macOS the decorators do
nothing and the functions stay plain Python functions.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Collection
from typing import Any, Final, TypeVar

import xlwings as xw

from clusterbook.domain.errors import ClusterBookError

#: The category the functions are listed under in Excel's Insert Function dialog.
CATEGORY: Final = "ClusterBook"
#: Excel shows at most this many characters of a description or an argument's help.
HELP_LIMIT: Final = 255

F = TypeVar("F", bound=Callable[..., Any])


def cell_text(error: Exception) -> str:
    """What a cell shows when a function cannot give its answer."""
    if isinstance(error, ClusterBookError):
        return " ".join(str(error).split())
    return (f"ClusterBook could not work this out ({type(error).__name__}: {error}); "
            f"please report it.")


def excel_function(*, tables: Collection[str] = (), ranges: Collection[str] = (),
                   **argument_help: str) -> Callable[[F], F]:
    """Make a function a worksheet function of the ClusterBook category.

    ``argument_help`` gives the help of every argument (Excel shows it under the argument in
    the Insert Function dialog); ``tables`` names arguments that always arrive as a list of
    rows, even from a single row or cell; ``ranges`` names arguments that arrive as the
    xlwings Range itself (its values, sheet and address), or None when Excel passes no range.
    The docstring is the function's description there, so it is written for officers and
    kept within :data:`HELP_LIMIT` characters.
    """

    def decorate(function: F) -> F:
        parameters = list(inspect.signature(function).parameters)
        undocumented = [name for name in parameters if name not in argument_help]
        unknown = [name for name in [*argument_help, *tables, *ranges] if name not in parameters]
        if undocumented or unknown:
            raise TypeError(f"{function.__name__}: help is missing for {undocumented} or "
                            f"given for unknown arguments {unknown}")
        description = " ".join((function.__doc__ or "").split())
        too_long = [text for text in (description, *argument_help.values())
                    if not text or len(text) > HELP_LIMIT]
        if too_long:
            raise TypeError(f"{function.__name__}: descriptions must hold 1 to {HELP_LIMIT} "
                            f"characters: {too_long}")

        @functools.wraps(function)
        def in_a_cell(*args: Any) -> Any:
            try:
                return function(*args)
            except Exception as error:  # a cell shows a sentence, never a traceback
                return cell_text(error)

        in_a_cell.__doc__ = description
        registered: Any = in_a_cell
        for name in reversed(parameters):
            options: dict[str, Any] = {"ndim": 2} if name in tables else {}
            if name in ranges:
                options["convert"] = "range"
            registered = xw.arg(name, doc=argument_help[name], **options)(registered)
        registered = xw.func(category=CATEGORY)(registered)
        return registered  # type: ignore[no-any-return]

    return decorate
