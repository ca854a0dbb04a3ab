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
import posixpath
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
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
GATE = re.compile(r'<div id="members-app"[^>]*>')
REQUIRES_ATTRIBUTE = re.compile(r'data-requires="([^"]*)"')
NAV_LINK = re.compile(r'<a href="([^"]*)" class="(md-nav__link|md-tabs__link)')
SEARCH_BUTTON = '<label class="md-header__button md-icon" for="__search">'
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)"')

# Who may use each members page (its gate's data-requires; "member" when any member may), by address
# without the language prefix: the navigation shows a person only their own pages (kit/header.js).
REQUIRES: dict[str, str] = {}


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


def portal_data(*path: str) -> Any:
    """A data file of functions/portal/data (data("transparency", "thresholds.json")): the page and
    the API read the same rules."""
    from portal import data

    return data.load(*path)


def catalogue_texts(prefix: str) -> dict[str, dict[str, str]]:
    """The messages under `prefix` in every language, unformatted: for a page that shows what a person
    gets in their own language, whatever the page's (the legal text of a refusal, in the request's)."""
    return {
        path.stem: {key: text for key, text in catalogue(path.stem).items() if key.startswith(prefix)}
        for path in sorted(LOCALES.glob("*.json"))
    }


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
    env.globals["catalogue_texts"] = catalogue_texts
    env.globals["data"] = portal_data  # rules as data (portal/data), for a page that shows or uses them
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
    REQUIRES.clear()
    for page in sorted((staging / "members").glob("*.md")):
        if page.name.count(".") == 1 and (gate := GATE.search(page.read_text("utf-8"))):
            address = "members/" if page.stem == "index" else f"members/{page.stem}/"
            requires = REQUIRES_ATTRIBUTE.search(gate.group(0))
            REQUIRES[address] = requires.group(1) if requires else "member"
    config.docs_dir = str(staging)
    return config


# ---------------------------------------------------------------- navigation by who is logged in


def language_of(page: Page, config: MkDocsConfig) -> str:
    uri = page.file.src_uri
    language = uri.split("/")[-1].split(".")[-2] if uri.count(".") > 1 else DEFAULT
    return language if language in languages(config) else DEFAULT


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    """In the members area no previous/next links (they would lead into other roles' pages), and a page
    reached from another (front matter `parent: members/suppliers`) shows that page's place in the
    navigation, so its sidebar is not empty."""
    for neighbour in ("previous_page", "next_page"):
        other = getattr(page, neighbour)
        if other is not None and (in_members_area(page, config) or in_members_area(other, config)):
            setattr(page, neighbour, None)
    TITLES[page.url] = str(page.title or "")
    parent = page.meta.get("parent")
    if parent:
        language = language_of(page, config)
        address = f"{parent}/" if language == DEFAULT else f"{language}/{parent}/"
        for item in nav.pages:
            if item.url == address:
                item.active = True
                ACTIVE.append(item)
    return context


TITLES: dict[str, str] = {}  # each page's title by address, for the search index
ACTIVE: list[Page] = []  # the parents made active for one page, made inactive again after it


def address_of(url: str, config: MkDocsConfig) -> str:
    """A page's address without its language's prefix: en/members/ → members/."""
    for language in languages(config):
        if language != DEFAULT and url.startswith(f"{language}/"):
            return url.removeprefix(f"{language}/")
    return url


def in_members_area(page: Page, config: MkDocsConfig) -> bool:
    return address_of(page.url, config).startswith("members/")


def mark_navigation(output: str, page: Page, config: MkDocsConfig) -> str:
    """Each link to a members page says who may use it (data-nav-for), the login link says what it is;
    the header gets the member's name and a log-out button (kit/header.js fills and shows them)."""
    here = page.url if page.url.endswith("/") else posixpath.dirname(page.url)

    def mark(match: re.Match[str]) -> str:
        link, href = match.group(0), match.group(1)
        if href.startswith(("#", "http:", "https:")):
            return link
        target = posixpath.normpath(posixpath.join(here, href))  # "." for the home page
        address = address_of("" if target == "." else f"{target}/", config)
        if address in REQUIRES:
            return link.replace("<a ", f'<a data-nav="members" data-nav-for="{REQUIRES[address]}" ', 1)
        if address == "login/":
            return link.replace("<a ", '<a data-nav="login" ', 1)
        return link

    output = NAV_LINK.sub(mark, output)
    language = language_of(page, config)
    member = (
        '<div class="ieh-member" data-module="kit/header" hidden>'
        '<span class="ieh-member__name" id="ieh-member-name"></span>'
        f'<button type="button" class="ieh-member__logout" id="logout-button">{message(language, "kit.log_out", {})}</button>'
        '<span class="ieh-member__error" id="ieh-member-error" role="alert"></span></div>'
    )
    return output.replace(SEARCH_BUTTON, member + SEARCH_BUTTON, 1)


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


# ---------------------------------------------------------------- search, each language its own


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    """Search finds public content only: not the members area, nor pages not for search engines."""
    if in_members_area(page, config) or page.meta.get("robots") == "noindex":
        page.meta["search"] = {**page.meta.get("search", {}), "exclude": True}
    return markdown


@event_priority(-100)  # after the search plugin has written the index
def on_post_build(config: MkDocsConfig) -> None:
    """One search index per language: the default language's at search/, another's at <lang>/search/
    (its pages' search starts from their language's root, see on_post_page), locations relative to it."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text("utf-8"))
    others = [language for language in languages(config) if language != DEFAULT]
    # The search plugin leaves out a page's own entry when another language's page has the same title
    # (Sedex): without it, the page's sections are listed under "undefined".
    pages = {doc["location"] for doc in index["docs"] if "#" not in doc["location"]}
    complete = []
    for doc in index["docs"]:
        address = doc["location"].split("#")[0]
        if address not in pages and address in TITLES:  # the page's entry comes before its sections
            complete.append({"location": address, "title": TITLES[address], "text": ""})
            pages.add(address)
        complete.append(doc)
    index["docs"] = complete
    elsewhere = tuple(f"{other}/" for other in others)
    for language in [DEFAULT, *others]:
        prefix = "" if language == DEFAULT else f"{language}/"
        docs = [
            {**doc, "location": doc["location"].removeprefix(prefix)}
            for doc in index["docs"]
            if (doc["location"].startswith(prefix) if prefix else not doc["location"].startswith(elsewhere))
        ]
        target = Path(config.site_dir) / prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        settings = {**index["config"], "lang": [{"nb": "no"}.get(language, language)]}
        content = {**index, "config": settings, "docs": docs}
        target.write_text(json.dumps(content, ensure_ascii=False, separators=(",", ":")), "utf-8")


def search_from_language_root(output: str, page: Page, config: MkDocsConfig) -> str:
    language = language_of(page, config)
    if language == DEFAULT:
        return output
    return CONFIG_BASE.sub(lambda m: f'{m.group(1)}{m.group(2).rstrip("/")}/{language}/"', output, count=1)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    for item in ACTIVE:
        item.active = False
    ACTIVE.clear()
    output = search_from_language_root(mark_navigation(output, page, config), page, config)
    names = list(dict.fromkeys(MODULE.findall(output)))
    language = language_of(page, config)
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
