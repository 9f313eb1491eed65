"""fedplan.render.env: compiled templates are kept in the user's cache folder, safely."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fedplan import parsecache
from fedplan.render import env as env_module
from fedplan.render.env import get_template, make_environment, render_template


@pytest.fixture
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    parsecache.turn_on(True)
    yield tmp_path / "xdg" / "fedplan" / "templates"
    parsecache.turn_on(False)


def repo_with_template(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "repo"
    (root / "templates").mkdir(parents=True, exist_ok=True)
    (root / "templates" / "note.md.j2").write_text(text, encoding="utf-8")
    return root


def test_a_compiled_template_is_kept_and_used_by_the_next_run(cache_on: Path, tmp_path: Path) -> None:
    root = repo_with_template(tmp_path, "共{{ n }}人次\n")
    assert render_template(make_environment(root), "note.md.j2", n=3) == "共3人次\n"
    kept = list(cache_on.glob("*.template"))
    assert len(kept) == 1
    assert oct(cache_on.stat().st_mode & 0o777) == "0o700"
    compiled: list[str] = []
    environment = make_environment(root)
    real = environment.compile

    def counting(source: str, *args: object, **kwargs: object) -> object:
        compiled.append(source)
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    environment.compile = counting  # type: ignore[method-assign]
    assert render_template(environment, "note.md.j2", n=4) == "共4人次\n"
    assert compiled == []  # loaded, not compiled again


def test_an_edited_template_is_compiled_again(cache_on: Path, tmp_path: Path) -> None:
    root = repo_with_template(tmp_path, "共{{ n }}人次\n")
    render_template(make_environment(root), "note.md.j2", n=3)
    repo_with_template(tmp_path, "合计{{ n }}人次\n")
    assert render_template(make_environment(root), "note.md.j2", n=3) == "合计3人次\n"


def test_other_compiling_code_does_not_use_the_kept_template(
    cache_on: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo_with_template(tmp_path, "共{{ n }}人次\n")
    render_template(make_environment(root), "note.md.j2", n=3)
    monkeypatch.setattr(env_module, "_COMPILING_CODE", ("render/env.py",))  # as if bounds.py changed
    render_template(make_environment(root), "note.md.j2", n=3)
    assert len(list(cache_on.glob("*.template"))) == 2


def test_a_folder_others_may_write_to_is_not_used(cache_on: Path, tmp_path: Path) -> None:
    cache_on.mkdir(parents=True)
    os.chmod(cache_on, 0o777)
    root = repo_with_template(tmp_path, "共{{ n }}人次\n")
    assert get_template(make_environment(root), "note.md.j2").render(n=1) == "共1人次\n"
    assert list(cache_on.iterdir()) == []


def test_without_the_cache_nothing_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    parsecache.turn_on(False)
    root = repo_with_template(tmp_path, "共{{ n }}人次\n")
    render_template(make_environment(root), "note.md.j2", n=3)
    assert not (tmp_path / "xdg" / "fedplan" / "templates").exists()


def test_the_do_statement_is_there_for_the_templates_that_use_it(tmp_path: Path) -> None:
    plain = make_environment(repo_with_template(tmp_path, "共{{ n }}人次\n"))
    assert render_template(plain, "note.md.j2", n=1) == "共1人次\n"
    assert "jinja2.ext.ExprStmtExtension" not in plain.extensions  # not loaded for nothing
    root = repo_with_template(tmp_path, "{% set xs = [] %}{% do xs.append(n) %}{%- do xs.append(2) %}{{ xs|join('、') }}\n")
    environment = make_environment(root)
    assert render_template(environment, "note.md.j2", n=1) == "1、2\n"
    assert "jinja2.ext.ExprStmtExtension" in environment.extensions
