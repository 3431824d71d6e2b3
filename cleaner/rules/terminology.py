"""Terminology: the workspace glossary, applied with the Chinese source in view."""

from __future__ import annotations

from mtmend.cleaner.rule import Context, register
from mtmend.corpus.model import Severity

GLOSSARY_RULE = "apply_glossary"


@register(GLOSSARY_RULE, category="Terminology/Wrong term", severity=Severity.MAJOR, auto=True, needs_source=True)
def apply_glossary(text: str, ctx: Context):
    """Replace forbidden renderings of glossary terms, flag missing approved ones.

    Needs the Chinese source and a glossary (``glossary.tsv`` in the workspace, or
    ``--glossary``). jieba, with the glossary's Chinese terms added to its dictionary,
    finds each term in the source (so 链上海南 is one term, not 链 + 上海 + 南). Where the
    English has a forbidden variant of a found term, it is replaced by the approved
    rendering — automatically for a name or a phrase (``Chain Shanghai South`` →
    ``On-chain Hainan``), as a suggestion for a single common word (``scene`` →
    ``application scenario``), which usually needs rewording. Where neither the approved
    rendering nor a variant appears, the term is flagged. Leaves alone terms whose
    Chinese is not in the source (``Hong Kong`` is right for 香港).

    >>> from mtmend.cleaner.config import CleanConfig
    >>> from mtmend.cleaner.glossary import Entry, Glossary
    >>> g = Glossary((Entry("学习强国", "Xuexi Qiangguo", ("Learning to Power",)),))
    >>> example(apply_glossary, "Source: Learning to Power", source="来源：学习强国", config=CleanConfig(glossary=g))
    'Source: Xuexi Qiangguo'
    """
    glossary = ctx.glossary
    if glossary is None:
        return ()
    return glossary.propose(ctx.source, text)
