"""Bounded work for sandboxed Jinja: report bodies and repository templates arrive with pull
requests and CI renders them, so no expression may build a huge value, loop without end,
recurse without end or run past a wall-time limit.

Jinja's sandbox stops attribute tricks, not cost: ``'a'|center(10**9)``, ``'{:>999999999}'
.format(1)``, ``(10**100)**100``, ``lipsum(10**6)``, nested ``range`` loops and recursive
macros each take gigabytes or minutes. :class:`BoundedMixin` refuses them — every value a
call, filter, operator or ``~`` builds is measured, ``range`` counts against one budget for
the whole render, a width or count argument above the limit is refused before the work is
done — and :func:`bounded_render` adds the output cap, the wall-time limit and turns
RecursionError/MemoryError into the same :class:`TooCostly`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import operator
import re
import signal
import string
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat
from jinja2.sandbox import SecurityError

from fedplan.records import record

MAX_SIZE = 100_000  # characters of a string, items of a list, a width or a count
MAX_RANGE_ITEMS = 10_000  # items of one range(), and of all of them in one render
MAX_INT_BITS = 4_000  # about 1,200 decimal digits
_CHECK_EVERY = 256  # operations between two looks at the clock

# width/count arguments: str methods and filters that allocate in proportion to them
_SIZED_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "format", "format_map", "join", "replace"})
_SIZED_FILTERS = frozenset({"center", "indent", "batch", "slice", "format", "wordwrap", "truncate", "replace", "join"})
_DIGITS = re.compile(r"\d+")
_FLAGS = frozenset("-#0 +")
_CONVERSIONS = frozenset("diouxXeEfFgGcrsa%")


class TooCostly(SecurityError):
    """A sandboxed render asked for more than its bounds; ``reason`` says what, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = 1  # 1-based line of the template where the limit was hit


def _template_line(exc: BaseException) -> int:
    """The template line an exception was raised at (Jinja rewrites tracebacks to show it)."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


@record(frozen=False)
class Budget:
    seconds: float
    deadline: float = 0.0
    ops: int = 0
    range_items: int = 0
    output: int = 0
    built: int = 0  # characters/items of every value measured so far
    max_built: int = 0

    def tick(self) -> None:
        self.ops += 1
        if self.ops % _CHECK_EVERY == 0 and time.monotonic() > self.deadline:
            raise TooCostly(f"运行超过 {self.seconds:g} 秒")


_budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("fedplan_render_budget", default=None)


def _tick() -> None:
    budget = _budget.get()
    if budget is not None:
        budget.tick()


def _size(value: Any) -> int:
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    return 0


def checked(value: Any) -> Any:
    """``value`` if it is small enough; TooCostly otherwise."""
    _tick()
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TooCostly("算出的数字过大")
    size = _size(value)
    if size > MAX_SIZE:
        raise TooCostly(f"生成的文字或列表超过 {MAX_SIZE:,} 个字符（项）")
    budget = _budget.get()
    if budget is not None and size:
        budget.built += size  # many values each under the limit: map('center', 99999) over a long list
        if budget.built > budget.max_built:
            raise TooCostly(f"生成的文字合计超过 {budget.max_built:,} 个字符")
    return value


def _refuse_big_counts(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for arg in (*args, *kwargs.values()):
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_SIZE:
            raise TooCostly(f"宽度或次数 {arg} 超过上限 {MAX_SIZE:,}")


def _percent_specs(pattern: str) -> list[tuple[str, str]]:
    r"""The (width, precision) of each conversion in a %-format string: what
    ``re.findall(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d*))?[diouxXeEfFgGcrsa%]", pattern)``
    returns, in linear time. That pattern scanned to the next ")" from every "%(" and split
    a run of "0" between the flags and the width every way (quadratic in a template's
    string). A conversion can only end where the greedy reading ends (no flag, digit or
    "." is a conversion character), and every "%(" before one ")" continues after it alike.
    """
    size = len(pattern)
    after_close: dict[int, tuple[str, str, int] | None] = {}

    def rest(at: int) -> tuple[str, str, int] | None:
        while at < size and pattern[at] in _FLAGS:
            at += 1
        width_end = at
        while width_end < size and pattern[width_end].isdecimal():
            width_end += 1
        width, precision, end = pattern[at:width_end], "", width_end
        if end < size and pattern[end] == ".":
            end += 1
            while end < size and pattern[end].isdecimal():
                end += 1
            precision = pattern[width_end + 1 : end]
        return (width, precision, end + 1) if end < size and pattern[end] in _CONVERSIONS else None

    found: list[tuple[str, str]] = []
    close = -1  # the first ")" at or after the current "%(" + 2; size + 1: none left
    pos = 0
    while (start := pattern.find("%", pos)) >= 0:
        spec = None
        if pattern[start + 1 : start + 2] == "(":
            if close < start + 2:
                close = pattern.find(")", start + 2)
                close = size + 1 if close < 0 else close
            if close <= size:
                if close not in after_close:
                    after_close[close] = rest(close + 1)
                spec = after_close[close]
        else:
            spec = rest(start + 1)
        if spec is None:
            pos = start + 1
            continue
        found.append(spec[:2])
        pos = spec[2]
    return found


def _format_widths(pattern: str, percent: bool) -> list[str]:
    """The widths and precisions written in a format string: ``'{:>9}'`` (``percent`` False)
    or ``'%9d'`` (True), nested ``{:{}}`` specs included."""
    if percent:
        return [d for match in _percent_specs(pattern) for d in match if d]
    widths: list[str] = []
    try:
        for _text, _field, spec, _conversion in string.Formatter().parse(pattern):
            if spec:
                widths.extend(_DIGITS.findall(spec))
    except ValueError:  # a malformed format string: str.format will say so
        return []
    return widths


def _refuse_big_widths(pattern: str, *, percent: bool = False) -> None:
    """A format string (``'{:>999999999}'``, ``'%999999999d'``) whose widths add up to a huge
    result: each one, and their sum (``'{:>99999}'`` written a thousand times)."""
    total = 0
    for digits in _format_widths(pattern, percent):
        if len(digits) > 6 or int(digits) > MAX_SIZE:
            raise TooCostly(f"格式宽度 {digits} 超过上限 {MAX_SIZE:,}")
        total += int(digits)
    if total > MAX_SIZE:
        raise TooCostly(f"格式宽度合计 {total} 超过上限 {MAX_SIZE:,}")


def _predicted_size(op: str, left: Any, right: Any) -> int:
    if op == "*":
        for seq, count in ((left, right), (right, left)):
            if _size(seq) or isinstance(seq, (str, list, tuple)):
                if isinstance(count, int):
                    return len(seq) * count
    if op == "+":
        return _size(left) + _size(right)
    return 0


def _check_int_op(op: str, left: Any, right: Any) -> None:
    if not (isinstance(left, int) and isinstance(right, int)):
        return
    if op == "**" and right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
        raise TooCostly("乘方的结果过大")
    if op == "*" and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise TooCostly("乘积过大")


class BoundedRange:
    """``range`` for sandboxed code: at most MAX_RANGE_ITEMS, counted for the whole render."""

    def __call__(self, *args: int) -> Iterator[int]:
        rng = range(*args)
        if len(rng) > MAX_RANGE_ITEMS:
            raise TooCostly(f"range 超过 {MAX_RANGE_ITEMS:,} 项")
        return self._counted(rng)

    @staticmethod
    def _counted(rng: range) -> Iterator[int]:
        for value in rng:
            budget = _budget.get()
            if budget is not None:
                budget.range_items += 1
                if budget.range_items > 10 * MAX_RANGE_ITEMS:
                    raise TooCostly(f"循环总次数超过 {10 * MAX_RANGE_ITEMS:,}")
                budget.tick()
            yield value


class _Ticking:
    """An iterable whose every step is one operation of the render's budget, so a loop that
    calls nothing else (``{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}``) meets
    the wall-time limit on any thread; its length stays known (``loop.length``) when the
    iterable's is."""

    __slots__ = ("iterable",)

    def __init__(self, iterable: Any) -> None:
        self.iterable = iterable

    def __len__(self) -> int:
        return len(self.iterable)

    def __iter__(self) -> Iterator[Any]:
        for item in self.iterable:
            _tick()
            yield item


class _BoundedCodeGenerator(CodeGenerator):
    """``a ~ b`` is compiled to a join Jinja cannot intercept: measure its result. The
    iterable of every ``for`` counts a step per item."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.checked_value(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # Jinja allows no new node types: the iterable becomes environment.ticking(iterable)
        # for the time of compiling this loop.
        original = node.iter
        node.iter = nodes.Call(nodes.EnvironmentAttribute("ticking"), [original], [], None, None, lineno=original.lineno)
        try:
            super().visit_For(node, frame)
        finally:
            node.iter = original


def _plain_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """A filter's arguments without the context Jinja passes first to some."""
    from jinja2.nodes import EvalContext
    from jinja2.runtime import Context

    while args and isinstance(args[0], (EvalContext, Context, jinja2.Environment)):
        args = args[1:]
    return args


def _refuse_big_replace(text: str, old: Any, new: Any) -> None:
    pieces = len(text) + 1 if str(old) == "" else text.count(str(old)) + 1
    if pieces * len(str(new)) > MAX_SIZE:
        raise TooCostly(f"生成的文字超过 {MAX_SIZE:,} 个字符")


def _refuse_big_join(items: Any, separator: Any) -> None:
    if _size(items) * len(str(separator)) > MAX_SIZE:
        raise TooCostly(f"生成的文字超过 {MAX_SIZE:,} 个字符")


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    sized = name in _SIZED_FILTERS

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if sized:
            plain = _plain_args(args)
            _refuse_big_counts(plain[1:], kwargs)
            value = plain[0] if plain else None
            if name == "format" and isinstance(value, str):
                _refuse_big_widths(value, percent=True)
                if "*" in value:
                    _refuse_big_counts(plain[1:], kwargs)
            elif name == "replace" and isinstance(value, str) and len(plain) >= 3:
                _refuse_big_replace(value, plain[1], plain[2])
            elif name == "join" and len(plain) >= 2:
                _refuse_big_join(value, plain[1])
            elif name == "indent" and isinstance(value, str):
                width = plain[1] if len(plain) > 1 else kwargs.get("width", 4)
                each = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
                if (value.count("\n") + 1) * each > MAX_SIZE:
                    raise TooCostly(f"生成的文字超过 {MAX_SIZE:,} 个字符")
        return checked(func(*args, **kwargs))

    return wrapper


class BoundedMixin:
    """Mixed into a SandboxedEnvironment (before it in the bases)."""

    code_generator_class: type[CodeGenerator] = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    filters: dict[str, Any]
    globals: dict[str, Any]

    def bound(self) -> None:
        """Wrap the filters and replace the globals that do unbounded work; call once the
        environment's filters are all registered."""
        for name, func in list(self.filters.items()):
            if not getattr(func, "_fedplan_bounded", False):
                wrapped = _bounded_filter(name, func)
                wrapped._fedplan_bounded = True  # type: ignore[attr-defined]
                self.filters[name] = wrapped
        self.globals.pop("lipsum", None)
        self.globals["range"] = BoundedRange()

    def checked_value(self, value: Any) -> Any:
        return checked(value)

    def ticking(self, iterable: Any) -> Any:
        if isinstance(iterable, jinja2.Undefined):
            return iterable  # iterating it says what is undefined, as without the wrapper
        return _Ticking(iterable)

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if _predicted_size(operator_, left, right) > MAX_SIZE:
            raise TooCostly(f"生成的文字或列表超过 {MAX_SIZE:,} 个字符（项）")
        _check_int_op(operator_, left, right)
        if operator_ == "%" and isinstance(left, str):
            _refuse_big_widths(left, percent=True)
            if "*" in left:
                _refuse_big_counts(right if isinstance(right, tuple) else (right,), {})
        func = {"*": operator.mul, "**": operator.pow, "+": operator.add, "%": operator.mod}[operator_]
        return checked(func(left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        target = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str) and getattr(target, "__name__", "") in _SIZED_METHODS:
            _refuse_big_counts(args, kwargs)
            if target.__name__ in ("format", "format_map"):
                _refuse_big_widths(owner)
            if target.__name__ == "expandtabs":
                tabsize = args[0] if args else kwargs.get("tabsize", 8)
                if isinstance(tabsize, int) and (owner.count("\t") + 1) * tabsize > MAX_SIZE:
                    raise TooCostly(f"生成的文字超过 {MAX_SIZE:,} 个字符")
            if target.__name__ == "replace" and len(args) >= 2:
                _refuse_big_replace(owner, args[0], args[1])
            if target.__name__ == "join" and args:
                _refuse_big_join(args[0], owner)
        return checked(super().call(__context, __obj, *args, **kwargs))  # type: ignore[misc]


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """A backstop for anything long that is not a counted step: SIGALRM, on the main thread
    only, where signals are delivered. On another thread (a server's) the counted steps —
    every call, filter, operator, ``~``, output chunk and ``for`` item — meet the deadline."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TooCostly(f"运行超过 {seconds:g} 秒")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds + 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bounded_render(template: jinja2.Template, *, seconds: float, max_output: int, **context: Any) -> str:
    """``template`` rendered within the bounds; TooCostly when it asks for more."""
    budget = Budget(seconds=seconds, deadline=time.monotonic() + seconds, max_built=10 * max_output)
    token = _budget.set(budget)
    parts: list[str] = []
    try:
        with _alarm(seconds):
            for chunk in template.generate(**context):
                budget.output += len(chunk)
                if budget.output > max_output:
                    raise TooCostly(f"生成的内容超过 {max_output:,} 个字符")
                budget.tick()
                parts.append(chunk)
    except TooCostly as exc:
        exc.line = _template_line(exc)
        raise exc.with_traceback(None) from None
    except RecursionError as exc:
        too = TooCostly("宏或循环递归过深")
        too.line = _template_line(exc)
        raise too from None
    except MemoryError:
        parts.clear()
        raise TooCostly("占用内存过多") from None
    finally:
        _budget.reset(token)
    return "".join(parts)
