"""The seeded zh–en corpus generator behind ``common.generate`` (see bench/common.py).

:class:`PairGenerator` yields realistic zh–en pairs whose English carries the
machine-translation damage the cleaner repairs, plus text that must survive untouched;
:class:`GenParams` holds everything that determines them, and its hash names the cached files.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[1] / "corpus" / "samples" / "glossary.tsv"

# Part of the cache key, with this file's own bytes (so editing the generator never reuses stale files).
GENERATOR_VERSION = 1

# --- phrase lists (zh, en): seeded from the sample corpus's vocabulary -----------------

SUBJECTS = (
    ("海南省", "Hainan Province"), ("杭州市政府", "the Hangzhou municipal government"),
    ("本次论坛", "the forum"), ("与会代表", "the representatives at the meeting"),
    ("各国政府", "governments of various countries"), ("该公司", "the company"),
    ("区块链技术", "blockchain technology"), ("数字经济", "the digital economy"),
    ("人工智能", "artificial intelligence"), ("这一倡议", "the initiative"),
    ("许多企业", "many enterprises"), ("专家学者", "experts and scholars"),
    ("中国政府", "the Chinese government"), ("地方政府", "local governments"),
    ("该项目", "the project"), ("这份报告", "the report"), ("海口市", "Haikou"),
    ("新加坡", "Singapore"), ("迪拜区块链中心", "the Dubai Blockchain Center"),
)
PREDICATES = (
    ("推动了{}的发展", "promoted the development of {}"), ("将加快{}", "will accelerate {}"),
    ("高度重视{}", "attached great importance to {}"), ("吸引了{}", "attracted {}"),
    ("深刻改变了{}", "profoundly changed {}"), ("积极探索{}", "actively explored {}"),
    ("宣布将支持{}", "announced that it will support {}"), ("发布了{}", "released {}"),
    ("签署了关于{}的合作协议", "signed a cooperation agreement on {}"),
    ("加强了{}", "strengthened {}"), ("为{}提供了新的机遇", "provided new opportunities for {}"),
    ("开始建设{}", "started building {}"), ("将继续推进{}", "will continue to advance {}"),
)
OBJECTS = (
    ("数字金融", "digital finance"), ("产业振兴", "industrial revitalization"),
    ("全球治理体系", "the global governance system"), ("跨境支付", "cross-border payments"),
    ("人类的生产和生活方式", "the production and lifestyle of human beings"),
    ("技术研究和人才培养", "technical research and talent training"),
    ("区块链基础设施", "blockchain infrastructure"), ("国际合作", "international cooperation"),
    ("数据安全", "data security"), ("实体经济", "the real economy"), ("智慧城市", "smart cities"),
    ("创新创业", "innovation and entrepreneurship"), ("供应链金融", "supply chain finance"),
    ("数字化转型", "digital transformation"), ("100多家企业", "more than 100 enterprises"),
    ("来自多个国家和地区的部长级代表", "ministerial representatives from many countries and regions"),
    ("3.5亿元的投资", "an investment of 3.5 billion yuan"), ("监管沙盒", "a regulatory sandbox"),
)
OPENERS = (
    ("12月5日", "On December 5"), ("去年", "Last year"), ("近年来", "In recent years"),
    ("就在前一天", "Just the day before"), ("2018年3月", "In March 2018"),
    ("与此同时", "At the same time"), ("据介绍", "According to reports"),
    ("今年上半年", "In the first half of this year"),
)
TAILS = (
    ("成为国内区块链领域最为集中的区域之一", "becoming one of the most concentrated areas in the domestic blockchain field"),
    ("并取得了显著成效", "and achieved remarkable results"), ("增长率达到12.5%", "with a growth rate of 12.5%"),
    ("详情见www.8btc.com", "see www.8btc.com for details"), ("受到各方广泛关注", "attracting wide attention from all parties"),
    ("引起了全球投资者的兴趣", "arousing the interest of investors around the world"),
)
QUOTED = (("一带一路", "Belt and Road"), ("数字丝绸之路", "Digital Silk Road"),
          ("最多跑一次", "Run at Most Once"), ("21世纪海上丝绸之路", "21st Century Maritime Silk Road"))
IS_WHAT = (("全球首个区块链部长级论坛", "the world's first blockchain ministerial forum"),
           ("亚洲最大的金融科技活动之一", "one of the largest fintech events in Asia"),
           ("国际合作的重要平台", "an important platform for international cooperation"))
FRAGMENTS = ("Eyes.", "Important agenda.", "Transformation.", "Many cooperations.", "Development;")
LIST_VERBS = (("打造", "create"), ("完善", "improve"), ("推进", "promote"), ("建立", "establish"))
FURNITURE = (("热门搜索关键词", "Hot search keywords"), ("请先登录", "Please sign in first"),
             ("原视频可在此处找到。", "Original video could be found here."), ("分享到微信", "Share to WeChat"),
             ("返回首页", "Back to home page"), ("扫描二维码关注我们", "Scan the QR code to follow us"))


@dataclass(frozen=True)
class GenParams:
    """Everything that determines a generated corpus; its hash names the cached files.

    Rates are per line (``furniture``, ``image``, ``list_item``) or per sentence (the rest).
    """

    lines: int
    seed: int = 20191205
    words: int = 25
    furniture: float = 0.02
    image: float = 0.01
    list_item: float = 0.04
    glossary: float = 0.3
    forbidden: float = 0.5
    quote: float = 0.12
    is_split: float = 0.06
    fragment: float = 0.08
    no_space: float = 0.08
    comma_capital: float = 0.06
    double_space: float = 0.08
    space_before: float = 0.08
    zh_punct: float = 0.08
    version: int = GENERATOR_VERSION

    def key(self) -> str:
        """Content hash of the parameters, the glossary it reads and the generator's source."""
        blob = json.dumps(asdict(self), sort_keys=True).encode() + GLOSSARY.read_bytes() + Path(__file__).read_bytes()
        return hashlib.sha256(blob).hexdigest()[:12]


@dataclass(frozen=True)
class Corpus:
    """A generated corpus: the zh–en TSV and its English column, same line count."""

    params: GenParams
    tsv: Path
    english: Path

    @property
    def lines(self) -> int:
        return self.params.lines


def load_glossary(path: Path = GLOSSARY) -> list[tuple[str, str, tuple[str, ...]]]:
    """(zh, approved en, forbidden variants) rows of a glossary TSV (header ``zh en forbidden note``)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        # Verb entries (`organized by`) make no sense as subjects.
        if len(cols) >= 2 and cols[0] and cols[1] and not cols[1].endswith(" by"):
            forbidden = tuple(v.strip() for v in cols[2].split(" | ") if v.strip()) if len(cols) > 2 else ()
            rows.append((cols[0], cols[1], forbidden))
    return rows


class PairGenerator:
    """Seeded source of (zh, en) lines; same parameters, same lines, on every machine."""

    def __init__(self, params: GenParams, glossary: Sequence[tuple[str, str, tuple[str, ...]]]) -> None:
        self.p = params
        self.rng = random.Random(params.seed)
        self.glossary = list(glossary)

    def lines(self) -> Iterator[tuple[str, str]]:
        for _ in range(self.p.lines):
            yield self.line()

    def line(self) -> tuple[str, str]:
        """One line: rarely web furniture or an image file name, else ~``words`` English words."""
        r, p = self.rng.random(), self.p
        if r < p.furniture:
            return self.rng.choice(FURNITURE)
        if r < p.furniture + p.image:
            name = f"WX2019{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}-{self.rng.randint(0, 235959):06d} @ 2x"
            return name, name  # scraped screenshot name, identical on both sides
        zh, en, words = [], "", 0
        if self.rng.random() < p.list_item:
            n, (vz, ve) = self.rng.randint(1, 9), self.rng.choice(LIST_VERBS)
            oz, oe = self.rng.choice(OBJECTS)
            zh.append(f"{n}.{vz}{oz}；")
            en = f"{n}.To {ve} {oe};" if self.rng.random() < 0.5 else f"{n}. To {ve} {oe};"
            words = en.count(" ") + 1
        target = self.rng.randint(p.words - 10, p.words - 2)  # the last sentence overshoots
        while words < target:
            sz, se = self.sentence()
            zh.append(sz)
            en = self.join(en, se)
            words = en.count(" ") + 1
        return "".join(zh), self.spoil(en)

    def sentence(self) -> tuple[str, str]:
        """One parallel sentence, possibly with a garbled quote or a ``. , Is`` split."""
        rng, p = self.rng, self.p
        sz, se = self.subject()
        if rng.random() < 0.3:
            oz, oe = rng.choice(OPENERS)
            sz, se = f"{oz}，{sz}", f"{oe}, {se}"
        if rng.random() < p.quote:
            qz, qe = rng.choice(QUOTED)
            quoted = f'the" {qe} "' if rng.random() < 0.7 else f'the "{qe}"'
            return f"{sz}与“{qz}”沿线国家开展合作。", f"{_cap(se)} cooperated with countries along {quoted}."
        tz, te = rng.choice(PREDICATES)
        oz, oe = rng.choice(OBJECTS)
        zh, en = f"{sz}{tz.format(oz)}", f"{_cap(se)} {te.format(oe)}"
        if rng.random() < p.is_split:
            wz, we = rng.choice(IS_WHAT)
            return f"{zh}，是{wz}。", f"{en}. , Is {we}."
        if rng.random() < 0.35:
            az, ae = rng.choice(TAILS)
            ae = _cap(ae) if rng.random() < p.comma_capital / 0.35 else ae
            return f"{zh}，{az}。", f"{en}, {ae}."
        return f"{zh}。", f"{en}."

    def subject(self) -> tuple[str, str]:
        """A subject; sometimes a glossary term, then sometimes in a forbidden rendering."""
        if self.glossary and self.rng.random() < self.p.glossary:
            zh, approved, forbidden = self.rng.choice(self.glossary)
            if forbidden and self.rng.random() < self.p.forbidden:
                return zh, self.rng.choice(forbidden)
            return zh, approved
        return self.rng.choice(SUBJECTS)

    def join(self, text: str, sentence: str) -> str:
        """Append a sentence: sometimes without a space (``initiative.Chinese``) or after a fragment."""
        if not text:
            return sentence
        if self.rng.random() < self.p.fragment and text.endswith("."):
            text = f"{text} {self.rng.choice(FRAGMENTS)}"
        if self.rng.random() < self.p.no_space and text.endswith("."):
            return text + sentence
        return f"{text} {sentence}"

    def spoil(self, en: str) -> str:
        """Line-level spacing and punctuation damage: doubled spaces, `` ,``, Chinese punctuation."""
        rng, p = self.rng, self.p
        if rng.random() < p.double_space:
            en = _at_random(rng, en, " ", "  ")
        if rng.random() < p.space_before:
            en = _at_random(rng, en, ",", " ,") if "," in en else en[:-1] + " " + en[-1]
        if rng.random() < p.zh_punct:
            choice = rng.randrange(3)
            if choice == 0 and ", " in en:
                en = _at_random(rng, en, ", ", "，")
            elif choice == 1:
                en = en[:-1] + "。" if en.endswith(".") else en + "。"
            else:
                en = f"{en} （Port）" if rng.random() < 0.5 else f"{en} See 《Blockchain White Paper》."
        return en


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _at_random(rng: random.Random, text: str, old: str, new: str) -> str:
    """Replace one occurrence of ``old``, chosen at random, by ``new``."""
    starts = [k for k in range(len(text)) if text.startswith(old, k)]
    if not starts:
        return text
    k = rng.choice(starts)
    return text[:k] + new + text[k + len(old):]
