"""Reading a module's Markdown pages: CommonMark with raw HTML off, plus four fixed blocks."""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..model import Image, Page
from .files import not_a_regular_file
from .problems import Problems, did_you_mean
from .schema import PAGE
from .yamlfile import parse_yaml, read_section

BLOCKS = {
    "case-study": "Case study",
    "key-point": "Key point",
    "reflection": "Reflection",
    "note": "Note",
}
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
LINK_SCHEMES = ("https://", "http://", "mailto:")
_FENCE_OPEN = re.compile(r"^ {0,3}:::\s*([^\s:]*)(.*)$")
_FENCE_CLOSE = re.compile(r"^ {0,3}:::\s*$")
_CODE_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # javascript:, data:, file:, https:…
_ASSET_NAME = re.compile(r"^[A-Za-z0-9._/-]+$")  # safe in a zip, a manifest and a URL without encoding
# An image Markdown does not see because its path has a space: the learner would get the raw text.
_SPACED_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*([^)<>\s\"']+(?:[ \t]+[^)<>\s\"']+)+)\s*\)")


def _render_block_open(self, tokens, index, options, env):
    name, title = _block_name_and_title(tokens[index].info)
    label = BLOCKS.get(name, name)
    heading = f"{label}: {title}" if title else label
    escaped = self.escapeHtml(heading) if hasattr(self, "escapeHtml") else _escape(heading)
    return f'<aside class="ccm-block ccm-{name}">\n<h2 class="ccm-block-title">{escaped}</h2>\n'


def _render_block_close(self, tokens, index, options, env):
    return "</aside>\n"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _block_name_and_title(info: str) -> tuple[str, str]:
    name, _, title = info.strip().partition(" ")
    return name, title.strip()


class _EveryLinkKept(MarkdownIt):
    """markdown-it quietly turns javascript:, data: and file: links into plain text; this parser lets them
    through so that the check below refuses them with their line, as docs/authoring.md promises."""

    def validateLink(self, url: str) -> bool:
        return True


def _make_parser() -> MarkdownIt:
    parser = _EveryLinkKept("commonmark", {"html": False, "typographer": False})
    for name in BLOCKS:
        parser.use(container_plugin, name=name, render=_render_block_open)
        parser.add_render_rule(f"container_{name}_close", _render_block_close)

    def render_link_open(self, tokens, index, options, env):
        token = tokens[index]
        token.attrSet("target", "_blank")
        token.attrSet("rel", "noopener noreferrer")
        return self.renderToken(tokens, index, options, env)

    parser.add_render_rule("link_open", render_link_open)

    def render_image(self, tokens, index, options, env):
        """An image; with env["image_folder"] (the module's id), its path is under that folder of the package."""
        token, folder = tokens[index], env.get("image_folder")
        if not folder:
            return self.image(tokens, index, options, env)
        src = token.attrGet("src")
        token.attrSet("src", f"{folder}/{src}")
        try:
            return self.image(tokens, index, options, env)
        finally:
            token.attrSet("src", src)

    parser.add_render_rule("image", render_image)
    return parser


_PARSER = _make_parser()


def read_page(
    path: Path, module_dir: Path, problems: Problems, module_id: str = "", competencies: tuple[str, ...] | None = None
) -> Page | None:
    """`competencies`: the module's, which the front matter may name (None: not checked)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.error(path, 0, f"the page is not UTF-8 text (byte {error.start})", "save it as UTF-8 in your editor")
        return None
    except OSError as error:
        problems.error(path, 0, f"cannot read the page ({error.strerror})", "check that it exists and is readable")
        return None
    covers, text = _front_matter(path, text, problems, competencies)
    lines = text.splitlines()
    fences_ok = _check_fences(path, lines, problems)
    tokens = _PARSER.parse(text)
    title = _take_title(path, tokens, problems)
    images = _check_inline(path, lines, tokens, module_dir, problems)
    if not fences_ok or title is None:
        return None
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    folder_html = _PARSER.renderer.render(tokens, _PARSER.options, {"image_folder": module_id}) if images else html
    return Page(
        id=path.stem,
        title=title,
        html=html,
        text=_plain_text(tokens),
        images=tuple(images),
        competency_ids=covers,
        folder_html=folder_html,
    )


_FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")


def _front_matter(
    path: Path, text: str, problems: Problems, competencies: tuple[str, ...] | None
) -> tuple[tuple[str, ...], str]:
    """(the competencies a page's front matter names, the page with the front matter blanked out).

    Front matter is YAML between a first line '---' and the next '---'. Its lines are kept as empty
    lines, so that the Markdown's line numbers stay the file's."""
    lines = text.split("\n")
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0].lstrip("\ufeff")):
        return (), text
    end = next((i for i in range(1, len(lines)) if _FRONT_MATTER_FENCE.match(lines[i])), None)
    if end is None:
        problems.error(path, 1, "the front matter opened on line 1 is never closed", "end it with a line '---'")
        return (), "\n" * (len(lines) - 1)
    body = "\n" * end + "\n".join(lines[end:])[3:]
    data = parse_yaml("\n".join(lines[:end]) + "\n", path, problems) if any(x.strip() for x in lines[1:end]) else None
    if data is None:
        return (), body
    fields = read_section(PAGE, data, path, 2, problems)
    covers = fields.value("competencies") if fields.ok else ()
    if fields.ok and fields.has("competencies") and not covers:
        fields.error("competencies", "the page's front matter lists no competencies", "name one, or remove the key")
    for index, competency in enumerate(covers):
        if competencies is not None and competency not in competencies:
            fields.problems.error(
                path,
                fields.item_line("competencies", index),
                f"the page names the competency '{competency}', which the module does not list",
                did_you_mean(competency, competencies, "module's competency"),
            )
    return tuple(dict.fromkeys(covers)), body


def _check_fences(path: Path, lines: list[str], problems: Problems) -> bool:
    """Blocks must be known, closed and not nested; CommonMark itself never fails, so this is the syntax check."""
    ok = True
    open_at: tuple[int, str] | None = None
    in_code = False
    for number, line in enumerate(lines, start=1):
        if _CODE_FENCE.match(line):
            in_code = not in_code
        if in_code:
            continue
        if _FENCE_CLOSE.match(line):
            if open_at is None:
                problems.error(
                    path,
                    number,
                    "':::' closes a block that was never opened",
                    "remove this line, or open the block above with '::: note' (or another block name)",
                )
                ok = False
            open_at = None
            continue
        match = _FENCE_OPEN.match(line)
        if not match:
            continue
        name = match.group(1)
        if name not in BLOCKS:
            problems.error(
                path,
                number,
                f"unknown block '::: {name}'",
                did_you_mean(name, BLOCKS) if name else f"name the block: {', '.join(BLOCKS)}",
            )
            ok = False
        elif open_at is not None:
            problems.error(
                path,
                number,
                f"a '{name}' block starts inside the '{open_at[1]}' block opened on line {open_at[0]}",
                "close the first block with a line holding only ':::' before starting another",
            )
            ok = False
        else:
            open_at = (number, name)
    if open_at is not None:
        problems.error(
            path, open_at[0], f"the '{open_at[1]}' block is never closed", "end it with a line holding only ':::'"
        )
        ok = False
    return ok


def _take_title(path: Path, tokens: list[Token], problems: Problems) -> str | None:
    """The page title is its first level-one heading, which is removed from the body."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            title = tokens[index + 1].content.strip()
            del tokens[index : index + 3]
            for later in tokens:
                if later.type == "heading_open" and later.tag == "h1":
                    problems.error(
                        path,
                        later.map[0] + 1 if later.map else 0,
                        "a page has one '# ' heading, its title",
                        "use '## ' for headings inside the page, or split it into two pages",
                    )
            if not title:
                problems.error(
                    path, token.map[0] + 1 if token.map else 1, "the page title is empty", "write the title after '# '"
                )
                return None
            return title
        if token.type in ("paragraph_open", "bullet_list_open", "ordered_list_open", "heading_open"):
            break
    problems.error(path, 1, "the page has no title", "start the page with a '# Title' line")
    return None


def _check_inline(
    path: Path, lines: list[str], tokens: list[Token], module_dir: Path, problems: Problems
) -> list[Image]:
    images: list[Image] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        first_line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                line = _line_containing(lines, first_line, src)
                image = check_image(path, line, src, child.content.strip(), module_dir, problems)
                if image:
                    images.append(image)
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not href.lower().startswith(LINK_SCHEMES):
                    problems.error(
                        path,
                        _line_containing(lines, first_line, href),
                        f"the link '{href}' is not a web or email address",
                        "links must start with https://, http:// or mailto:",
                    )
            elif child.type == "text":
                _check_spaced_image(path, lines, first_line, child.content, problems)
    return images


def _check_spaced_image(path: Path, lines: list[str], first_line: int, text: str, problems: Problems) -> None:
    for found in _SPACED_IMAGE.finditer(text):
        src = found.group(2)
        problems.error(
            path,
            _line_containing(lines, first_line, src),
            f"the image path '{src}' has spaces, so the page would show the text instead of the image",
            f"rename the file to {_safe_asset_name(src)} and write ![{found.group(1)}]({_safe_asset_name(src)})",
        )


def _safe_asset_name(src: str) -> str:
    folder, _, name = src.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    safe = re.sub(r"[^a-z0-9]+", "-", (stem if dot else name).lower()).strip("-") or "image"
    return f"{folder + '/' if folder else ''}{safe}{dot}{suffix.lower() if dot else ''}"


def _line_containing(lines: list[str], start: int, needle: str) -> int:
    for offset, line in enumerate(lines[start:], start=start):
        if needle and needle in line:
            return offset + 1
    return start + 1


def check_image(page: Path, line: int, src: str, alt: str, module_dir: Path, problems: Problems) -> Image | None:
    if not alt:
        problems.error(
            page,
            line,
            f"the image '{src}' has no alt text",
            "describe what it shows inside the square brackets: ![what it shows](" + src + ")",
        )
    written = unquote(src)  # markdown-it percent-encodes the path of ![…](<assets/a b.png>)
    if src and not _SCHEME.match(src) and not _ASSET_NAME.match(written):
        problems.error(
            page,
            line,
            f"the image path '{written}' has characters a package cannot carry safely (spaces, accents, % or quotes)",
            f"rename the file to {_safe_asset_name(written)} and "
            f"write ![{alt or 'what it shows'}]({_safe_asset_name(written)})",
        )
        return None
    asset = safe_asset_path(src, module_dir, page, line, problems)
    if asset is None:
        return None
    if asset.suffix.lower() not in IMAGE_TYPES:
        problems.error(
            page, line, f"'{src}' is not an image type a browser shows", f"use one of {', '.join(sorted(IMAGE_TYPES))}"
        )
        return None
    return Image(path=PurePosixPath(src).as_posix(), data=asset.read_bytes()) if alt else None


def safe_asset_path(
    src: str, base_dir: Path, page: Path, line: int, problems: Problems, folder: str = "assets"
) -> Path | None:
    """The file `src` names under `base_dir/folder`, or None (with an error) if it is missing or escapes it."""
    if _SCHEME.match(src) and not re.match(r"^([A-Za-z]:[\\/]|https?:)", src, re.IGNORECASE):
        problems.error(
            page,
            line,
            f"'{src}' is an address ({src.split(':', 1)[0]}:), not a file in the {folder}/ folder",
            f"copy the file into {folder}/ and write {folder}/<name>; other addresses are refused",
        )
        return None
    if not src or "://" in src or src.startswith(("/", "\\", "data:")) or re.match(r"^[A-Za-z]:", src):
        problems.error(
            page,
            line,
            f"'{src}' is not a path inside the {folder}/ folder",
            f"copy the file into {folder}/ and write {folder}/<name>",
        )
        return None
    parts = PurePosixPath(src.replace("\\", "/")).parts
    if ".." in parts or not parts or parts[0] != folder:
        problems.error(
            page,
            line,
            f"'{src}' points outside the {folder}/ folder",
            f"copy the file into {folder}/ and write {folder}/<name> (paths with '..' are refused)",
        )
        return None
    candidate = base_dir.joinpath(*parts)
    if not os.path.lexists(candidate):
        problems.error(page, line, f"the file '{src}' does not exist", f"add it to {folder}/ or correct the name")
        return None
    unreadable = not_a_regular_file(candidate)
    if unreadable:
        problems.error(page, line, f"'{src}': {unreadable[0]}", unreadable[1])
        return None
    allowed_root = (base_dir / folder).resolve()
    real = candidate.resolve()
    if os.path.commonpath([real, allowed_root]) != str(allowed_root) or not real.is_file():
        problems.error(
            page,
            line,
            f"'{src}' is a link to a file outside the {folder}/ folder",
            f"copy the real file into {folder}/ instead of linking to it",
        )
        return None
    return real


def _plain_text(tokens: list[Token]) -> str:
    parts = []
    for token in tokens:
        if token.type == "inline":
            parts.append(
                "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline"))
            )
    return "\n".join(part for part in parts if part.strip())
