"""Frozen records: what ``@dataclass(frozen=True)`` gives the model, made without ``exec``.

``dataclasses.dataclass`` writes and compiles Python source for the ``__init__``, ``__repr__``,
``__eq__``, ``__hash__`` and ``__setattr__`` of every class: about a millisecond each, and a
``fedplan validate`` defines some forty classes before it reads a file (issue 15's start-up).
``@record`` makes the same methods from a few shared closures instead (tens of microseconds a
class), and ``typing.dataclass_transform`` tells mypy that a record's constructor is checked
like a dataclass's.

What a record keeps of a dataclass (tests/unit/test_records.py):

- fields from the class's annotations, in order, inherited from record bases; a plain
  default, or ``field(default=…, default_factory=…, compare=…, repr=…, kw_only=…)``;
  ``ClassVar`` annotations are not fields;
- ``__init__`` taking the fields positionally or by name (``kw_only`` ones by name only),
  refusing unknown, repeated or missing ones with a TypeError, then ``__post_init__`` if the
  class has one. A default stays a class attribute: an object's ``__dict__`` holds only what
  was given, so ``schema.build._assemble`` may fill it directly;
- equality and ``hash`` on the compared fields, for objects of the same class; ``order=True``
  adds ``<`` ``<=`` ``>`` ``>=`` on the same;
- frozen (the default): assigning or deleting an attribute raises ``FrozenInstanceError``
  (an AttributeError, as dataclasses' is); ``frozen=False`` gives a mutable record, not hashable;
- a repr of the ``repr`` fields; pickling and ``copy`` of the ``__dict__`` (the parse cache);
- ``replace(obj, **changes)`` for ``dataclasses.replace``.

A method the class defines itself is kept, as dataclass does.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, overload

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10: no type-checker hint at run time is needed

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


_T = TypeVar("_T")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

FIELDS = "__record_fields__"


class FrozenInstanceError(AttributeError):
    """An attribute of a frozen record was assigned or deleted."""


class Field:
    """One field of a record (``field()`` makes one for the class body)."""

    __slots__ = ("compare", "default", "default_factory", "kw_only", "name", "repr")

    def __init__(
        self,
        default: Any = MISSING,
        default_factory: Any = MISSING,
        compare: bool = True,
        repr: bool = True,  # dataclasses' own name
        kw_only: bool = False,
    ) -> None:
        if default is not MISSING and default_factory is not MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    compare: bool = True,
    repr: bool = True,  # dataclasses' own name
    kw_only: bool = False,
) -> Any:
    """A field with options, as ``dataclasses.field``."""
    return Field(default, default_factory, compare, repr, kw_only)


def fields(cls_or_obj: Any) -> tuple[Field, ...]:
    """The fields of a record class or object, in order."""
    try:
        return tuple(getattr(cls_or_obj, FIELDS).values())
    except AttributeError:
        raise TypeError("fields() takes a record class or object") from None


def _is_classvar(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__origin__", annotation)
    if isinstance(text, str):
        return text.startswith(("ClassVar", "typing.ClassVar"))
    import typing

    return text is typing.ClassVar


def _collect(cls: type) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        found.update(base.__dict__.get(FIELDS, {}))
    for name, annotation in inspect.get_annotations(cls).items():
        if _is_classvar(annotation):
            continue
        given = cls.__dict__.get(name, MISSING)
        made = given if isinstance(given, Field) else Field(default=given)
        made.name = name
        if made.default is MISSING:
            if name in cls.__dict__:
                delattr(cls, name)  # a field() without a default is no class attribute
        else:
            setattr(cls, name, made.default)
        found[name] = made
    return found


def _key(names: tuple[str, ...]) -> Callable[[Any], Any]:
    """A function of an object giving the values of ``names`` (one C call for several)."""
    if not names:
        return lambda obj: ()
    return attrgetter(*names)


def _init_method(cls: type, all_fields: dict[str, Field]) -> Callable[..., None]:
    positional = tuple(f.name for f in all_fields.values() if not f.kw_only)
    defaulted = False
    for key in positional:
        given = all_fields[key]
        if given.default is MISSING and given.default_factory is MISSING:
            if defaulted:
                raise TypeError(f"non-default argument {key!r} follows default argument in {cls.__qualname__}")
        else:
            defaulted = True
    known = frozenset(all_fields)
    required = tuple(f.name for f in all_fields.values() if f.default is MISSING and f.default_factory is MISSING)
    factories = tuple((f.name, f.default_factory) for f in all_fields.values() if f.default_factory is not MISSING)
    post_init = getattr(cls, "__post_init__", None)
    name = cls.__qualname__
    count = len(positional)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > count:
            raise TypeError(f"{name}() takes {count} positional arguments but {len(args)} were given")
        values = dict(zip(positional, args, strict=False))
        if kwargs:
            for key in kwargs:
                if key in values:
                    raise TypeError(f"{name}() got multiple values for argument {key!r}")
                if key not in known:
                    raise TypeError(f"{name}() got an unexpected keyword argument {key!r}")
            values.update(kwargs)
        for key in required:
            if key not in values:
                raise TypeError(f"{name}() missing required argument: {key!r}")
        for key, factory in factories:
            if key not in values:
                values[key] = factory()
        self.__dict__.update(values)
        if post_init is not None:
            post_init(self)

    return __init__


def _repr_method(cls: type, all_fields: dict[str, Field]) -> Callable[[Any], str]:
    shown = tuple(f.name for f in all_fields.values() if f.repr)

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{key}={getattr(self, key)!r}" for key in shown)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _comparisons(key: Callable[[Any], Any], order: bool) -> dict[str, Callable[[Any, Any], Any]]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return self is other or key(self) == key(other)
        return NotImplemented

    methods: dict[str, Callable[[Any, Any], Any]] = {"__eq__": __eq__}
    if order:

        def __lt__(self: Any, other: Any) -> Any:
            return key(self) < key(other) if other.__class__ is self.__class__ else NotImplemented

        def __le__(self: Any, other: Any) -> Any:
            return key(self) <= key(other) if other.__class__ is self.__class__ else NotImplemented

        def __gt__(self: Any, other: Any) -> Any:
            return key(self) > key(other) if other.__class__ is self.__class__ else NotImplemented

        def __ge__(self: Any, other: Any) -> Any:
            return key(self) >= key(other) if other.__class__ is self.__class__ else NotImplemented

        methods.update(__lt__=__lt__, __le__=__le__, __gt__=__gt__, __ge__=__ge__)
    return methods


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _process(cls: type[_T], frozen: bool, order: bool) -> type[_T]:
    all_fields = _collect(cls)
    own = cls.__dict__

    def put(name: str, method: Any) -> None:
        if name not in own:
            setattr(cls, name, method)

    setattr(cls, FIELDS, all_fields)
    put("__init__", _init_method(cls, all_fields))
    put("__repr__", _repr_method(cls, all_fields))
    key = _key(tuple(f.name for f in all_fields.values() if f.compare))
    for name, method in _comparisons(key, order).items():
        put(name, method)
    if "__hash__" not in own or own["__hash__"] is None:
        # like dataclass(eq=True): frozen → hash of the compared fields; mutable → unhashable
        cls.__hash__ = (lambda self: hash(key(self))) if frozen else None  # type: ignore[assignment,method-assign]
    if frozen:
        if "__setattr__" in own or "__delattr__" in own:
            raise TypeError(f"a frozen record cannot define __setattr__ or __delattr__: {cls.__qualname__}")
        cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign]
        cls.__delattr__ = _frozen_delattr  # type: ignore[method-assign]
    return cls


@overload
def record(cls: type[_T], /) -> type[_T]: ...


@overload
def record(*, frozen: bool = True, order: bool = False) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[_T] | None = None, /, *, frozen: bool = True, order: bool = False) -> Any:
    """Make ``cls`` a record (see the module's docstring); ``@record`` or ``@record(order=True)``."""
    if cls is None:
        return lambda decorated: _process(decorated, frozen, order)
    return _process(cls, frozen, order)


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of the record ``obj`` with ``changes`` (field → new value), as dataclasses.replace:
    an unknown field is a TypeError; what the object computed and kept (a cached_property)
    is not carried over."""
    cls = type(obj)
    known = getattr(cls, FIELDS, None)
    if known is None:
        raise TypeError("replace() takes a record")
    for key in changes:
        if key not in known:
            raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument {key!r}")
    made = object.__new__(cls)
    values = {k: v for k, v in obj.__dict__.items() if k in known}
    values.update(changes)
    made.__dict__.update(values)
    post_init = getattr(cls, "__post_init__", None)
    if post_init is not None:
        post_init(made)
    return made
