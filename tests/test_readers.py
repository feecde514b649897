"""Tests for ingest.readers: every input file is built inside tmp_path by the test itself."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from ingest.readers import SUPPORTED_SUFFIXES, RawDocument, UnreadableFileError, read_document

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# --- builders -------------------------------------------------------------------------------------


def _new_pdf() -> tuple[FPDF, str]:
    """An FPDF with a font set: DejaVu if on disk (full Unicode), else the latin-1 core font."""
    pdf = FPDF()
    if DEJAVU.is_file():
        pdf.add_font("DejaVu", fname=str(DEJAVU))
        family = "DejaVu"
    else:
        family = "Helvetica"
    pdf.set_font(family, size=12)
    return pdf, family


def make_pdf(path: Path, pages: list[str]) -> Path:
    pdf, _ = _new_pdf()
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Inleiding", level=1)
    document.add_paragraph("Dit beleid geldt voor alle medewerkers van de gemeente.")
    document.add_heading("Reikwijdte", level=2)
    document.add_paragraph("Eerste punt van de lijst", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Onderwerp"
    table.cell(0, 1).text = "Eigenaar"
    table.cell(1, 0).text = "Privacy"
    table.cell(1, 1).text = "Functionaris gegevensbescherming"
    document.add_paragraph("Slotparagraaf na de tabel.")
    document.save(str(path))
    return path


HTML_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Paginatitel</title>
<style>body { color: red; }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/zoek">Zoeken</a></nav>
<h1>Beleid   voor
  AI-gebruik</h1>
<script>var geheim = "niet tonen";</script>
<p>Medewerkers gebruiken   <b>generatieve</b> AI alleen
   met toestemming.</p>
<h2>Regels</h2>
<ul>
  <li>Geen persoonsgegevens invoeren</li>
  <li>Controleer de uitkomst</li>
</ul>
<table>
  <tr><th>Rol</th><th>Taak</th></tr>
  <tr><td>Manager</td><td>Geeft toestemming</td></tr>
</table>
<footer>Copyright gemeente</footer>
</body></html>
"""


# --- plain text -----------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == frozenset({".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm", ".xml"})


def test_txt_crlf_normalised_and_layout_kept(tmp_path: Path) -> None:
    path = tmp_path / "notitie.txt"
    path.write_bytes("Kop\r\n   \r\n  ingesprongen regel\rlaatste   \r\n".encode("utf-8"))
    doc = read_document(path)
    assert isinstance(doc, RawDocument)
    assert doc.fmt == "txt"
    assert doc.text == "Kop\n   \n  ingesprongen regel\nlaatste   \n"
    assert doc.page_count is None
    assert doc.warnings == []
    assert doc.path == path


def test_md_and_markdown_utf8_bom_stripped(tmp_path: Path) -> None:
    for name in ("lees mij.md", "uitleg.markdown"):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf# Titel\n\nCaf\xc3\xa9 en co\xc3\xb6peratie\n")
        doc = read_document(path)
        assert doc.fmt == "md"
        assert doc.text == "# Titel\n\nCafé en coöperatie\n"
        assert doc.warnings == []


def test_invalid_utf8_falls_back_to_cp1252_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes("Één coöperatie – “privacy” kost €5\r\n".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Één coöperatie – “privacy” kost €5\n"
    assert doc.warnings == ["geen geldige UTF-8; gelezen als Windows-1252"]


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "kladblok.txt"
    path.write_bytes("Zoë leest één regel\r\n".encode("utf-16"))  # Notepad "Unicode": BOM + NUL bytes
    assert read_document(path).text == "Zoë leest één regel\n"


def test_binary_junk_txt_rejected(tmp_path: Path) -> None:
    path = tmp_path / "rommel.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "binair" in info.value.reason


def test_path_with_spaces_and_diacritics(tmp_path: Path) -> None:
    folder = tmp_path / "map met spaties én accenten"
    folder.mkdir()
    path = folder / "beleid AI – één.txt"
    path.write_text("Inhoud van het beleid.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Inhoud van het beleid.\n"
    assert doc.path == path

    docx_path = folder / "verslag – ï ü ë.docx"
    make_docx(docx_path)
    assert read_document(docx_path).text.startswith("# Inleiding")


# --- errors common to all formats -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["leeg.txt", "leeg.pdf", "leeg.docx", "leeg.html"])
def test_zero_byte_file_is_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "leeg" in info.value.reason


def test_whitespace_only_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "spaties.md"
    path.write_bytes(b"  \r\n\t\n   \n")
    with pytest.raises(UnreadableFileError, match="het bestand is leeg"):
        read_document(path)


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("iets", encoding="utf-8")
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    err = info.value
    assert err.reason == ("bestandstype .xyz wordt niet ondersteund "
                          "(wel: .txt, .md, .pdf, .docx, .html, .xml (wetten.overheid.nl))")
    assert err.path == path
    assert str(err) == f"data.xyz: {err.reason}"


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "HOOFDLETTERS.TXT"
    path.write_text("tekst", encoding="utf-8")
    assert read_document(path).fmt == "txt"


def test_oversize_small_limit(tmp_path: Path) -> None:
    path = tmp_path / "groot.txt"
    path.write_text("x" * 500, encoding="utf-8")
    with pytest.raises(UnreadableFileError) as info:
        read_document(path, max_bytes=100)
    assert "te groot" in info.value.reason
    assert "MB" in info.value.reason


def test_oversize_message_format(tmp_path: Path) -> None:
    path = tmp_path / "groot.pdf"
    path.write_bytes(b"x" * 1_500_000)
    with pytest.raises(UnreadableFileError) as info:
        read_document(path, max_bytes=1_000_000)
    assert info.value.reason == "te groot: 1,5 MB, maximaal 1 MB"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="niet gevonden"):
        read_document(tmp_path / "bestaat niet.txt")


def test_error_is_picklable(tmp_path: Path) -> None:
    err = UnreadableFileError(tmp_path / "a b.pdf", "geen geldig PDF-bestand")
    copy = pickle.loads(pickle.dumps(err))
    assert (copy.path, copy.reason, str(copy)) == (err.path, err.reason, str(err))


# --- pdf ------------------------------------------------------------------------------------------


def test_pdf_two_pages(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "raadsbesluit 2024.pdf",
        ["Gemeenteraad besluit over het privacybeleid.", "Tweede pagina: één overzicht van maatregelen."],
    )
    doc = read_document(path)
    assert doc.fmt == "pdf"
    assert doc.page_count == 2
    assert doc.text.count("\f") == 1
    first, second = doc.text.split("\f")
    assert "Gemeenteraad" in first and "privacybeleid" in first
    assert "Tweede" in second and "maatregelen" in second and "één" in second
    assert "maatregelen" not in first


def test_pdf_empty_page_keeps_page_alignment(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "drie.pdf", ["Pagina een", "", "Pagina drie"])
    doc = read_document(path)
    assert doc.page_count == 3
    pages = doc.text.split("\f")
    assert len(pages) == 3
    assert "een" in pages[0] and pages[1].strip() == "" and "drie" in pages[2]


def test_corrupt_pdf_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "kapot.pdf"
    path.write_bytes(random.Random(42).randbytes(4096))
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "PDF" in info.value.reason


def test_corrupt_pdf_with_header(tmp_path: Path) -> None:
    path = tmp_path / "half.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(4096))
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "PDF" in info.value.reason


def test_truncated_pdf(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "goed.pdf", ["Volledige tekst op pagina een."])
    path = tmp_path / "afgebroken.pdf"
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "PDF" in info.value.reason


def test_pdf_without_text_is_scanned(tmp_path: Path) -> None:
    pdf, _ = _new_pdf()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # only graphics, like a scanned page
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "geen tekst" in info.value.reason and "OCR" in info.value.reason


def _encrypt(src: Path, dst: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="RC4-128")
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


def test_pdf_with_password_rejected(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "open.pdf", ["Vertrouwelijke notitie"])
    path = _encrypt(plain, tmp_path / "geheim.pdf", user_password="geheim")
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert info.value.reason == "PDF is beveiligd met een wachtwoord"


def test_pdf_with_owner_password_only_is_readable(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "open.pdf", ["Openbare notitie over afval"])
    path = _encrypt(plain, tmp_path / "beperkt.pdf", user_password="")
    doc = read_document(path)
    assert "afval" in doc.text and doc.page_count == 1


# --- docx -----------------------------------------------------------------------------------------


def test_docx_structure_and_order(tmp_path: Path) -> None:
    doc = read_document(make_docx(tmp_path / "beleid.docx"))
    assert doc.fmt == "docx"
    assert doc.page_count is None
    assert doc.text == (
        "# Inleiding\n\n"
        "Dit beleid geldt voor alle medewerkers van de gemeente.\n\n"
        "## Reikwijdte\n\n"
        "- Eerste punt van de lijst\n\n"
        "Onderwerp\tEigenaar\n"
        "Privacy\tFunctionaris gegevensbescherming\n\n"
        "Slotparagraaf na de tabel."
    )


def test_docx_dutch_style_names(tmp_path: Path) -> None:
    document = docx.Document()
    document.styles.add_style("Kop 2", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Titel van het stuk", style="Title")
    document.add_paragraph("Nederlandse kop", style="Kop 2")
    document.add_paragraph("   ")  # empty paragraphs are dropped
    document.add_paragraph("Gewone tekst")
    path = tmp_path / "nl.docx"
    document.save(str(path))
    assert read_document(path).text == "# Titel van het stuk\n\n## Nederlandse kop\n\nGewone tekst"


def test_docx_merged_cells_appear_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Overzicht"
    for col, value in enumerate(["a", "b", "c"]):
        table.cell(1, col).text = value
    path = tmp_path / "samengevoegd.docx"
    document.save(str(path))
    assert read_document(path).text == "Overzicht\na\tb\tc"


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(random.Random(3).randbytes(2048))
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert info.value.reason == "geen geldig Word-bestand (.docx)"


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "leeg document.docx"
    docx.Document().save(str(path))
    with pytest.raises(UnreadableFileError, match="leeg"):
        read_document(path)


# --- html -----------------------------------------------------------------------------------------


def test_html_structure(tmp_path: Path) -> None:
    path = tmp_path / "pagina.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    doc = read_document(path)
    assert doc.fmt == "html"
    assert doc.text == (
        "# Beleid voor AI-gebruik\n\n"
        "Medewerkers gebruiken generatieve AI alleen met toestemming.\n\n"
        "## Regels\n\n"
        "- Geen persoonsgegevens invoeren\n\n"
        "- Controleer de uitkomst\n\n"
        "Rol\tTaak\n"
        "Manager\tGeeft toestemming"
    )
    for absent in ("niet tonen", "geheim", "color", "Home", "Copyright", "Paginatitel"):
        assert absent not in doc.text


def test_htm_meta_charset_windows_1252(tmp_path: Path) -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head>' \
        "<body><p>Coöperatie “één”</p><p>regel<br>na break</p></body></html>"
    path = tmp_path / "oud.htm"
    path.write_bytes(html.encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Coöperatie “één”\n\nregel na break"
    assert doc.warnings == []


def test_html_without_charset_falls_back_to_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "zonder.html"
    path.write_bytes("<p>Café</p>".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Café"
    assert doc.warnings == ["geen geldige UTF-8; gelezen als Windows-1252"]


def test_html_nested_list_and_inline_text(tmp_path: Path) -> None:
    html = "<div>Inleiding <em>kort</em><ol><li>Stap een<ul><li>Detail</li></ul></li></ol>slot</div>"
    path = tmp_path / "lijst.html"
    path.write_text(html, encoding="utf-8")
    assert read_document(path).text == "Inleiding kort\n\n1. Stap een\n\n- Detail\n\nslot"


def test_html_only_script_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "script.html"
    path.write_text("<html><body><script>alert(1)</script></body></html>", encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="leeg"):
        read_document(path)
