"""The Jinja environment documents are rendered with.

Templates are looked up, by file name, first in the repository's own ``templates/`` folder
and then among the built-ins shipped as the package ``fedplan.templates`` (mkdocs' theme
order): copying ``plan.md.j2`` into the repository and editing it changes every format.
"""

from __future__ import annotations

import importlib.resources
import os
import posixpath
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from fedplan.bodies.bounds import BoundedMixin, TooCostly, bounded_render
from fedplan.diagnostics import FedplanError
from fedplan.lazyre import lazy_re
from fedplan.render.chinese import FILTERS
from fedplan.render.markdown import md_escape, md_heading
from fedplan.render.phrases import goal_phrase

TEMPLATE_SUFFIX = ".j2"


def builtin_template_dir() -> Path:
    """Where the built-in templates are installed (inside the package, not the source tree)."""
    return Path(str(importlib.resources.files("fedplan.templates")))


def template_dirs(root: Path | None) -> list[Path]:
    """Template folders in lookup order: the repository's own first, then the built-ins."""
    dirs = []
    if root is not None and (root / "templates").is_dir():
        dirs.append(root / "templates")
    dirs.append(builtin_template_dir())
    return dirs


class ConfinedLoader(jinja2.FileSystemLoader):
    """FileSystemLoader that reads a template only if it resolves inside one of ``allowed``:
    a repository's ``templates/x.md.j2`` linked to ``/etc/passwd`` (or to CI's environment)
    is refused, since templates arrive with pull requests."""

    def __init__(self, searchpath: list[str], allowed: list[Path]) -> None:
        super().__init__(searchpath)
        self.allowed = [Path(os.path.realpath(a)) for a in allowed]

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *split_template_path(template))
            if os.path.isfile(filename):
                real = Path(os.path.realpath(filename))
                if not any(real.is_relative_to(a) for a in self.allowed):
                    raise FedplanError(
                        f"模板“{template}”是指向仓库以外的符号链接，未读取",
                        code="template-outside-repository",
                        hint="把模板文件本身放进仓库的 templates/ 目录",
                    )
                break
        source, filename, uptodate = super().get_source(environment, template)
        if "jinja2.ext.ExprStmtExtension" not in environment.extensions and _USES_DO.search(source):
            environment.add_extension("jinja2.ext.do")  # before the parse; only when used
        return source, filename, uptodate


# A template that writes ``{% do … %}`` (plan.md.j2): Jinja's ``do`` extension is added for
# it; importing jinja2.ext for every template cost a few milliseconds of ``fedplan report``.
_USES_DO = lazy_re(r"\{%[-+]?\s*do\b")


def _autoescape(name: str | None) -> bool:
    if name is None:
        return False
    stem = name[: -len(TEMPLATE_SUFFIX)] if name.endswith(TEMPLATE_SUFFIX) else name
    return stem.endswith((".html", ".htm"))


class _TemplateEnvironment(BoundedMixin, SandboxedEnvironment):
    """The sandbox with every value, loop and the wall time bounded (fedplan.bodies.bounds)."""


TEMPLATE_SECONDS = 20.0  # wall time one document's template may take
TEMPLATE_MAX_OUTPUT = 50_000_000  # characters one document may have


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates in the user's cache folder, by template, its source (Jinja's
    checksum) and the code that compiles them (``salt``: fedplan's version and the bounded
    code generator's source — a template compiled by other code is compiled again)."""

    def __init__(self, directory: str, salt: str) -> None:
        super().__init__(directory, "%s.template")
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{name}|{self.salt}", filename)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Where compiled templates are kept between runs (compiling the report's templates was
    a tenth of ``fedplan report``): ``$XDG_CACHE_HOME/fedplan/templates``, beside the parse
    cache's key, never in the repository — compiled code is run as it is, so the folder must
    be this user's alone (made 0700; one others may write to is not used). Off with the parse
    cache (``--no-cache``, ``FEDPLAN_NO_CACHE``, a library caller that did not turn it on)."""
    from fedplan import __version__, parsecache

    if not parsecache.enabled():
        return None
    folder = parsecache.user_cache_dir() / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stat = folder.stat()
        getuid = getattr(os, "getuid", None)  # POSIX; on Windows the folder is in the user's profile
        if getuid is not None and (stat.st_uid != getuid() or stat.st_mode & 0o022):
            return None
        package = Path(__file__).resolve().parent.parent
        salt = parsecache.digest_of(
            __version__.encode(), *((package / name).read_bytes() for name in _COMPILING_CODE)
        ).hex()
    except OSError:
        return None
    return _CompiledTemplates(str(folder), salt)


# The code whose output a compiled template is: the environment and its code generator.
_COMPILING_CODE = ("render/env.py", "bodies/bounds.py")


def make_environment(root: Path | None) -> jinja2.Environment:
    """The environment for a repository at ``root`` (None: built-ins only).

    Sandboxed: a repository's templates come with its pull requests, and rendering a branch
    under review must not run whatever a template asks for (``cycler.__init__.__globals__``).
    """
    env = _TemplateEnvironment(
        loader=ConfinedLoader(
            [str(d) for d in template_dirs(root)],
            allowed=[builtin_template_dir(), *([root] if root is not None else [])],
        ),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters.update(FILTERS)
    env.filters["md"] = md_escape
    env.filters["md_heading"] = md_heading
    env.filters["goal"] = goal_phrase
    env.bound()
    return env


def check_template_name(name: str) -> str:
    """``name`` if it names a file inside the template folders; FedplanError otherwise."""
    path = PurePosixPath(name.replace("\\", "/"))
    if not name or path.is_absolute() or ".." in path.parts or Path(name).is_absolute():
        raise FedplanError(
            f"模板名“{name}”无效：只能是模板目录中的文件名",
            code="bad-template-name",
            hint="例如 --template report.md.j2（放在仓库的 templates/ 目录中）",
            exit_code=2,
        )
    return path.as_posix()


def get_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """The template ``name`` (confined to the template folders), or a FedplanError."""
    name = check_template_name(name)
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        available = sorted(set(env.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_SUFFIX))))
        raise FedplanError(
            f"找不到模板“{name}”",
            code="template-not-found",
            hint="可用的模板：" + "、".join(available),
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise FedplanError(
            f"模板 {exc.filename or name} 第{exc.lineno}行有语法错误：{exc.message}",
            code="template-syntax",
        ) from None


def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render ``name``; a template's own mistakes become one clear FedplanError."""
    template = get_template(env, name)
    try:
        return bounded_render(template, seconds=TEMPLATE_SECONDS, max_output=TEMPLATE_MAX_OUTPUT, **context)
    except TooCostly as exc:
        raise FedplanError(
            f"模板“{name}”计算量过大，已停止生成：{exc.reason}",
            code="template-too-costly",
            hint="模板不要生成极长的文字、巨大的数字、大量循环或递归的宏",
        ) from None
    except SecurityError as exc:
        raise FedplanError(
            f"模板“{name}”做了不允许的操作：{exc}",
            code="unsafe-template",
            hint="模板只能读取文档和统计数据，不能访问以 _ 开头的属性",
        ) from None
    except jinja2.UndefinedError as exc:
        raise FedplanError(
            f"模板“{name}”引用了不存在的值：{exc.message}",
            code="template-error",
        ) from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # a mistake in a user's template is a user error: one line, never a traceback
        raise FedplanError(f"模板“{name}”无法生成：{exc}", code="template-error") from None
