"""Cleaning legacy text: each kind of debris a converter or a web page left, one function each.

Lines keep the number they had in the source file, so every warning can point at the
place a person has to look at in the original. Nothing here prints or reads files.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from fedplan.dates import parse_written_date
from fedplan.hanzi import HAN, converter
from fedplan.headings import HeadingAt, heading_at, parse_heading
from fedplan.punctuation import fullwidth

_HAN_RE = re.compile(f"[{HAN}]")
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = f"a-zü{_TONE_VOWELS}"
# Toneless syllables a converter writes for the neutral tone (的 de, 了 le, 们 men …).
_NEUTRAL = {"de", "le", "me", "men", "ma", "ne", "ba", "zi", "zhe", "ge", "li", "tou", "shang"}
# "提出(chū )": converters also leave a space inside the brackets.
_ANNOTATION = re.compile(rf"(?<=[{HAN}])\(\s?([{_PINYIN_LETTERS}]{{1,6}})\s?\)")

# What a missing character is marked with in Chinese typesetting (the geta mark).
MISSING = "〓"

# Sentence ends: a line ending in one of these is a finished paragraph.
_TERMINAL = "。！？；：…!?;:"
_CLOSERS = "”’」』）)"


@dataclass(frozen=True)
class Line:
    """A line of text and the 1-based line of the source file it starts on."""

    number: int
    text: str


@dataclass(frozen=True)
class Mojibake:
    """A spot of broken encoding: where (1-based), what it looked like, and its repair if sure."""

    line: int
    col: int
    debris: str
    repair: str | None = None


@dataclass(frozen=True)
class Cleaned:
    lines: tuple[Line, ...]
    mojibake: tuple[Mojibake, ...] = ()
    removed: dict[str, int] = field(default_factory=dict)
    source_script: str = "hans"  # the script the file was written in


def split_lines(text: str) -> list[Line]:
    """The text's lines, numbered from 1, without a BOM or line ends."""
    text = text.removeprefix("\ufeff")
    return [Line(n, t) for n, t in enumerate(text.splitlines(), start=1)]


def _is_pinyin(syllable: str) -> bool:
    return any(c in _TONE_VOWELS for c in syllable) or syllable in _NEUTRAL


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove converter pinyin after characters: "關(guān)於" → "關於"; "(1)", "(擴大)" stay."""
    count = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal count
        if not _is_pinyin(match.group(1)):
            return match.group(0)
        count += 1
        return ""

    return _ANNOTATION.sub(drop, text), count


# --- mojibake ---------------------------------------------------------------------------

# Two-character words of these documents, in the Traditional script the legacy files use.
# A "?" followed by one surviving GBK trail byte ("?D" from 婦 = 8B 44) is repaired only
# when exactly one word here starts with a character of that trail byte and goes on with
# the character that follows the debris. Anything else is left to a person.
_LEXICON = (
    "婦女 婦聯 婦兒 婦幼 婦委 婦字 歷史 歷來 歷屆 歷年 歷程 擔保 擔任 運行 運用 "
    "運動 組織 維權 權益 農村 農業 發展 幹部 會議 開展 體系 實施 貫徹 區委 區政"
).split()
_ASCII_DEBRIS = re.compile(r"[!-'*-~]{1,2}")  # printable ASCII, no space, no parentheses
_PINYIN_TAIL = re.compile(rf"[{_PINYIN_LETTERS}]{{1,6}}\s?\)")
_PINYIN_IN_PARENS = re.compile(rf"\(\s?[{_PINYIN_LETTERS}]{{1,6}}\s?\)")
# A real question mark: after the particles that end a question ("……呢?", "……吗?").
_QUESTION_PARTICLES = "呢吗嗎么麼吧啊呀"
# Two unrepairable spots this close are one run of broken bytes ("?cè)鯓硬拍軐?xiě)"): the
# characters between them were decoded from misaligned bytes too.
_RUN_GAP = 6
_PINYIN_AT_END = re.compile(_PINYIN_IN_PARENS.pattern + "$")
_ANNOTATION_MAX = 16  # characters a _PINYIN_AT_END match can span, with room to spare
# Stray pinyin: a run of these letters holding a tone mark (see _stray_pinyin).
_PINYIN_RUN = re.compile(rf"[a-zü{_TONE_VOWELS}]+")
_TONED = re.compile(f"[{_TONE_VOWELS}]")
_NOT_ASCII_LETTER = re.compile(f"[ü{_TONE_VOWELS}]")


# Chinese bytes read as Latin-1 or Windows-1252 ("å¦‡å¥³" is UTF-8 妇女, "¸¾Å®" is GBK 妇女):
# three or more such characters in a row, at least one a Latin-1 letter. Pinyin never puts
# two accented letters side by side, and "·" "×" "°" alone stay.
# A run is matched whole and kept if it holds a letter (_latin_garble): a lookahead for the
# letter, tried from every character of a run without one, made a line of 200,000 "\x80"
# take minutes.
_LATIN_RUN = re.compile("[\u0080-\u00ff€‚ƒ„†‡ˆ‰Š‹ŒŽ‘’“”•˜™š›œžŸ\ufffd]{3,}")
_LATIN_LETTER = re.compile("[\u00c0-\u00ff]")


def _latin_garble(text: str) -> list[re.Match[str]]:
    """The runs of Latin-1 debris in ``text``: maximal runs of three or more, with a letter."""
    return [m for m in _LATIN_RUN.finditer(text) if _LATIN_LETTER.search(text, m.start(), m.end())]


def _stray_pinyin(text: str) -> list[tuple[int, str]]:
    r"""Where tone-marked pinyin stands outside an annotation, and what: the matches of
    ``(?<![A-Za-z])[a-zü…]*[…toned…][a-zü…]*\)?``, found in linear time.

    That pattern, searched from every letter after a "ü", rescanned the rest of the letters
    each time ("üa" * 100,000 took minutes). A match runs from the first place in a run of
    such letters that no ASCII letter precedes to the end of the run (and a ")" after it),
    if a tone mark stands in between; later places of the run hold no more tone marks.
    """
    found = []
    for run in _PINYIN_RUN.finditer(text):
        start, end = run.span()
        if start and "A" <= text[start - 1] <= "Z":
            after = _NOT_ASCII_LETTER.search(text, start, end - 1)
            if after is None:
                continue
            start = after.end()
        if _TONED.search(text, start, end) is None:
            continue
        if text[end : end + 1] == ")":
            end += 1
        found.append((start, text[start:end]))
    return found


def covered(spans: list[tuple[int, int]], index: int) -> bool:
    """Whether ``index`` lies in one of ``spans``, which are sorted and do not overlap
    (importer.targets asks it too)."""
    at = bisect.bisect_right(spans, (index, sys.maxsize)) - 1
    return at >= 0 and spans[at][0] <= index < spans[at][1]


@cache
def _trail_byte(char: str) -> int | None:
    try:
        encoded = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return encoded[1] if len(encoded) == 2 else None


def _guess_repair(debris: str, following: str) -> str | None:
    """The character ``debris`` surely stood for, judged by its GBK trail byte and context."""
    trail = debris[-1]
    if not ("\x40" <= trail <= "\x7e") or not following:
        return None
    words = [w for w in _LEXICON if w[1] == following and _trail_byte(w[0]) == ord(trail)]
    return words[0][0] if len(words) == 1 else None


def _is_han(char: str) -> bool:
    return bool(_HAN_RE.fullmatch(char))


def _visible_before(line: str, index: int) -> str:
    """The character before ``index``, looking past a pinyin annotation."""
    # Only the last few characters can hold the annotation: searching (or copying) all of
    # the line before every "?" was quadratic.
    match = _PINYIN_AT_END.search(line, max(index - _ANNOTATION_MAX, 0), index)
    before = match.start() if match else index
    return line[before - 1] if before > 0 else ""


def _debris_end(line: str, start: int) -> int:
    """Where the debris that starts with the "?" at ``start`` ends."""
    end = start + 1
    tail = _PINYIN_TAIL.match(line, end)
    if tail:
        end = tail.end()
    ascii_run = _ASCII_DEBRIS.match(line, end)
    if ascii_run:
        end = ascii_run.end()
        # A misaligned byte pair decodes as one unrelated character between ASCII bytes.
        if end + 1 < len(line) and _is_han(line[end]):
            misaligned = _ASCII_DEBRIS.match(line, end + 1)
            if misaligned:
                end = misaligned.end()
        # The annotation of a character the debris swallowed.
        orphan = _PINYIN_IN_PARENS.match(line, end)
        if orphan:
            end = orphan.end()
    return end


def find_mojibake(lines: Iterable[Line]) -> list[Mojibake]:
    """Each spot of broken encoding: a "?" or U+FFFD inside Chinese text, or stray pinyin."""
    lines = list(lines)
    spots: list[Mojibake] = []
    for line in lines:
        text = line.text
        garbled = [match.span() for match in _latin_garble(text)]
        for a, b in garbled:
            spots.append(Mojibake(line.number, a + 1, text[a:b], None))
        taken = list(garbled)
        # The "?"s come in order and each debris starts at one: a "?" lies in an earlier
        # debris when it is before the furthest end of those (asking every span per "?"
        # was quadratic).
        debris_end = 0
        for match in re.finditer("[?\ufffd]", text):
            start = match.start()
            if start < debris_end or covered(garbled, start):
                continue
            before = _visible_before(text, start)
            after = text[start + 1 : start + 2]
            if match.group() == "?" and before in _QUESTION_PARTICLES and not _PINYIN_TAIL.match(text, start + 1):
                continue
            debris_follows = bool(_PINYIN_TAIL.match(text, start + 1))
            if not (
                match.group() == "\ufffd"
                or debris_follows
                or (_is_han(before) and (_is_han(after) or bool(re.match(r"[!-'*-~]", after))))
            ):
                continue
            end = _debris_end(text, start)
            debris = text[start:end]
            following = text[end : end + 1]
            taken.append((start, end))
            debris_end = max(debris_end, end)
            spots.append(Mojibake(line.number, start + 1, debris, _guess_repair(debris, following)))
        # Tone-marked letters outside a proper annotation are debris too.
        masked = _ANNOTATION.sub(lambda m: " " * len(m.group(0)), text)
        if taken:
            chars = list(masked)
            for a, b in taken:
                chars[a:b] = " " * len(chars[a:b])
            masked = "".join(chars)
        for start, stray in _stray_pinyin(masked):
            spots.append(Mojibake(line.number, start + 1, stray, None))
    return _merge_runs(sorted(spots, key=lambda s: (s.line, s.col)), lines)


def _merge_runs(spots: list[Mojibake], lines: Iterable[Line]) -> list[Mojibake]:
    """Unrepairable spots a few characters apart on one line, reported as one run."""
    texts = {line.number: line.text for line in lines}
    merged: list[Mojibake] = []
    # Where the debris of merged[-1] ends; it is cut from the line once its run is complete
    # (cut again at every spot it took in, a long run was quadratic).
    end = 0
    grown = False
    for spot in spots:
        prev = merged[-1] if merged else None
        if prev is not None and prev.line == spot.line and prev.repair is None and spot.repair is None:
            gap = texts.get(spot.line, "")[end : spot.col - 1]
            if len(gap) <= _RUN_GAP and not re.search(r"[，。；：、！？,.;:!\s“”]", gap):
                end = spot.col - 1 + len(spot.debris)
                grown = True
                continue
        if grown and prev is not None:
            merged[-1] = replace(prev, debris=texts[prev.line][prev.col - 1 : end])
        grown = False
        merged.append(spot)
        end = spot.col - 1 + len(spot.debris)
    if grown:
        merged[-1] = replace(merged[-1], debris=texts[merged[-1].line][merged[-1].col - 1 : end])
    return merged


def mark_mojibake(lines: Iterable[Line], spots: Iterable[Mojibake]) -> list[Line]:
    """Replace each spot by its repair, or by 〓 where no repair is sure."""
    by_line: dict[int, list[Mojibake]] = {}
    for spot in spots:
        by_line.setdefault(spot.line, []).append(spot)
    out = []
    for line in lines:
        ordered = sorted(by_line.get(line.number, []), key=lambda s: -s.col)
        out.append(replace(line, text=_replaced(line.text, ordered)) if ordered else line)
    return out


def _replaced(text: str, spots: list[Mojibake]) -> str:
    """``text`` with each of ``spots`` (last first) replaced in turn, as
    ``text = text[:start] + repair + text[start + len(debris):]`` one after the other does,
    overlapping spots included, but without copying the line once per spot (quadratic for
    a long line full of debris). The text after ``cut`` is kept as pieces, the first last."""
    if any(spot.col < 1 or spot.col - 1 + len(spot.debris) > len(text) for spot in spots):
        for spot in spots:  # not found in this text: the plain way
            start = spot.col - 1
            text = text[:start] + (spot.repair or MISSING) + text[start + len(spot.debris) :]
        return text
    tail: list[tuple[str, int, int]] = []
    cut = len(text)
    for spot in spots:
        start = spot.col - 1
        end = start + len(spot.debris)
        if end < cut:
            tail.append((text, end, cut))
        else:
            drop = end - cut  # the debris reaches into what earlier repairs left
            while drop and tail:
                piece, a, b = tail.pop()
                if b - a > drop:
                    tail.append((piece, a + drop, b))
                    drop = 0
                else:
                    drop -= b - a
        repair = spot.repair or MISSING
        tail.append((repair, 0, len(repair)))
        cut = start
    return text[:cut] + "".join(piece[a:b] for piece, a, b in reversed(tail))


# --- watermarks and page footers --------------------------------------------------------

_WATERMARK = re.compile(
    r"[(（]\s*(?:来源|來源)[于於自][^()（）\n]{1,30}[)）]"
    r"|[(（]\s*(?:本文来自|本文來自|转载自|轉載自)[^()（）\n]{1,30}[)）]"
    r"|(?:https?://)?www\.[a-z0-9.-]+\.[a-z]{2,}(?:/\S*)?"
)
_ONLY_PUNCTUATION = re.compile(r"^[\s,，;；.。、:：]*$")


# _WATERMARK in two: its bracketed notes, and where an address of its can start.
_BRACKETED_WATERMARK = re.compile(_WATERMARK.pattern.rsplit("|", 1)[0])
_ADDRESS_START = re.compile(r"(?:https?://)?www\.")
_HOST_RUN = re.compile(r"[a-z0-9.-]+")
_DOMAIN_DOT = re.compile(r"\.(?=[a-z]{2})")
_LETTERS = re.compile(r"[a-z]*")
_PATH = re.compile(r"/\S*")


class _Addresses:
    r"""The matches of _WATERMARK's last branch, ``(?:https?://)?www\.[a-z0-9.-]+\.[a-z]{2,}
    (?:/\S*)?``, found without its backtracking: from every "www." in a long run of host
    characters with no ".xx" in it ("www.1" * 40,000) the pattern scanned to the end of the
    run and back (quadratic). The address ends at the last "." of the run that two letters
    follow (and the letters, and a path), so the runs and those dots are listed once."""

    def __init__(self, text: str) -> None:
        self.text = text
        runs = [m.span() for m in _HOST_RUN.finditer(text)]
        self.run_starts = [a for a, _ in runs]
        self.runs = runs
        self.dots = [m.start() for m in _DOMAIN_DOT.finditer(text)]

    def search(self, pos: int) -> tuple[int, int] | None:
        """The span of the first address at or after ``pos``."""
        text = self.text
        while (start := _ADDRESS_START.search(text, pos)) is not None:
            host = start.end()
            at = bisect.bisect_right(self.run_starts, host) - 1
            if at >= 0 and self.runs[at][0] <= host < self.runs[at][1]:
                run_end = self.runs[at][1]
                last = bisect.bisect_left(self.dots, run_end) - 1  # the last such dot in the run
                if last >= 0 and self.dots[last] > host:
                    letters = _LETTERS.match(text, self.dots[last] + 1)  # [a-z]*: always matches
                    end = letters.end() if letters else self.dots[last] + 1
                    path = _PATH.match(text, end)
                    return start.start(), path.end() if path else end
            pos = start.start() + 1
        return None


def remove_watermarks(text: str) -> tuple[str, int]:
    """Remove website watermarks like "(來源於新世紀範本網)".

    ``_WATERMARK.subn("", text)``: its bracketed notes (of bounded length) by the pattern,
    its web addresses by _Addresses; no position starts both, so the first of the two next
    matches is the pattern's.
    """
    if "www." not in text:
        return _BRACKETED_WATERMARK.subn("", text)
    addresses = _Addresses(text)
    parts: list[str] = []
    count = pos = 0
    note = _BRACKETED_WATERMARK.search(text, pos)
    address = addresses.search(pos)
    while note is not None or address is not None:
        if address is None or (note is not None and note.start() < address[0]):
            assert note is not None
            span = note.span()
        else:
            span = address
        parts.append(text[pos : span[0]])
        pos = span[1]
        count += 1
        if note is not None and note.start() < pos:
            note = _BRACKETED_WATERMARK.search(text, pos)
        if address is not None and address[0] < pos:
            address = addresses.search(pos)
    parts.append(text[pos:])
    return "".join(parts), count


_DASH = "—–－\\-"
_FOOTER_LINE = re.compile(rf"^\s*[{_DASH}]{{1,2}}\s*\d{{1,3}}\s*[{_DASH}]{{1,2}}\s*$")
_FOOTER_END = re.compile(rf"(?<![\d{_DASH}])\s*[{_DASH}]{{1,2}}\s*\d{{1,3}}\s*[{_DASH}]{{1,2}}\s*$")
# _FOOTER_END without its leading spaces: searched for first (see _remove_footer_end).
_FOOTER_CORE = re.compile(rf"[{_DASH}]{{1,2}}\s*\d{{1,3}}\s*[{_DASH}]{{1,2}}\s*$")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence (so the next line is a new paragraph)."""
    text = text.rstrip().rstrip(_CLOSERS)
    return bool(text) and text[-1] in _TERMINAL


def _remove_footer_end(text: str) -> tuple[str, int]:
    r"""``_FOOTER_END.subn("", text)``, in linear time: searched from every character, the
    pattern's leading ``\s*`` rescanned a run of spaces from each of its characters (a line
    of 200,000 spaces took minutes). The footer can only start in the spaces before a place
    where the rest of it matches, so only their first two characters are tried there.
    """
    pos = 0
    while (core := _FOOTER_CORE.search(text, pos)) is not None:
        start = core.start()
        while start > pos and text[start - 1].isspace():
            start -= 1
        for at in (start, start + 1):
            if at <= core.start() and _FOOTER_END.match(text, at):
                return text[:at], 1
        pos = core.start() + 1
    return text, 0


def remove_footers(lines: Iterable[Line]) -> tuple[list[Line], int]:
    """Remove page footers ("—1—", "— 2 —", "-3-", also glued to a line's end) and join
    the sentence a page break split."""
    out: list[Line] = []
    count = 0
    broken = False  # the last kept line was cut by a page break
    for line in lines:
        if _FOOTER_LINE.match(line.text):
            count += 1
            broken = bool(out) and not ends_sentence(out[-1].text)
            continue
        text, n = _remove_footer_end(line.text)
        if broken and text.strip():
            out[-1] = replace(out[-1], text=out[-1].text.rstrip() + text.strip())
        elif text.strip() or not n:
            out.append(replace(line, text=text))
        count += n
        if text.strip():
            broken = bool(n) and not ends_sentence(text)
    return out, count


# --- broken lines -----------------------------------------------------------------------

_VOLUME_MARKER = re.compile(r"^第[一二三四五六七八九十\d]+篇\s*[:：]")


def is_volume_marker(text: str) -> bool:
    """A "第一篇:" line that starts one of several documents in a file."""
    return bool(_VOLUME_MARKER.match(text.strip()))


def _is_block_start(text: str) -> bool:
    stripped = text.strip()
    return (
        parse_heading(stripped) is not None
        or is_volume_marker(stripped)
        or parse_written_date(stripped) is not None
        or stripped.startswith("*")
        or bool(re.match(r"[一二三四五六七八九十]是", stripped))  # "一是……" starts a point of its own
    )


_PROSE_MARK = re.compile("[，,。；;]")  # a line holding one of these is prose, not a title


# How much of a paragraph's start and end the next join looks at (_Paragraph): a heading
# number, a "第一篇：" or a sentence's closing marks are a few characters long. Only a
# heading number with more spaces inside it than this (a "一、" and 300 spaces) is judged
# otherwise than from the whole text.
_SEEN = 256


class _Paragraph:
    """A line join_broken_lines is building: the wrapped lines it joined, and what deciding
    the next join reads of them. Adding each line to the whole text, and reading the whole
    again, was quadratic in the lines of one paragraph (160,000 wrapped lines, 10 MB, took
    ``fedplan import`` 17 s, 4.5 s now): the text is joined once, at the end, and the next line is
    judged from the paragraph's first and last _SEEN characters and whether the rest holds
    a "。" or a comma (what the rules below ask of all of it)."""

    __slots__ = ("head", "line", "mark_after", "parts", "size", "stop_after", "tail")

    def __init__(self, line: Line, text: str) -> None:
        self.line = line
        self.parts = [text]
        self.head, self.tail, self.size = text[:_SEEN], text[-_SEEN:], len(text)
        rest = text[_SEEN:]
        self.stop_after = "。" in rest  # (after head)
        self.mark_after = _PROSE_MARK.search(rest) is not None

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        rest = text
        if len(self.head) < _SEEN:
            grown = self.head + text
            self.head, rest = grown[:_SEEN], grown[_SEEN:]
        self.stop_after = self.stop_after or "。" in rest
        self.mark_after = self.mark_after or _PROSE_MARK.search(rest) is not None
        self.tail = (self.tail + text[-_SEEN:])[-_SEEN:]

    def takes(self, text: str) -> bool:
        """Whether ``text`` (a stripped line, not blank) continues this paragraph."""
        head = self.head
        if not head or is_volume_marker(head) or _is_block_start(text):
            return False
        heading = heading_at(head)
        whole = self.size == len(head)  # (else there is text after the head: not bare)
        if heading is not None and whole and not head[heading.end :].strip():
            return True  # a bare "(1)" and its paragraph
        if heading is not None and not ("。" in head[heading.end :] or self.stop_after):
            return len(text) <= 12 and not re.search(r"[，,。；;：:、]", text)
        prose = heading is not None or _PROSE_MARK.search(head) is not None or self.mark_after
        return prose and not ends_sentence(self.tail)

    def made(self) -> Line:
        return replace(self.line, text=self.parts[0] if len(self.parts) == 1 else "".join(self.parts))


def join_broken_lines(lines: Iterable[Line]) -> list[Line]:
    """Join lines a hard wrap split: a bare "(1)" with its paragraph, a heading with its
    short continuation, and a paragraph that stops mid-sentence with the line after it.
    In time linear in the text (see _Paragraph)."""
    out: list[_Paragraph] = []
    for line in lines:
        text = line.text.strip()
        if out and text and out[-1].takes(text):
            out[-1].add(text)
        else:
            out.append(_Paragraph(line, text))
    return [paragraph.made() for paragraph in out if paragraph.size]


# --- web page furniture ------------------------------------------------------------------

# Lines a share site or a portal puts around a document: counters ("- 0", "• 21"), sizes
# ("- 约4.4千字", "约 9页"), "- 2026-02-27 发布于四川", "- 举报", breadcrumbs ("首页 > 文章中心 >
# 正文"), bylines and dates of web publication ("时间:2023-01-31 12:23:52", "发布日期：…
# 信息来源：…"), and the site's own blurbs ("下面是小编整理的…", "由会员分享，可在线阅读").
_FURNITURE_LINE = re.compile(
    r"^[-•·*]\s*\d{0,6}\s*$"
    r"|^[-•·*]?\s*约\s*[\d.]+\s*(?:千字|万字|字|页|頁)\s*$"
    r"|^[-•·*]?\s*\d{4}-\d{1,2}-\d{1,2}\s*(?:发布于|發布於)\S*\s*$"
    r"|^[-•·*]?\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?(?:\s+\S{1,8})?\s*$"
    r"|^[-•·*]?\s*(?:举报|舉報|分享|收藏|下载|下載|相关推荐|相關推薦|:::|横幅|橫幅|政府公开信息|政府公開資訊)\s*$"
    r"|^(?:首页|首頁|当前位置|當前位置|您的位置|您所在的位置|位置)\s*[:：>＞]"
    r"|^[^。，]{0,20}>\s*[^。，]{0,20}>"
    r"|^[-•·*]?\s*(?:时间|時間|发布时间|發布時間|发布日期|發布日期|发表时间|發表時間|更新时间|更新時間|更新日期|"
    r"点阅|點閱|浏览次数|瀏覽次數|阅读次数|閱讀次數|资料来源|資料來源|信息来源|信息來源|作者|栏目|欄目|"
    r"责任编辑|責任編輯|编辑|編輯|Upload|Post on)\s*[:：]"
    r"|^\d+\s*views?$"
    r"|^\S{1,20}\s+\d{4}-\d{1,2}-\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?$"
    r"|^【(?:概述|正文|摘要)】$"
)
_BLURB = re.compile(
    r"小编|小編|本站为你|本站為你|范文网|範文網|范文網|好范文|供大家参考|供大家參考|供大家閱讀參考|"
    r"欢迎阅读|歡迎閱讀|欢迎咨询|歡迎咨詢|我要投稿|加入收藏|推荐度|推薦度|由会员分享|由會員分享|"
    r"可在线阅读|可在線閱讀|预计阅读时长|預計閱讀時長|记住我|記住我|继续免费阅读|繼續免費閱讀"
)
# Inside a line: a share site's file-type tags and chunk banners glued to the text.
# The spaces before a tag are taken from where their run starts ((?<!\s)\s+): tried from
# every space of a run, a leading \s* rescanned the rest of it (a line of 200,000 spaces
# took minutes). A tag found from inside a run is found from its start, and no match ends
# inside a run of spaces.
_FURNITURE_INLINE = re.compile(
    r"(?:(?<!\s)\s+)?(?:[(（]\d{1,3}[)）]\s*)?\.(?:docx?|pdf|wps|txt)(?:VIP)?(?=\s|$)"
    r"|^-?精品\S{0,6}推荐-?\s*"
    r"|本文具有广泛通用性[^。]{0,30}。\s*|本文具有廣泛通用性[^。]{0,30}。\s*"
)


def is_furniture(text: str) -> bool:
    """A line that a web page put around the document, not part of what its authors wrote."""
    stripped = text.strip()
    if not stripped:
        return False
    if _FURNITURE_LINE.search(stripped):
        return True
    return bool(_BLURB.search(stripped)) and len(stripped) < 400


def remove_furniture(lines: Iterable[Line]) -> tuple[list[Line], int]:
    """Drop page furniture lines and the file-type tags glued to a title ("….docxVIP")."""
    out: list[Line] = []
    count = 0
    for line in lines:
        if is_furniture(line.text):
            count += 1
            continue
        text, n = _FURNITURE_INLINE.subn("", line.text)
        count += n
        if n and not text.strip():
            continue
        out.append(replace(line, text=text) if n else line)
    return out, count


# A share site cuts a document into chunks and numbers them "1、" "2、" at the start of
# each, even in the middle of a word ("…整治环境。街\n2、道办事处…"). Chunks are long; a
# list item that the author numbered is short or ends its sentence before the next.
_CHUNK = re.compile(r"^(\d{1,3})、")
_CHUNK_MIN = 60


def join_chunk_markers(lines: Iterable[Line]) -> tuple[list[Line], int]:
    """Remove a share site's chunk numbers and join the words they split."""
    lines = list(lines)
    marked = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _CHUNK.match(line.text.strip()))]
    numbers = [n for _, n in marked]
    if len(marked) < 2 or numbers != list(range(1, len(marked) + 1)):
        return lines, 0
    cuts = 0
    for i, _ in marked[1:]:
        before = lines[i - 1].text.rstrip() if i else ""
        if len(before) >= _CHUNK_MIN and not ends_sentence(before) and _is_han(before[-1:] or "x"):
            cuts += 1
    if not cuts:
        return lines, 0
    out: list[Line] = []
    starts = {i for i, _ in marked}
    for i, line in enumerate(lines):
        if i not in starts:
            out.append(line)
            continue
        text = _CHUNK.sub("", line.text.strip(), count=1)
        first = i == marked[0][0]
        if not first and out and not ends_sentence(out[-1].text):
            out[-1] = replace(out[-1], text=out[-1].text.rstrip() + text)
        else:
            out.append(replace(line, text=text))
    return out, len(marked)


# --- headings in the middle of a line ---------------------------------------------------

# Where a heading can start inside a line: after a sentence ends, after a space, or after
# a title that runs into it ("……工作计划一、指导思想").
_TITLE_END = "|".join(("计划", "計劃", "计画", "計畫", "要点", "要點", "总结", "總結", "安排", "思路", "方案",
                       "汇报", "匯報", "报告", "報告"))
_INLINE_MARK = re.compile(
    r"(?:(?<=[。；！？：\s])|(?<=[。；！？：][”’」』])|(?<=" + _TITLE_END + "))"
    r"(?=[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|"
    r"\d{1,2}\s*(?:[.．](?!\d)|、)|第[一二三四五六七八九十\d]{1,3}(?:章|部分)|[壹貳贰參叁肆伍陸陆柒捌玖拾]、|[①-⑳])"
)
# A heading title that runs into its first item with no punctuation: "二、工作重点1、确保…".
_FIRST_ITEM = re.compile(rf"(?<=[{HAN}])(?=1\s*(?:[.．](?!\d)|、)[{HAN}])")


# What ends a heading's title: one that runs into its first item has none before the 1.
_TITLE_STOP = re.compile("[，。；,;：:]")
_VISIBLE = re.compile(r"\S")


class _Next:
    """Where ``pattern`` next matches in ``text``, at or after a position. The places a
    line's headings ask about come in order, so a search goes on from where the last one
    found its match instead of scanning the rest of the line again for each heading (which
    was quadratic in a long line of short headings). Right only for patterns whose matches
    start at the same places wherever a search starts: one character, or a lookaround."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self._pattern = pattern
        self._text = text
        self._searched_from = len(text) + 1  # nothing searched yet
        self._found: int | None = None

    def at_or_after(self, pos: int) -> int | None:
        if pos < self._searched_from or (self._found is not None and self._found < pos):
            match = self._pattern.search(self._text, pos)
            self._searched_from = pos
            self._found = None if match is None else match.start()
        return self._found


def _count(last: dict[int, int], heading: HeadingAt) -> None:
    """Note ``heading`` as the latest of its level; the levels under it start again."""
    last[heading.level] = heading.number
    for deeper in [level for level in last if level > heading.level]:
        del last[deeper]


def _take(text: str, heading: HeadingAt, cuts: set[int], last: dict[int, int],
          stops: _Next, items: _Next) -> None:
    """Count ``heading`` (found in ``text``) and cut before a first item its title runs into:
    a "1、" after a Han character of the title (not its first), with no punctuation before it."""
    _count(last, heading)
    rest = heading.end
    if heading.level >= 3 or rest >= len(text):
        return
    first = items.at_or_after(rest + 1)  # _FIRST_ITEM looks behind: not at the title's start
    if first is None:
        return
    stop = stops.at_or_after(rest)
    if stop is None or stop > first:
        item = heading_at(text, first)
        if item is not None:
            cuts.add(first)
            _count(last, item)


def split_inline_headings(lines: Iterable[Line]) -> list[Line]:
    """A whole outline written on one line ("…工作要点 一、继续推进… 1. 加强法律宣传：… 2. …
    二、…") becomes one line per heading. A cut is made only where a numbered heading
    can start and its number comes next in its sequence (or restarts at 1); a heading
    title that runs into its first item ("二、工作重点1、确保…") is cut before the 1.

    Headings are read where they stand in the line (heading_at), not from copies of the
    rest of it, and each search for a title's end goes on from the last: linear in the line."""
    out: list[Line] = []
    last: dict[int, int] = {}
    for line in lines:
        text = line.text
        opening = heading_at(text)
        if opening is None and len(text) < 8:
            out.append(line)
            continue
        cuts = {0}
        stops, items = _Next(_TITLE_STOP, text), _Next(_FIRST_ITEM, text)
        if opening is not None:
            _take(text, opening, cuts, last, stops, items)
        for match in _INLINE_MARK.finditer(text):
            at = match.start()
            if at in cuts:
                continue
            heading = heading_at(text, at)
            if heading is None or _VISIBLE.search(text, heading.end) is None:
                continue
            if heading.number in (1, last.get(heading.level, 0) + 1):
                cuts.add(at)
                _take(text, heading, cuts, last, stops, items)
        ends = sorted(cuts)
        for a, b in zip(ends, [*ends[1:], len(text)], strict=True):
            piece = text[a:b].strip()
            if piece:
                out.append(replace(line, text=piece))
    return out


# --- punctuation, digits and script -----------------------------------------------------

_FULLWIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ASCII.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ASCII.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ASCII[ord("％")] = ord("%")
_FULLWIDTH_ASCII[0xA0] = ord(" ")


def normalize_punctuation(text: str) -> str:
    """An imported line as documents write it: full-width digits, Latin letters and ％ made
    half-width, no-break spaces plain, the line trimmed; then the one half→full-width rule
    (fedplan.punctuation, the line being Chinese prose); 苏发[2000]23号 → 苏发〔2000〕23号."""
    text = text.translate(_FULLWIDTH_ASCII).strip(" \t\u3000")
    text = fullwidth(text, prose=True)
    # Document numbers take hexagonal brackets: 苏发〔2000〕23号.
    return re.sub(rf"(?<=[{HAN}])\[(\d{{4}})\]", r"〔\1〕", text)


def detect_script(text: str) -> str:
    """"hant" if ``text`` is written in Traditional characters, else "hans".

    Counts the Chinese characters that only exist in Traditional (those t2s changes); a
    few per cent is Traditional text, since common words like 個 說 會 are everywhere.
    """
    han = [c for c in text if _is_han(c)]
    if not han:
        return "hans"
    t2s = converter("t2s")
    traditional = {c for c in set(han) if t2s(c) != c}
    share = sum(c in traditional for c in han) / len(han)
    return "hant" if share > 0.05 else "hans"


def to_script(text: str, script: str, *, source: str = "hant") -> str:
    """``text``, written in the ``source`` script, in ``script``: "hans" (简体) or "hant" (繁體).

    Traditional → Simplified uses OpenCC's tw2s, not t2s: the legacy files write 著 for
    the particle 着 (著力, 影响著), which t2s keeps and tw2s turns into 着. Simplified →
    Traditional uses s2tw, which keeps 考核 (s2t writes 考覈). Text already in ``script``
    is left alone: tw2s would turn the 著 of Simplified 显著 into 着.
    """
    if script == source:
        return text
    config = "s2tw" if script == "hant" else "tw2s"
    return converter(config)(text)


# --- the whole pass ---------------------------------------------------------------------


def clean(text: str, *, script: str = "hans") -> Cleaned:
    """Every cleaning step in order; mojibake is found on the raw text so places are exact."""
    source_script = detect_script(text)
    raw = split_lines(text)
    spots = find_mojibake(raw)
    lines = mark_mojibake(raw, spots)
    removed = {"pinyin": 0, "watermark": 0, "footer": 0, "furniture": 0, "chunk": 0}
    kept = []
    for line in lines:
        stripped, n_pinyin = strip_pinyin(line.text)
        unmarked, n_mark = remove_watermarks(stripped)
        removed["pinyin"] += n_pinyin
        removed["watermark"] += n_mark
        if n_mark and _ONLY_PUNCTUATION.match(unmarked):
            continue
        kept.append(replace(line, text=unmarked))
    kept, removed["furniture"] = remove_furniture(kept)
    kept, removed["chunk"] = join_chunk_markers(kept)
    kept, removed["footer"] = remove_footers(kept)
    joined = join_broken_lines(kept)
    normal = [replace(line, text=normalize_punctuation(line.text)) for line in joined]
    final = [replace(line, text=to_script(line.text, script, source=source_script))
             for line in split_inline_headings(normal)]
    return Cleaned(tuple(line for line in final if line.text), tuple(spots), removed, source_script)
