"""Look and behaviour of the page: theme (local fonts only), CSS and the small script for source links.

Nothing here loads anything from outside the server: the theme uses Gradio's bundled fonts, and the script is
inline.
"""

from __future__ import annotations

import gradio as gr

# The hidden textbox the script writes a clicked source link into (its .change event opens the passage).
PICK_ID = "bron-keuze"
PANEL_ID = "passage-paneel"


def theme() -> gr.themes.Base:
    # Gradio's bundled semi-bold faces are glyph subsets (capitals fall back to another font), so only the
    # complete regular and bold files are used; both are served by the app itself.
    fonts = gr.themes.LocalFont
    return gr.themes.Default(
        primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
        font=[fonts("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=[fonts("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "monospace"],
    )


CSS = """
.gradio-container { max-width: 1400px !important; margin: 0 auto; }
#kop h1 { margin-bottom: 0.1em; }
#kop p { margin-top: 0; color: var(--body-text-color-subdued); }

/* answers */
.antwoord p, .weigering p { margin: 0 0 0.5em 0; }
a.bron-marker, span.bron-marker {
  display: inline-block; font-size: 0.8em; font-weight: 600; line-height: 1.3; text-decoration: none;
  padding: 0 0.3em; margin: 0 0.1em; border-radius: 4px; vertical-align: baseline;
  background: rgba(37, 99, 235, 0.12); color: var(--link-text-color, #1d4ed8) !important; cursor: pointer;
}
a.bron-marker:hover, a.bron-marker:focus, a.bron-marker.bron-actief { background: rgba(37, 99, 235, 0.28); }
details.bronnen { margin-top: 0.6em; border-top: 1px solid var(--border-color-primary); padding-top: 0.4em; }
details.bronnen summary { cursor: pointer; font-weight: 600; font-size: 0.9em; }
ul.bronlijst { list-style: none; padding-left: 0; margin: 0.3em 0 0 0; font-size: 0.9em; }
ul.bronlijst li { margin: 0.15em 0; }
a.bron-link { text-decoration: none; color: inherit !important; }
a.bron-link .bron-nr { font-weight: 600; color: var(--link-text-color, #1d4ed8); }
a.bron-link:hover .bron-label, a.bron-link.bron-actief .bron-label { text-decoration: underline; }
.bron-zin { display: block; padding-left: 1.9em; color: var(--body-text-color-subdued); font-size: 0.92em;
  font-style: italic; }
p.melding { font-style: italic; color: var(--body-text-color-subdued); }
p.opgevat { font-size: 0.85em; color: var(--body-text-color-subdued); }

/* refusals look different from answers */
.weigering {
  border-left: 4px solid #d97706; background: rgba(217, 119, 6, 0.10); padding: 0.6em 0.8em; border-radius: 6px;
}
.weigering .weigering-kop { font-weight: 700; color: #b45309; }
.weigering details.bronnen { border-top-color: rgba(217, 119, 6, 0.35); }

/* missing index */
.index-ontbreekt, .foutmelding {
  border-left: 4px solid #dc2626; background: rgba(220, 38, 38, 0.08); padding: 0.6em 0.9em; border-radius: 6px;
}
.index-ontbreekt code { font-weight: 600; }
#inleesverslag textarea { font-family: var(--font-mono); font-size: 0.85em; white-space: pre; }

/* sources column */
#passage-paneel { min-height: 200px; }
.passage-leeg { color: var(--body-text-color-subdued); }
.passage-kop { font-weight: 700; font-size: 1.05em; margin-bottom: 0.4em; }
.passage-kop .bron-nr { color: var(--link-text-color, #1d4ed8); }
dl.passage-meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 0.8em; font-size: 0.88em;
  margin: 0 0 0.8em 0; }
dl.passage-meta dt { color: var(--body-text-color-subdued); }
dl.passage-meta dd { margin: 0; }
.passage-tekst { border-left: 4px solid #2563eb; padding: 0.2em 0 0.2em 0.8em; margin: 0.6em 0; }
.passage-tekst p, .buur p { margin: 0 0 0.6em 0; }
mark.steunzin { background: rgba(250, 204, 21, 0.55); color: inherit; padding: 0 0.1em; border-radius: 2px; }
.buur { color: var(--body-text-color-subdued); font-size: 0.9em; border-left: 2px dashed var(--border-color-primary);
  padding-left: 0.8em; }
.buur-kop { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.04em; margin-bottom: 0.2em; }
.buur-label { text-transform: none; letter-spacing: 0; }

/* documents tab */
table.documenten { width: 100%; border-collapse: collapse; font-size: 0.92em; border: none !important; }
table.documenten th, table.documenten td { text-align: left; padding: 0.45em 0.6em; vertical-align: top;
  border: none !important; border-bottom: 1px solid var(--border-color-primary) !important; }
table.documenten th { border-bottom-width: 2px !important; }
table.documenten .getal { text-align: right; }
table.documenten .nowrap { white-space: nowrap; }
.doc-bestand, .doc-totaal { color: var(--body-text-color-subdued); font-size: 0.85em; }
"""

# Source links (#bron-…) in answers open the passage in the sources column: the click is caught here and
# handed to the server through a hidden textbox, whose .change event renders the passage panel.
HEAD = """
<script>
(() => {
  const pick = (key) => {
    const box = document.querySelector('#%(pick)s textarea, #%(pick)s input');
    if (!box) return false;
    box.value = key + '|' + Date.now();
    box.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  };
  document.addEventListener('click', (ev) => {
    const a = ev.target && ev.target.closest ? ev.target.closest('a[href^="#bron-"]') : null;
    if (!a) return;
    ev.preventDefault();
    ev.stopPropagation();
    if (!pick(a.getAttribute('href').slice(1))) return;
    document.querySelectorAll('a.bron-actief').forEach((x) => x.classList.remove('bron-actief'));
    a.classList.add('bron-actief');
    const panel = document.getElementById('%(panel)s');
    if (panel) {
      const r = panel.getBoundingClientRect();
      if (r.top > window.innerHeight || r.bottom < 0) panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  }, true);
})();
</script>
""" % {"pick": PICK_ID, "panel": PANEL_ID}
