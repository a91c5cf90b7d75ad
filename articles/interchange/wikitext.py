"""MediaWiki wikitext (pure), parsed with mwparserfromhell.

Headings become sections; `<ref>`s become `[@key]` citations of one source per
reference (a named ref reused with `<ref name=x />` cites the same one), or
footnotes when they are in a group or only explain; citation templates in any
spelling of their parameters fill a source's fields; note templates (`{{efn}}`,
`{{NoteTag}}`, `{{#tag:ref}}`) become footnotes. What has no place on a wiki page
(infoboxes, navboxes, tables, files, categories, unknown templates) is dropped with
a warning naming it. Language-variant markup `-{…}-` keeps one variant's text.
Templates that only lay text out in columns (`{{columns-list}}`) keep the text.
"""

import re
from collections.abc import Iterable

import mwparserfromhell
from django.utils.text import slugify
from mwparserfromhell.nodes import (
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from articles.citations import CITATION_NEEDED
from articles.interchange.markdown import add_source, is_reference_list, with_notes
from articles.interchange.parsed import (
    InterchangeError,
    ParsedArticle,
    ParsedSection,
    ParsedSource,
)
from articles.interchange.plain import LINE_START_SPECIAL, MARKDOWN_SPECIAL
from articles.interchange.references import (
    formatted_reference,
    full_date,
    looks_like_reference,
    normal_date,
    source_from_text,
)

# White space to fold: not the ideographic space (U+3000), which Chinese text uses on
# purpose (`苗　圩` lines a two-character name up with three-character ones).
SPACES = re.compile(r"[ \t\r\n\f\v]+")
LIST_MARK = "\x02"  # stands for a list marker until lines are put together
VARIANT = re.compile(r"-\{(.*?)\}-", re.DOTALL)
MAGIC_WORD = re.compile(r"__[A-Z]+__")
NOTE_TEMPLATES = {"efn", "efn-ua", "efn-lr", "efn-la", "efn-lg", "notetag", "note tag", "refn",
                  "#tag:ref", "efn-ur", "notetag-lr", "註", "注"}  # fmt: skip
LIST_TEMPLATES = {"reflist", "notelist", "notefoot", "references", "refbegin", "refend",
                  "notelist-ua", "notelist-lr", "reflist-talk", "reference", "notes"}  # fmt: skip
NEEDED_TEMPLATES = {"citation needed", "cn", "fact", "citeneeded", "需要来源", "來源請求",
                    "来源请求", "citation-needed"}  # fmt: skip
TEXT_TEMPLATES = {"nowrap": 0, "lang": -1, "abbr": 0, "ipa": 0, "nihongo": 0, "small": 0,
                  "nobr": 0, "transl": -1, "linktext": 0, "le": 0, "tsl": 2,
                  "s": -1}  # fmt: skip  # {{s|page|label}}: a Wikisource link (zh)
# Text laid out in columns: the list is their last positional parameter (or `content=`).
COLUMN_TEMPLATES = {"columns-list", "columns list", "div col", "col-list", "colbegin"}
# A succession box's rows (`|-`) stand outside any table once its templates are dropped.
TABLE_ROW = re.compile(r"^[ \t]*\|-.*$\n?", re.MULTILINE)
SYMBOL_TEMPLATES = {"—": "—", "!": "|", "ndash": "–", "mdash": "—", "snd": " – ",
                    "spaced ndash": " – ", "nbsp": " ", "·": " · ", "=": "="}  # fmt: skip
FILE_NAMESPACES = {
    "file",
    "image",
    "media",
    "文件",
    "檔案",
    "档案",
    "图像",
    "圖像",
    "datei",
    "bild",
}
CATEGORY_NAMESPACES = {"category", "分类", "分類", "kategorie", "catégorie", "categoría"}
PORTAL_NAMESPACES = {"portal", "主题", "主題"}
DROPPED_TAGS = {"table", "gallery", "imagemap", "timeline", "graph", "score", "mapframe",
                "templatestyles", "categorytree", "inputbox", "charinsert", "hiero"}  # fmt: skip
CODE_TAGS = {"code", "tt", "kbd", "samp", "math", "chem", "var"}
BLOCK_CODE_TAGS = {"pre", "syntaxhighlight", "source"}
PUBLISHER_PARAMETERS = ("work", "website", "newspaper", "journal", "magazine", "periodical",
                        "encyclopedia", "publisher", "agency", "via", "institution")  # fmt: skip
SHORT_CITATIONS = {"sfn", "sfnp", "harvnb", "harv", "harvp", "harvtxt", "sfnm"}
SHORT_YEAR = re.compile(r"^(?:\d{4}[a-z]?|n\.d\.|nd)$")
EXTRA_PARAMETERS = ("volume", "issue", "page", "pages", "at", "isbn", "issn", "edition",
                    "location", "place", "url-status", "dead-url", "deadurl")  # fmt: skip


def fold_spaces(text: str) -> str:
    return SPACES.sub(" ", text).strip(" ")


def choose_variant(match: re.Match) -> str:
    """`-{zh-hans:计算机;zh-hant:電腦}-` → one variant; `-{A|text}-` → `text`."""
    body = match[1]
    flags, bar, rest = body.partition("|")
    if bar and re.fullmatch(r"[A-Za-z;\- ]{1,10}", flags):
        if "H" in flags or "-" in flags:
            return ""
        body = rest
    variants = dict(
        part.split(":", 1) for part in body.split(";") if re.match(r"^\s*zh(-[a-z]+)?\s*:", part)
    )
    variants = {key.strip(): value.strip() for key, value in variants.items()}
    for preferred in ("zh-hans", "zh-cn", "zh", "zh-hant", "zh-tw", "zh-hk"):
        if preferred in variants:
            return variants[preferred]
    return next(iter(variants.values()), body)


def escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def template_name(template: Template) -> str:
    name = str(template.name.strip_code() if "<!--" in str(template.name) else template.name)
    return " ".join(name.replace("_", " ").split()).lower()


def parameter(template: Template, *names: str) -> str:
    """The first non-empty parameter of these names, as plain text."""
    for name in names:
        if template.has(name):
            value = template.get(name).value
            text = " ".join(value.strip_code(keep_template_params=False).split())
            if text:
                return text
    return ""


def attribute(tag: Tag, name: str) -> str:
    if tag.has(name):
        return str(tag.get(name).value).strip().strip("\"'")
    return ""


def template_authors(template: Template) -> str:
    """`author`, `last`/`first`, `last1`/`first1`… `author9`, `authors`, in order."""
    names = []
    for n in ["", *map(str, range(1, 10))]:
        last = parameter(template, f"last{n}", f"surname{n}")
        first = parameter(template, f"first{n}", f"given{n}")
        names.append(parameter(template, f"author{n}") or " ".join(filter(None, [first, last])))
    names.append(parameter(template, "authors", "vauthors", "作者"))
    return ", ".join(dict.fromkeys(name for name in names if name))


def source_from_template(template: Template) -> ParsedSource:
    """A `{{cite …}}` template's fields, whatever spelling of its parameters it uses."""
    date = parameter(template, "date", "日期")
    year = parameter(template, "year")
    extra = [f"{name} {parameter(template, name)}" for name in EXTRA_PARAMETERS]
    return ParsedSource(
        key="",
        title=parameter(template, "title", "script-title", "trans-title", "chapter", "标题", "題名")
        or parameter(template, "url"),
        authors=template_authors(template),
        publisher=parameter(template, *PUBLISHER_PARAMETERS),
        date=normal_date(date)
        or normal_date(" ".join([parameter(template, "month"), year]))
        or normal_date(year),
        url=parameter(template, "url", "chapter-url", "网址"),
        archive_url=parameter(template, "archive-url", "archiveurl"),
        archive_date=normal_date(parameter(template, "archive-date", "archivedate")),
        accessed=full_date(parameter(template, "access-date", "accessdate")),
        doi=parameter(template, "doi"),
        language=parameter(template, "language", "lang", "语言"),
        quote=parameter(template, "quote"),
        extra=", ".join(item for item in extra if not item.endswith(" ")),
    )


def surname_and_year(template: Template) -> tuple[str, str]:
    """What a short citation (`{{sfn|Smith|2001}}`) finds a full citation by."""
    last = parameter(template, "last", "last1", "surname", "surname1")
    if not last:
        last = (parameter(template, "author", "author1").split() or [""])[-1]
    year = parameter(template, "year") or normal_date(parameter(template, "date"))[:4]
    return last.casefold(), year


def is_cite(name: str) -> bool:
    return name.startswith(("cite ", "cite-", "citation")) or name == "cite"


class Reader:
    """One document's conversion: its sources, named refs, notes and warnings."""

    def __init__(self, code: Wikicode, known_slugs: Iterable[str]):
        self.sources: list[ParsedSource] = []
        self.notes: dict[str, str] = {}
        self.warnings: list[str] = []
        self.in_reference = 0  # inside a <ref> or a note: citation templates cite
        self.known_slugs = set(known_slugs)
        self.named: dict[tuple[str, str], Wikicode] = {}
        self.full: dict[tuple[str, str], Template] = {}
        for template in code.filter_templates(recursive=True):
            if is_cite(template_name(template)):
                self.full.setdefault(surname_and_year(template), template)
        self.resolved: dict[tuple[str, str], str] = {}
        for tag in code.filter_tags(recursive=True, matches=lambda n: n.tag.lower() == "ref"):
            name = attribute(tag, "name")
            if name and tag.contents and str(tag.contents).strip():
                self.named.setdefault((attribute(tag, "group"), name), tag.contents)
        for template in code.filter_templates(recursive=True):
            name = template_name(template)
            positional = [p.value for p in template.params if not p.showkey]
            label = parameter(template, "name")
            if (name in NOTE_TEMPLATES or name.startswith("#tag:ref")) and label and positional:
                group = parameter(template, "group")
                group = group if name.startswith("#tag:ref") else group or "note"
                if str(positional[0]).strip():
                    self.named.setdefault((group, label), positional[0])

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def drop(self, what: str) -> str:
        self.warn(f"dropped {what}")
        return ""

    def cite(self, source: ParsedSource) -> str:
        return f"[@{add_source(self.sources, source)}]"

    def short_citation(self, template: Template) -> str:
        """`{{sfn|Smith|Jones|2001|p=3}}`: the full citation of Smith 2001 elsewhere in
        the text, with the page as its locator."""
        positional = [str(p.value.strip_code()).strip() for p in template.params if not p.showkey]
        names = [value for value in positional if value and not SHORT_YEAR.match(value)]
        year = next((value[:4] for value in positional if SHORT_YEAR.match(value)), "")
        page = parameter(template, "p", "page")
        locator = f"p. {page}" if page else ""
        if pages := parameter(template, "pp", "pages"):
            locator = f"pp. {pages}"
        locator = locator or parameter(template, "loc", "at")
        full = self.full.get(((names or [""])[0].casefold(), year))
        if full is not None:
            source = source_from_template(full)
        else:
            self.warn(f"{{{{{template_name(template)}|{'|'.join(positional)}}}}} matches no full "
                      "citation; it cites a source made of its names and year")  # fmt: skip
            source = ParsedSource(key="", title=" ".join([*names, year]), authors=", ".join(names),
                                  date=year)  # fmt: skip
        key = add_source(self.sources, source)
        return f"[@{key}, {locator}]" if locator else f"[@{key}]"

    def note(self, text: str, name: str = "") -> str:
        label = slugify(name) or f"note-{len(self.notes) + 1}"
        while label in self.notes and self.notes[label] != text:
            label = f"{label}-{len(self.notes) + 1}"
        self.notes[label] = text
        return f"[^{label}]"

    def reference(self, contents: Wikicode, group: str = "", name: str = "") -> str:
        """One ref's citation (or footnote), converted once however often it is reused."""
        if name and (group, name) in self.resolved:
            return self.resolved[(group, name)]
        self.in_reference += 1
        try:
            return self.resolved_reference(contents, group, name)
        finally:
            self.in_reference -= 1

    def resolved_reference(self, contents: Wikicode, group: str, name: str) -> str:
        if group:
            result = self.note(self.inline(contents), name)
        else:
            cites = [
                t for t in contents.filter_templates(recursive=False) if is_cite(template_name(t))
            ]
            text = " ".join(contents.strip_code().split())
            shorts = [
                t for t in contents.filter_templates(recursive=False)
                if template_name(t) in SHORT_CITATIONS
            ]  # fmt: skip
            if cites:
                result = "".join(self.cite(source_from_template(t)) for t in cites)
            elif shorts:
                result = self.inline(contents)
            elif looks_like_reference(str(contents)):
                result = self.cite(source_from_text(self.inline(contents) or text))
            else:
                result = self.note(self.inline(contents), name)
        if name:
            self.resolved[(group, name)] = result
        return result

    def inline(self, code: Wikicode) -> str:
        return fold_spaces(self.convert(code.nodes))

    def ref_tag(self, tag: Tag) -> str:
        name, group = attribute(tag, "name"), attribute(tag, "group")
        contents = tag.contents if tag.contents and str(tag.contents).strip() else None
        if contents is None:
            contents = self.named.get((group, name))
        if contents is None:
            return self.drop(f"<ref name={name}> that is never defined") if name else ""
        return self.reference(contents, group, name)

    def template(self, template: Template) -> str:
        name = template_name(template)
        if is_cite(name):
            source = source_from_template(template)
            if self.in_reference:
                return self.cite(source)
            # Listed, not cited (a "Further reading" list): the source joins the
            # library and the text shows it written out, not a bare marker.
            add_source(self.sources, source)
            return formatted_reference(source)
        if name in SHORT_CITATIONS:
            return self.short_citation(template)
        if name in NOTE_TEMPLATES or name.startswith("#tag:ref"):
            return self.note_template(template, name)
        if name in LIST_TEMPLATES:
            return ""
        if name in COLUMN_TEMPLATES and (content := column_content(template)) is not None:
            return f"\n{self.convert(content.nodes)}\n"
        if name in NEEDED_TEMPLATES:
            return CITATION_NEEDED
        if name in SYMBOL_TEMPLATES:
            return SYMBOL_TEMPLATES[name]
        if name.startswith("lang-") or name in TEXT_TEMPLATES:
            positional = [p for p in template.params if not p.showkey]
            if positional:
                index = 0 if name.startswith("lang-") else TEXT_TEMPLATES[name]
                index = min(index, len(positional) - 1) if index >= 0 else index
                return self.convert(positional[index].value.nodes)
            return ""
        if name == "convert" and len(template.params) >= 2:
            return escape(f"{template.params[0].value.strip_code().strip()} "
                          f"{template.params[1].value.strip_code().strip()}")  # fmt: skip
        return self.drop(f"template {{{{{str(template.name).strip()}}}}}")

    def note_template(self, template: Template, name: str) -> str:
        """`{{efn|text|name=x}}` once, then `{{efn|name=x}}` for the same note again."""
        positional = [p.value for p in template.params if not p.showkey]
        group = parameter(template, "group")
        label = parameter(template, "name")
        group = group if name.startswith("#tag:ref") else group or "note"
        content = positional[0] if positional and str(positional[0]).strip() else None
        if content is None:
            content = self.named.get((group, label)) if label else None
        if content is None:
            return self.drop(f"{{{{{name}|name={label}}}}} that is never defined") if label else ""
        return self.reference(content, group, label)

    def wikilink(self, link: Wikilink) -> str:
        target = str(link.title).strip()
        label = self.inline(link.text) if link.text else escape(target.lstrip(":"))
        namespace = target.split(":", 1)[0].strip().lower() if ":" in target else ""
        if not target.startswith(":"):
            if namespace in FILE_NAMESPACES:
                return self.drop(f"file [[{target}]]")
            if namespace in CATEGORY_NAMESPACES:
                return self.drop(f"category [[{target}]]")
            if namespace in PORTAL_NAMESPACES:
                return self.drop(f"portal [[{target}]]")
            if re.fullmatch(r"[a-z]{2,3}(-[a-z]+)*", namespace):
                return self.drop(f"language link [[{target}]]")
        slug = slugify(target.split("#")[0])
        if slug and slug in self.known_slugs:
            return f"[{label}](/wiki/{slug}/)"
        return label

    def tag(self, tag: Tag) -> str:
        name = str(tag.tag).lower().strip()
        inner = self.convert(tag.contents.nodes) if tag.contents else ""
        if name == "ref":
            return self.ref_tag(tag)
        if name == "references":
            return ""
        if tag.wiki_markup in ("'''", "''"):
            mark = "**" if tag.wiki_markup == "'''" else "*"
            return f"{mark}{inner.strip()}{mark}" if inner.strip() else ""
        if name in ("li", "dt", "dd") and tag.wiki_markup:
            return f"{LIST_MARK}{tag.wiki_markup}"
        if name in DROPPED_TAGS:
            return self.drop("a table" if name == "table" else f"<{name}>")
        if name == "br":
            return "\\\n"
        if name == "hr":
            return "\n\n---\n\n"
        if name == "nowiki":
            return escape(str(tag.contents or ""))
        if name in CODE_TAGS:
            code = str(tag.contents or "").strip().replace("`", "")
            return f"`{code}`" if code else ""
        if name in BLOCK_CODE_TAGS:
            return f"\n\n```\n{str(tag.contents or '').strip()}\n```\n\n"
        if name in ("s", "del", "strike"):
            return f"~~{inner.strip()}~~" if inner.strip() else ""
        if name in ("p", "div", "blockquote", "poem", "center"):
            return f"\n\n{inner.strip()}\n\n"
        return inner

    def convert(self, nodes) -> str:
        parts = []
        for node in nodes:
            if isinstance(node, Text):
                text = MAGIC_WORD.sub("", str(node))
                if TABLE_ROW.search(text):
                    text = TABLE_ROW.sub("", text)
                    self.warn("dropped table rows (|-) outside a table")
                parts.append(escape(text))
            elif isinstance(node, Tag):
                parts.append(self.tag(node))
            elif isinstance(node, Template):
                parts.append(self.template(node))
            elif isinstance(node, Wikilink):
                parts.append(self.wikilink(node))
            elif isinstance(node, ExternalLink):
                parts.append(external_link(node, self))
            elif isinstance(node, HTMLEntity):
                parts.append(escape(node.normalize()))
            elif isinstance(node, Comment):
                continue
            elif isinstance(node, Heading):
                parts.append(f"\n\n**{escape(node.title.strip_code().strip())}**\n\n")
        return "".join(parts)


def column_content(template: Template) -> Wikicode | None:
    if template.has("content"):
        return template.get("content").value
    positional = [p.value for p in template.params if not p.showkey]
    return positional[-1] if positional and str(positional[-1]).strip() else None


def external_link(link: ExternalLink, reader: Reader) -> str:
    url = str(link.url).strip()
    if url.startswith("//"):
        url = "https:" + url
    if not url.lower().startswith(("http://", "https://")):
        return reader.inline(link.title) if link.title else ""
    url = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    title = reader.inline(link.title) if link.title else ""
    return f"[{title}]({url})" if title else f"<{url}>"


def markdown_lines(text: str) -> str:
    """Lines with list markers as markdown lists; other lines start without spaces
    (in wikitext a leading space means preformatted text) and without syntax."""
    lines = []
    for line in text.split("\n"):
        marks = re.match(rf"^((?:{LIST_MARK}[*#:;])+)\s*", line)
        if marks:
            kinds = marks[1].replace(LIST_MARK, "")
            rest = line[marks.end() :]
            indent = "".join("   " if kind == "#" else "  " for kind in kinds[:-1])
            bullet = {"*": "- ", "#": "1. "}.get(kinds[-1], "")
            if kinds == ";" and rest.strip():  # a term heads what follows: a paragraph of its own
                lines.append(f"\n**{rest.strip()}**\n")
            else:
                lines.append(f"{indent}{bullet}{rest}".rstrip() if bullet else rest.strip())
        else:
            line = line.strip()
            lines.append(LINE_START_SPECIAL.sub(lambda m: m[1] + "\\" + m[2], line))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def check_refs_closed(code: Wikicode) -> None:
    """An unclosed `<ref>` is left as text by the parser: name its line."""
    offset = 0
    source = str(code)
    for node in code.nodes:
        text = str(node)
        if isinstance(node, Text) and (match := re.search(r"<ref\b", text, re.IGNORECASE)):
            line = source.count("\n", 0, offset + match.start()) + 1
            raise InterchangeError(f"line {line}: a <ref> is never closed")
        offset += len(text)


def parse_wikitext(text: str, known_slugs: Iterable[str] = ()) -> ParsedArticle:
    """`known_slugs` are the articles a `[[link]]` may point to here."""
    code = mwparserfromhell.parse(VARIANT.sub(choose_variant, text))
    check_refs_closed(code)
    reader = Reader(code, known_slugs)
    lead: list = []
    chunks: list[tuple[Heading | None, list]] = [(None, lead)]
    for node in code.nodes:
        if isinstance(node, Heading):
            chunks.append((node, []))
        else:
            chunks[-1][1].append(node)
    sections = []
    for heading, nodes in chunks[1:]:
        title = " ".join(heading.title.strip_code().split())  # plain text, not markdown
        body = markdown_lines(reader.convert(nodes))
        sections.append(ParsedSection(title, min(max(heading.level, 2), 4), [body]))
    lead_text = markdown_lines(reader.convert(lead))
    for section in sections:
        section.paragraphs = [with_notes(section.body, reader.notes)]
    return ParsedArticle(
        title="",
        lead=with_notes(lead_text, reader.notes),
        sections=[section for section in sections if not is_reference_list(section)],
        sources=reader.sources,
        warnings=reader.warnings,
        notes=len(reader.notes),
        format="wikitext",
    )
