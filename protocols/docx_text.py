"""The text of a Word .docx protocol, as lines the importer reads like an extracted text file.

Councils keep their protocols in Word (DESIGN.md, Protocols: "imported from the document the
council already has ... and .docx"). python-docx reads the package; this module walks the body
in order (paragraphs, tables, content controls) and writes:

- one line per paragraph, with a blank line between paragraphs, so that paragraph breaks
  survive as they do in a Markdown export;
- ``#`` markers for paragraphs styled "Heading N" or "Title";
- the paragraph's *automatic* number in front of its text. Word does not store list numbers in
  the text (python-docx's ``paragraph.text`` has none of them); they come from numbering.xml.
  ``_Numbering`` recomputes them for the common cases: decimal, letter and roman formats, the
  level text (``%1.%2``), start values and ``startOverride``, restarting deeper levels when a
  higher one advances, numbering given directly or through the paragraph style (and the styles
  it is based on). Bullets become ``- ``;
- table rows as one line each, cells separated by tabs (the layout of the text seeds).

Limitations (documented for whoever imports a document that hits them): ``lvlRestart``,
``isLgl``, legacy numbering, LISTNUM/SEQ fields, numbering continued across list instances
that share an abstract definition, and text boxes are not interpreted; inserted text of
unaccepted tracked changes is kept and deleted text dropped (as Word shows "final"); nested
tables are flattened into their cell's text.
"""

from __future__ import annotations

import io
import zipfile

from docx.oxml.ns import qn

from protocols.importer import ImportRefused

# A .docx is a zip; refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 64 * 1024 * 1024

_W_P, _W_TBL, _W_SDT, _W_SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_W_TR, _W_TC, _W_T, _W_TAB = qn("w:tr"), qn("w:tc"), qn("w:t"), qn("w:tab")
_W_BR, _W_CR, _W_HYPHEN = qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen")
_W_PPR, _W_NUMPR, _W_NUMID, _W_ILVL = qn("w:pPr"), qn("w:numPr"), qn("w:numId"), qn("w:ilvl")
_W_PSTYLE, _W_VAL = qn("w:pStyle"), qn("w:val")
_W_DEL, _W_MOVE_FROM = qn("w:del"), qn("w:moveFrom")
_TEXT_TAGS = {_W_T: None, _W_TAB: "\t", _W_BR: " ", _W_CR: " ", _W_HYPHEN: "-"}

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def docx_text(data: bytes) -> str:
    """The lines of a .docx, or ImportRefused if ``data`` is not a readable Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception as error:  # zipfile raises several kinds on a damaged archive
        raise ImportRefused("The file looks like a zip archive but cannot be opened.") from error
    if "word/document.xml" not in {info.filename for info in infos}:
        raise ImportRefused(
            "The file is a zip archive but not a Word document (.docx): it has no "
            "word/document.xml."
        )
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ImportRefused("The Word document is too large to import.")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        return "\n".join(_DocumentLines(document).lines())
    except ImportRefused:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on a damaged package
        raise ImportRefused(
            "The Word document cannot be read; it may be damaged. Save it again from Word, or "
            "import its text instead."
        ) from error


class _DocumentLines:
    def __init__(self, document):
        self.styles = _Styles(document)
        self.numbering = _Numbering(document)
        self.body = document.element.body
        self.out: list[str] = []

    def lines(self) -> list[str]:
        self._blocks(self.body)
        return self.out

    def _blocks(self, parent) -> None:
        for child in parent.iterchildren():
            if child.tag == _W_P:
                line = self._paragraph(child)
                if line.strip():
                    self.out.extend((line, ""))
            elif child.tag == _W_TBL:
                self._table(child)
            elif child.tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    self._blocks(content)

    def _table(self, table) -> None:
        for row in table.iterchildren(_W_TR):
            cells = []
            for cell in row.iterchildren(_W_TC):
                texts = [self._paragraph(p) for p in cell.iter(_W_P)]
                cells.append(" ".join(t.strip() for t in texts if t.strip()))
            if any(cells):
                self.out.extend(("\t".join(c.replace("\t", " ") for c in cells), ""))

    def _paragraph(self, p) -> str:
        text = _paragraph_text(p).replace("\n", " ")
        style_id, num_id, level = _paragraph_properties(p)
        style = self.styles.get(style_id)
        if num_id is None and style is not None:
            num_id, style_level = self.styles.numbering(style_id)
            level = level if level is not None else style_level
        label = self.numbering.label(num_id, level or 0) if num_id else None
        if not text.strip():
            return ""
        if label == "-":
            text = f"- {text.strip()}"
        elif label:
            text = f"{label} {text.strip()}"
        heading = self.styles.heading_level(style_id)
        if heading:
            text = f"{'#' * heading} {text.strip()}"
        return text


def _paragraph_text(p) -> str:
    parts = []
    for element in p.iter(*_TEXT_TAGS):
        if any(a.tag in (_W_DEL, _W_MOVE_FROM) for a in element.iterancestors()):
            continue
        replacement = _TEXT_TAGS[element.tag]
        parts.append((element.text or "") if replacement is None else replacement)
    return "".join(parts)


def _paragraph_properties(p) -> tuple[str | None, str | None, int | None]:
    properties = p.find(_W_PPR)
    if properties is None:
        return None, None, None
    style = properties.find(_W_PSTYLE)
    style_id = style.get(_W_VAL) if style is not None else None
    num_id, level = _numbering_properties(properties)
    return style_id, num_id, level


def _numbering_properties(properties) -> tuple[str | None, int | None]:
    numbering = properties.find(_W_NUMPR) if properties is not None else None
    if numbering is None:
        return None, None
    num_id = numbering.find(_W_NUMID)
    level = numbering.find(_W_ILVL)
    return (
        num_id.get(_W_VAL) if num_id is not None else None,
        _int(level.get(_W_VAL)) if level is not None else None,
    )


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _Styles:
    """Paragraph styles by id: heading levels and the numbering a style (or its base) gives."""

    def __init__(self, document):
        self.by_id = {}
        try:
            element = document.styles.element
        except Exception:  # a package without styles.xml
            return
        for style in element.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id:
                self.by_id[style_id] = style

    def get(self, style_id):
        return self.by_id.get(style_id) if style_id else None

    def _name(self, style) -> str:
        name = style.find(qn("w:name"))
        return (name.get(_W_VAL) or "").lower() if name is not None else ""

    def heading_level(self, style_id) -> int:
        style = self.get(style_id)
        if style is None:
            return 0
        name = self._name(style)
        if name == "title":
            return 1
        if name.startswith("heading "):
            return min(_int(name.removeprefix("heading "), 0) or 0, 6)
        return 0

    def numbering(self, style_id) -> tuple[str | None, int | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.get(style_id)
            if style is None:
                break
            num_id, level = _numbering_properties(style.find(_W_PPR))
            if num_id is not None:
                return num_id, level
            based_on = style.find(qn("w:basedOn"))
            style_id = based_on.get(_W_VAL) if based_on is not None else None
        return None, None


class _Numbering:
    """Word's automatic list numbers, recomputed paragraph by paragraph (see module docstring)."""

    def __init__(self, document):
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering.xml
            return
        for abstract in root.iterchildren(qn("w:abstractNum")):
            levels = {}
            for level in abstract.iterchildren(qn("w:lvl")):
                levels[_int(level.get(qn("w:ilvl")), 0)] = (
                    _child_val(level, "w:numFmt") or "decimal",
                    _child_val(level, "w:lvlText") or "",
                    _int(_child_val(level, "w:start"), 1),
                )
            self.abstract[abstract.get(qn("w:abstractNumId"))] = levels
        for instance in root.iterchildren(qn("w:num")):
            overrides = {}
            for override in instance.iterchildren(qn("w:lvlOverride")):
                start = _child_val(override, "w:startOverride")
                if start is not None:
                    overrides[_int(override.get(qn("w:ilvl")), 0)] = _int(start, 1)
            abstract_id = _child_val(instance, "w:abstractNumId")
            self.instances[instance.get(qn("w:numId"))] = (abstract_id, overrides)

    def label(self, num_id: str, level: int) -> str | None:
        instance = self.instances.get(num_id)
        if instance is None or not 0 <= level < 9:
            return None
        abstract_id, overrides = instance
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return None
        counters = self.counters.setdefault(num_id, [None] * 9)

        def start(k):
            return overrides.get(k, levels.get(k, ("", "", 1))[2])

        counters[level] = start(level) if counters[level] is None else counters[level] + 1
        for deeper in range(level + 1, 9):
            counters[deeper] = None
        number_format, level_text, _ = levels[level]
        if number_format == "bullet":
            return "-"
        if number_format == "none":
            return None
        label = level_text
        for k in range(level, -1, -1):  # %10 is not a thing: levels are 1-9
            placeholder = f"%{k + 1}"
            if placeholder in label:
                value = counters[k] if counters[k] is not None else start(k)
                label = label.replace(placeholder, _format(value, levels.get(k, levels[level])[0]))
        return label.strip() or None


def _child_val(element, tag):
    child = element.find(qn(tag))
    return child.get(_W_VAL) if child is not None else None


def _format(value: int, number_format: str) -> str:
    if number_format in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else ""
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman"):
        roman, rest = "", value
        for amount, numeral in _ROMAN:
            while rest >= amount:
                roman, rest = roman + numeral, rest - amount
        return roman.upper() if number_format == "upperRoman" else roman
    if number_format == "decimalZero":
        return f"{value:02d}"
    return str(value)
