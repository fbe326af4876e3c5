"""spaCy component ``kibaru_compounds_v1``: keeps hyphenated compounds as one token.

The French tokenizer splits compounds it does not list ("libre-échange", "chef-lieu",
"état-major", "Bobo-Dioulasso", "Guinée-Bissau") into three tokens, and the parser then often
breaks the sentence there (measured: "l'accord de libre-échange proposé par la Sierra Leone"
came out as three roots). This component, placed first, merges ``word - word`` written without
spaces back into one token, except verb–pronoun inversions ("a-t-il", "dit-elle"), which the
tokenizer already keeps apart.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["merge_compounds"]

_CLITICS = frozenset({"il", "elle", "ils", "elles", "on", "je", "tu", "nous", "vous", "le", "la",
                      "les", "moi", "toi", "lui", "leur", "y", "en", "ci", "là", "t"})


def merge_compounds(doc: Doc) -> Doc:
    """Merge ``word - word`` chains with no whitespace into single tokens, in place."""
    spans = []
    i = 0
    n = len(doc)
    while i < n - 2:
        if doc[i].is_alpha and not doc[i].whitespace_:
            j = i
            while (j + 2 < n and doc[j + 1].text in ("-", "‐") and not doc[j + 1].whitespace_
                   and not doc[j].whitespace_ and doc[j + 2].text[:1].isalpha()
                   and doc[j + 2].lower_ not in _CLITICS):
                j += 2
                # "main-d’œuvre": an elided article glued to the next word
                if j + 1 < n and doc[j].text.endswith(("’", "'")) and not doc[j].whitespace_:
                    j += 1
            if j > i:
                spans.append(doc[i:j + 1])
                i = j + 1
                continue
        i += 1
    if spans:
        with doc.retokenize() as retok:
            for span in spans:
                retok.merge(span)
    return doc


@Language.component("kibaru_compounds_v1")
def compounds_component(doc: Doc) -> Doc:
    """spaCy component wrapper of :func:`merge_compounds`."""
    return merge_compounds(doc)
