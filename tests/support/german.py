"""German everywhere (issue 13): the words of a rendered page that are English.

What a person reads on our pages is German; what documents say (OCR text, snippets, file
names, a person's own reason) may be any language. Templates mark such content with the
HTML attribute `translate="no"` (its meaning in HTML: not to be translated, the page's own
words are); the check reads every visible text node outside those subtrees, plus the
placeholders, titles and labels a browser shows, and reports the English words among them.

The list holds words that are English and not German too (no "Name", "Team", "Status",
"Text", "Code", "Scan", "Person", "Zone", "Upload", nor "in", "an", "was", "will"), and the English of what the issue found on the pages.
"""

from __future__ import annotations

import re

_WORDS = """
about after all already and any are as at be been before but by can cannot could does
done each error failed file files for found from has have if into is it its may might must
no none not of on only or other page pages please random sample should than that the their
then there these this those to were when where which who with would you your
valid invalid machine readable model inbox batch batches search pending
processing refused received released mismatch count missing unknown unsure guess confidence
document documents type types reason reasons user users assign assigned move moved undo
submit submitted cover sheet sheets quality control passed true false null nan yes
"""
ENGLISH = frozenset(_WORDS.split())

# every visible text node outside translate="no", and the attributes a person reads
_COLLECT = """() => {
  const out = [];
  const skip = el => el.closest('[translate="no"], script, style, noscript, template');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skip(el)) continue;
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden') continue;
    out.push(n.textContent);
  }
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label], [alt]')) {
    if (skip(el)) continue;
    for (const a of ['placeholder', 'title', 'aria-label', 'alt'])
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  out.push(document.title);
  return out;
}"""

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def english_words(texts: list[str]) -> list[str]:
    """The English words in `texts`, in order, each once (identifiers like doc_type ids and
    e-mail addresses are not words a person reads as language and are skipped)."""
    seen: list[str] = []
    for text in texts:
        for token in text.split():
            if "_" in token or "@" in token or "/" in token or "=" in token:
                continue  # an id, an address or a path, not prose
            for w in _WORD.findall(token):
                if w.lower() in ENGLISH and w.lower() not in seen:
                    seen.append(w.lower())
    return seen


def page_texts(page) -> list[str]:
    return page.evaluate(_COLLECT)


def assert_german(page, where: str = "") -> None:
    """Fail naming the English words a person reads on `page` (and the sentence around
    the first one, to find it in the template)."""
    texts = page_texts(page)
    found = english_words(texts)
    if found:
        first = next(t for t in texts if found[0] in t.lower().split()
                     or re.search(rf"\b{found[0]}\b", t, re.I))
        raise AssertionError(f"English on {where or page.url}: {found} "
                             f"(e.g. {first.strip()[:160]!r})")
