"""Query normalisation: the abbreviations and spellings Dutch users type, made searchable."""

from __future__ import annotations

import re

# (pattern, expansion). Patterns are matched case-sensitively where case matters (OR vs "or").
_EXPANSIONS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\bO\.?R\.?(?=\W|$)"), "ondernemingsraad"),
    (re.compile(r"\bWOR\b", re.I), "Wet op de ondernemingsraden ondernemingsraad"),
    (re.compile(r"\bAVG\b|\bGDPR\b", re.I), "Algemene verordening gegevensbescherming AVG privacy"),
    (re.compile(r"\bAI[\s-]?act\b|\bAI[\s-]?verordening\b|\bEU[\s-]AI\b", re.I), "AI-verordening"),
    (re.compile(r"\bcao'?s?\b", re.I), "cao collectieve arbeidsovereenkomst"),
    (re.compile(r"\bmkb'?(ers?)?\b|\bMKB\b", re.I), "mkb midden- en kleinbedrijf"),
    (re.compile(r"\bzzp'?(ers?)?\b", re.I), "zzp zelfstandigen"),
    (re.compile(r"\b(personeels)?volgsyste(e)?m(en)?\b|\btracking\b|\bmonitoring\b|\bmonitoren\b", re.I),
     "personeelsvolgsysteem volgen monitoring controle"),
    (re.compile(r"\b(zat|zit|zaten|zitten)\b.*\bvoor\b|\bvoorzitten\b|\bvoorgezeten\b|\bwie leidde\b|"
                r"\bvoorzitter\b.*vergadering\b|vergadering\b.*\bvoorzitter\b", re.I),
     "voorzitter opent de vergadering"),
    (re.compile(r"\bPVT\b"), "personeelsvertegenwoordiging"),
    (re.compile(r"\bbaas\b|\bbazen\b", re.I), "werkgever"),
    (re.compile(r"\bpersoneel\b|\bmedewerkers?\b|\bwerknemers?\b", re.I), "werknemers werkenden"),
    (re.compile(r"\bchatgpt\b|\bgenai\b", re.I), "generatieve AI ChatGPT"),
    (re.compile(r"\bkunstmatige intelligentie\b|\bartifici[eë]le intelligentie\b", re.I), "AI"),
    (re.compile(r"\bKI\b"), "AI kunstmatige intelligentie"),
    (re.compile(r"\bWRR\b"), "Wetenschappelijke Raad voor het Regeringsbeleid WRR"),
    (re.compile(r"\bOESO\b|\bOECD\b", re.I), "OESO"),
    (re.compile(r"\binspraak\b|\bmedezeggenschap\b", re.I), "medezeggenschap ondernemingsraad betrekken"),
    (re.compile(r"\badvies ?recht\b", re.I), "adviesrecht"),
    (re.compile(r"\binstemmings ?recht\b", re.I), "instemmingsrecht"),
    (re.compile(r"\bomscholing\b|\bbijscholing\b|\bscholing\b", re.I), "scholing ontwikkelen leren"),
    # Everyday words for the documents' terms.
    (re.compile(r"\bAI[\s-]?(kennis|vaardigheden|geletterdheid|literacy)\b|\bkennis van AI\b|\bverstand van AI\b",
                re.I), "AI-geletterdheid AI-literacy kennis vaardigheden"),
    (re.compile(r"\bvan te ?voren\b|\bop voorhand\b|\bvooraf\b", re.I), "vooraf"),
    (re.compile(r"\blaten weten\b|\binlichten\b|\bop de hoogte (brengen|stellen|houden)\b", re.I),
     "informeren"),
    (re.compile(r"\bmeekijk\w*|\bmee kijk\w*|\bmens\w* (tussen|ertussen)\b|\bhuman in the loop\b|"
                r"\bmenselijke (controle|check)\b|\bmens in de loop\b", re.I),
     "menselijke tussenkomst menselijk toezicht"),
    (re.compile(r"\bsollicit\w*|\bwerven\b|\bnieuwe mensen aannemen\b|\baannemen van personeel\b", re.I),
     "werving en selectie"),
    (re.compile(r"\b(baan|banen|werk|job)\s+(kwijt|verliezen|verdwijnen|verdwijnt)\b|\bwerkloos\w*|\bbanenverlies\b",
                re.I), "werkgelegenheid banen verdwijnen"),
    (re.compile(r"\brobots?\b", re.I), "robotisering"),
    (re.compile(r"\bprivacy\b", re.I), "privacy AVG gegevensbescherming"),
]
_DUTCH_HINT = re.compile(r"\b(de|het|een|mag|moet|heeft|wat|wie|hoe|wanneer|bij|van|niet|geen|mijn|onze)\b", re.I)
_LOWER_OR = re.compile(r"(?<![\w-])or(?![\w-])")


# A separable verb split by "te" ("mee te krijgen") is one word in the documents ("meekrijgen").
_RE_SPLIT_VERB = re.compile(r"\b(mee|op|aan|af|in|uit|door|over|toe|terug|samen|bij|na|weg|vast|voor|tegen)"
                            r"\s+te\s+([a-z]{2,}en)\b", re.I)


def normalise_query(question: str) -> str:
    """The question with whitespace tidied and expansions appended: for abbreviations, everyday words for the
    documents' terms and separable verbs split by "te"."""
    q = " ".join(question.split())
    extra: list[str] = [(m.group(1) + m.group(2)).lower() for m in _RE_SPLIT_VERB.finditer(q)]
    probe = q
    if _DUTCH_HINT.search(q) and _LOWER_OR.search(q):
        probe = _LOWER_OR.sub("OR", q)
    for pattern, expansion in _EXPANSIONS:
        if pattern.search(probe) and expansion not in extra:
            extra.append(expansion)
    return q + (" (" + "; ".join(extra) + ")" if extra else "")
