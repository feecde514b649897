"""A user's own folder, built by the tests: a law as BWB XML and as an HTML page, a cao as plain text, a PDF
report and a PDF law text (fpdf2, several pages, headings by font), a Word file whose headings Word numbers,
Markdown with numbered headings and a commentary that cites articles without being a law."""

from __future__ import annotations

from pathlib import Path

from eval.folders.build import parse_markup, write_docx, write_pdf

BWB_XML = """<?xml version="1.0" encoding="UTF-8"?>
<toestand bwb-id="BWBR9999999" inwerkingtreding="2024-07-01"><bwb-inputbestand/><bwb-wijzigingen/>
<redactionele-correcties><redactionele-correctie label-id="1" oud-revisie-id="2"/></redactionele-correcties>
<wetgeving soort="wet">
<intitule>Wet van 3 maart 2019, houdende regels over overleg in de onderneming<meta-data><brondata><oorspronkelijk><publicatie soort="Stb"><publicatiejaar>2019</publicatiejaar><publicatienr>77</publicatienr></publicatie></oorspronkelijk></brondata></meta-data></intitule>
<citeertitel status="officieel">Wet overleg proefbedrijven<meta-data/></citeertitel>
<wet-besluit><aanhef><wij>Wij Willem-Alexander, bij de gratie Gods, Koning der Nederlanden.</wij>
<considerans><considerans.al>Alzo Wij in overweging genomen hebben, dat het wenselijk is regels te stellen;</considerans.al></considerans>
<afkondiging><al>Zo is het, dat Wij hebben goedgevonden en verstaan:</al></afkondiging></aanhef>
<wettekst>
<hoofdstuk><kop><label>Hoofdstuk</label><nr>2</nr><titel>Bevoegdheden van de raad</titel></kop>
<paragraaf><kop><label>§</label><nr>2.1</nr><titel>Advies</titel></kop>
<artikel><kop><label>Artikel</label><nr>5</nr><titel>Adviesplicht</titel></kop>
<lid><lidnr>1</lidnr><al>De werkgever vraagt de raad advies over elk voorgenomen besluit tot:</al>
<lijst><li><li.nr>a.</li.nr><al>verhuizing van de <nadruk type="cur">vestiging</nadruk>;</al><meta-data><jcis><jci verwijzing="jci1.3:c:BWBR9999999&amp;artikel=5&amp;lid=1&amp;o=a"/></jcis></meta-data></li>
<li><li.nr>b.</li.nr><al>invoering van een nieuw roostersysteem;</al></li>
<li><li.nr>c.</li.nr><al>aanschaf van software die:</al>
<lijst><li><li.nr>1°.</li.nr><al>werk verdeelt over de werknemers;</al></li><li><li.nr>2°.</li.nr><al>prestaties van werknemers meet.</al></li></lijst></li>
</lijst>
<al>Het onder a bepaalde geldt niet voor een verhuizing binnen dezelfde gemeente.</al>
<meta-data><jcis><jci verwijzing="jci1.3:c:BWBR9999999&amp;artikel=5&amp;lid=1"/></jcis></meta-data></lid>
<lid><lidnr>2</lidnr><al>Het advies wordt gevraagd binnen zes weken na het voornemen, zoals bedoeld in <intref doc="x">artikel 6</intref>.</al></lid>
<lid><lidnr>3</lidnr><al>De raad brengt zijn advies uit binnen vier weken.</al><al>De termijn kan eenmaal worden verlengd.</al></lid>
<meta-data><brondata><oorspronkelijk><publicatie soort="Stb"><publicatiejaar>2019</publicatiejaar></publicatie></oorspronkelijk></brondata></meta-data>
</artikel>
<artikel><kop><label>Artikel</label><nr>6</nr></kop>
<al>In deze wet wordt verstaan onder:</al>
<lijst><li><li.nr>a.</li.nr><al>raad: de ondernemingsraad van het proefbedrijf;</al></li>
<li><li.nr>b.</li.nr><al>werkgever: de <extref doc="jci1.3:c:BWBR0002747">ondernemer</extref> die het proefbedrijf in stand houdt.</al></li></lijst>
</artikel>
</paragraaf>
</hoofdstuk>
<hoofdstuk><kop><label>Hoofdstuk</label><nr>3</nr><titel>Slotbepalingen</titel></kop>
<artikel><kop><label>Artikel</label><nr>7</nr></kop>
<al>De vergoedingen bedragen:</al>
<table><tgroup cols="2"><thead><row><entry>Functie</entry><entry>Vergoeding</entry></row></thead>
<tbody><row><entry>Voorzitter</entry><entry>500 euro</entry></row><row><entry>Lid</entry><entry>250 euro</entry></row></tbody></tgroup></table>
<redactie>Dit artikel is per 1 januari 2025 gewijzigd.</redactie>
</artikel>
</hoofdstuk>
</wettekst></wet-besluit></wetgeving></toestand>
"""

LAW_HTML = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>wetten.nl - Testwet</title></head>
<body><nav>Home Zoeken</nav><main>
<h1>Wet overleg proefbedrijven – artikelen 8 en 9</h1>
<h2>Artikel 8 – Instemming</h2>
<ol>
<li>De werkgever behoeft de instemming van de raad voor een besluit over:
  <ol type="a"><li>een regeling over werktijden;</li><li>een regeling over camera's op de werkvloer;</li>
  <li>een regeling over het volgen van prestaties;</li></ol>
  <p>een en ander voor zover het alle werknemers betreft.</p></li>
<li>De raad beslist binnen zes weken.</li>
<li>Zonder instemming is het besluit nietig.</li>
</ol>
<h2>Artikel 9 – Geschillen</h2>
<ol start="1"><li>Een geschil wordt voorgelegd aan de kantonrechter.</li>
<li value="2">De kantonrechter beslist binnen drie maanden.</li></ol>
</main><footer>Copyright</footer></body></html>
"""

CAO_TXT = """Cao Proefsector Schoonmaak 2023-2025

In januari 2021 spraken cao-partijen af om roosters te moderniseren (Jansen, 2020).

Hoofdstuk 4 Werktijden

Artikel 4.1 Rooster

1. De werkgever maakt het rooster ten minste vier weken van tevoren bekend aan de werknemer, zodat de werknemer
zijn privéleven kan plannen en rekening kan houden met zorgtaken en andere verplichtingen buiten het werk.

2. Een werknemer werkt ten hoogste:
a. negen uur per dienst;
b. vijf diensten per week, en
c. twee weekenden per maand.

Deze grenzen gelden niet bij calamiteiten.

Artikel 4.2 Toeslagen

De toeslag voor werk op zondag bedraagt 50 procent van het uurloon.
"""

PDF_REPORT = """# Onderzoek naar digitale roosters in de zorg: ervaringen van ondernemingsraden in zeven ziekenhuizen

Datum: 5 juni 2024

Dit rapport beschrijft hoe ondernemingsraden in ziekenhuizen omgaan met digitale roostersystemen.

## 1 Inleiding

{filler}

## 2 Bevindingen

{filler}

### 2.1 Betrokkenheid van de raad

{filler}

### 2.2 Gegevens van medewerkers

{filler}

### 2.3 Afspraken over evaluatie

In vijf van de zeven ziekenhuizen spraken de raad en de bestuurder een evaluatie na een halfjaar af. {filler}

## 3 Conclusie

{filler}
"""
FILLER = ("De raad vroeg om uitleg over de werking van het systeem en over de gegevens die het vastlegt. "
          "Medewerkers gaven aan dat zij meer zekerheid willen over hun diensten en dat ruilen makkelijker moet. ") * 4

PDF_LAW = """# Wet overleg proefbedrijven – artikel 27

## Artikel 27

1. De werkgever behoeft de instemming van de raad voor elk voorgenomen besluit tot vaststelling, wijziging of intrekking van:

a. een regeling met betrekking tot een pensioenverzekering, een winstdelingsregeling of een spaarregeling voor alle werknemers van het proefbedrijf;

b. een arbeids- en rusttijdenregeling of een vakantieregeling;

c. een regeling inzake voorzieningen die geschikt zijn voor controle op aanwezigheid, gedrag of prestaties;

een en ander voor zover betrekking hebbende op alle of een groep van de werknemers.

2. De werkgever legt het te nemen besluit schriftelijk aan de raad voor.
"""

DOCX_SOURCE = """# Beleid voor AI-hulpmiddelen op kantoor

Datum: 1 oktober 2024

## Doel van dit beleid

Dit beleid regelt hoe medewerkers AI-hulpmiddelen gebruiken.

### Reikwijdte

Het beleid geldt voor alle medewerkers en uitzendkrachten.

### Begrippen

Een AI-hulpmiddel is software die tekst of beelden maakt op basis van een opdracht.

## Regels

Medewerkers voeren geen persoonsgegevens van klanten in.
"""

MARKDOWN = """# Handreiking roosterafspraken

Versie: 12 januari 2024

## 1.1 Inleiding

Deze handreiking helpt de raad bij afspraken over roosters.

### 1.1.1 Doel

Het doel is voorspelbare roosters voor alle medewerkers.

# Handreiking roosterafspraken

## 1.2 Afspraken

De raad maakt afspraken over ruilen van diensten.
"""

COMMENTARY = """# Wat betekent het adviesrecht voor de raad?

## Inleiding

De raad heeft adviesrecht bij belangrijke besluiten.

## Artikel 25: het adviesrecht

Artikel 25 van de WOR noemt de besluiten waarover de raad advies geeft.

## Artikel 27: het instemmingsrecht

Artikel 27 gaat over regelingen waarvoor instemming nodig is.

## Tot slot

Begin op tijd met het gesprek met de bestuurder.
"""


def build_own_folder(folder: Path) -> Path:
    """Write every document of the folder into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wet-overleg-proefbedrijven.xml").write_text(BWB_XML, encoding="utf-8")
    (folder / "wet-artikelen-8-en-9.html").write_text(LAW_HTML, encoding="utf-8")
    (folder / "cao-proefsector.txt").write_text(CAO_TXT, encoding="utf-8")
    write_pdf(parse_markup(PDF_REPORT.format(filler=FILLER)), folder / "onderzoek-roosters.pdf")
    write_pdf(parse_markup(PDF_LAW), folder / "artikel-27.pdf")
    write_docx(parse_markup(DOCX_SOURCE), folder / "beleid-ai.docx", numbered=True)
    (folder / "handreiking-roosters.md").write_text(MARKDOWN, encoding="utf-8")
    (folder / "uitleg-adviesrecht.md").write_text(COMMENTARY, encoding="utf-8")
    return folder


SOURCES = {"onderzoek-roosters.pdf": PDF_REPORT.format(filler=FILLER), "artikel-27.pdf": PDF_LAW,
           "beleid-ai.docx": DOCX_SOURCE}
