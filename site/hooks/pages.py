"""MkDocs hook: the pages that have forms and scripts (the members area, login, password reset,
invitations, the membership application) are each written once, and every browser module gets the
texts it uses in the page's language.

- A page definition is `site/pages/<path>.md`: Markdown and HTML with Jinja, every text a key of
  the catalogues (`{{ t("account.password.title") }}`), the form parts from `site/pages/_kit.j2`.
  For each language it becomes the page `<path>.md` / `<path>.<lang>.md` at the same address as a
  hand-written page would have, in the same navigation and search.
- A module is `site/docs/assets/js/<name>.js`, started by an element with `data-module="<name>"`.
  Each page that has one gets the module (a <script type="module">, its imports preloaded) and a
  JSON block with the messages the module and its imports name: a string literal that is a key
  (`"kit.retry"`), or a family of keys (`"risk.band."`, written before `${…}`).
- Texts come from `functions/portal/locales/<lang>.json` (ICU MessageFormat), the catalogue the API
  and the e-mails use too.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "site" / "pages"
LOCALES = ROOT / "functions" / "portal" / "locales"
JS = ROOT / "site" / "docs" / "assets" / "js"  # read from the sources, not the build's copy
DEFAULT = "nb"

# A key as a string literal in a script or template: "kit.retry"; a family ends in "." ("risk.band.").
KEY_LITERAL = re.compile(
    r"""["'`]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.|[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?=["'`]|\$\{)"""
)
IMPORT = re.compile(r"""^\s*import\s+(?:[^"';]+?\s+from\s+)?["'](\.{1,2}/[^"']+)["']""", re.M)
MODULE = re.compile(r'data-module="([a-z0-9_/-]+)"')


@cache
def catalogue(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((LOCALES / f"{language}.json").read_text("utf-8"))
    return data


def languages(config: MkDocsConfig) -> list[str]:
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return [DEFAULT]
    return [language.locale for language in plugin.config.languages]


def message(language: str, key: str, params: dict[str, Any]) -> str:
    """A catalogue message with its arguments; the build fails on a key no catalogue has."""
    from portal.i18n import format_message

    text = catalogue(language).get(key)
    if text is None:
        text = catalogue(DEFAULT).get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in functions/portal/locales/{DEFAULT}.json")
    return format_message(text, language, {k: html.escape(str(v)) for k, v in params.items()})


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(path: str, language: str) -> str:
    """One definition in one language. Catalogue texts are ours and may hold Markdown or markup."""
    env = environment()
    env.globals["lang"] = language
    env.filters["combine"] = lambda base, extra: {**base, **extra}
    # The catalogues are ours (reviewed like code) and may hold markup; arguments are escaped.
    env.globals["t"] = lambda key, **params: Markup(message(language, key, params))  # noqa: S704
    return env.get_template(path).render()


def translate_config(config: MkDocsConfig) -> None:
    """The site's name, description, footer, theme toggles and navigation titles in every language,
    from the catalogues (keys site.* and nav.*): a new language is its catalogue and one line under
    the i18n plugin's languages (locale, name, build). mkdocs.yml's nav keeps the default language's
    titles, which key the translations."""
    default = catalogue(DEFAULT)

    def settings(texts: dict[str, str]) -> dict[str, Any]:
        return {
            "site_name": texts["site.name"],
            "site_description": texts["site.description"],
            "copyright": texts["site.copyright"],
            "theme": {
                "palette": [{"toggle": {"name": texts[f"site.{m}"]}} for m in ("dark_mode", "light_mode")]
            },
        }

    own = settings(default)
    config.site_name, config.site_description, config.copyright = (
        own["site_name"],
        own["site_description"],
        own["copyright"],
    )
    for palette, toggle in zip(config.theme["palette"], own["theme"]["palette"], strict=True):
        palette["toggle"]["name"] = toggle["toggle"]["name"]
    plugin = config.plugins.get("i18n")
    for language in plugin.config.languages if plugin is not None else []:
        if language.locale == DEFAULT:
            continue
        texts = {**default, **catalogue(language.locale)}
        for name, value in settings(texts).items():
            language[name] = value
        language["nav_translations"] = {default[k]: texts[k] for k in default if k.startswith("nav.")}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Build from a copy of site/docs with every page definition added in every language, so the
    pages are ordinary files to MkDocs and to mkdocs-static-i18n (which reads pages from disk)."""
    translate_config(config)
    source = ROOT / "site" / "docs"
    staging = ROOT / "build" / "docs"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    for definition in sorted(PAGES.rglob("*.md")):
        path = definition.relative_to(PAGES).as_posix()
        for language in languages(config):
            suffix = "" if language == DEFAULT else f".{language}"
            target = staging / (path.removesuffix(".md") + suffix + ".md")
            if target.exists():
                raise ValueError(
                    f"site/docs/{target.relative_to(staging)} is written by hand and defined in site/pages/{path}"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render(path, language), "utf-8")
    config.docs_dir = str(staging)
    return config


# ---------------------------------------------------------------- modules and their texts


@cache
def module_files(name: str) -> tuple[Path, ...]:
    """A module and every module it imports, the module itself first."""
    seen: list[Path] = []
    todo = [JS / f"{name}.js"]
    while todo:
        path = todo.pop(0).resolve()
        if path in seen:
            continue
        if not path.is_file():
            raise FileNotFoundError(f"data-module names {path}, which does not exist")
        seen.append(path)
        todo.extend(path.parent / target for target in IMPORT.findall(path.read_text("utf-8")))
    return tuple(seen)


def keys_named(paths: tuple[Path, ...], language: str) -> dict[str, str]:
    """The messages that the scripts name, in one language."""
    messages = catalogue(language)
    fallback = catalogue(DEFAULT)
    names: set[str] = set()
    for path in paths:
        for literal in KEY_LITERAL.findall(path.read_text("utf-8")):
            if literal.endswith(".") or literal in fallback:
                names.add(literal)
    wanted = sorted(
        key for key in fallback if key in names or any(n.endswith(".") and key.startswith(n) for n in names)
    )
    return {key: messages.get(key, fallback[key]) for key in wanted}


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    names = list(dict.fromkeys(MODULE.findall(output)))
    if not names:
        return output
    language = (
        page.file.src_uri.split("/")[-1].split(".")[-2] if page.file.src_uri.count(".") > 1 else DEFAULT
    )
    if language not in languages(config):
        language = DEFAULT
    depth = page.url.count("/")
    prefix = "../" * depth if page.url else ""
    paths: list[Path] = []
    for name in names:
        paths.extend(path for path in module_files(name) if path not in paths)
    texts = json.dumps(keys_named(tuple(paths), language), ensure_ascii=False, separators=(",", ":"))
    texts = texts.replace("</", "<\\/")
    preload = "".join(
        f'<link rel="modulepreload" href="{prefix}assets/js/{path.relative_to(JS.resolve()).as_posix()}">'
        for path in paths
    )
    scripts = f'<script type="application/json" id="ieh-texts">{texts}</script>' + "".join(
        f'<script type="module" src="{prefix}assets/js/{name}.js"></script>' for name in names
    )
    output = output.replace("</head>", preload + "</head>", 1)
    return output.replace("</body>", scripts + "</body>", 1)
