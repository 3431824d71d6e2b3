"""One Chinese name rendered several ways in a document, found without a glossary (real WMT23 MT)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import defaultdict

from mtmend.cleaner.rules.names import name_variants


def _documents(shared):
    docs: dict[tuple, dict] = defaultdict(dict)
    with (shared / "mqm" / "wmt23_zhen_dev.tsv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            strip = lambda t: t.replace("<v>", "").replace("</v>", "")  # noqa: E731
            docs[(row["system"], row["doc"])].setdefault(row["globalSegId"], (strip(row["source"]), strip(row["target"])))
    return docs


def test_variants_found_in_real_mt_are_names(shared):
    found = {key: name_variants(pairs.values()) for key, pairs in _documents(shared).items()}
    groups = [g for gs in found.values() for g in gs]
    spellings = {w for g in groups for w, _ in g.renderings}
    assert {"Yonggang", "Yongkang"} <= spellings  # 郑永刚 in one system's article
    zh = {g.zh for g in groups}
    assert "郑永刚" in zh and "范明政" in zh
    # Every group is a transliterated name: never an English word, never a one-off pair.
    for g in groups:
        assert sum(n for _, n in g.renderings) >= 3 and all(w[0].isupper() for w, _ in g.renderings)
    # The other nine systems render 郑永刚 one way each: nothing to report there.
    jingji = [k for k in found if "jingji_guancha_bao" in k[1] and found[k]]
    assert len(jingji) <= 3


def test_filter_flags_the_minority_spelling(cli, monkeypatch, tmp_path):
    rows = "莫德罗说。\tModrow said.\n莫德罗访华。\tModerot visited China.\n莫德罗笑了。\tModrow smiled.\n他走了。\tHe left.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(rows.encode()), encoding="utf-8"))
    notes = tmp_path / "notes.jsonl"
    code, out, _ = cli("clean", "-", "--format", "tsv", "--annotations", notes)
    assert code == 0 and out == rows
    records = [json.loads(line) for line in notes.read_text(encoding="utf-8").splitlines()]
    flagged = [(r["line"], r["before"], r["suggestion"]) for r in records if r["rule"] == "flag_name_variants"]
    assert flagged == [(2, "Moderot", "Modrow")]
