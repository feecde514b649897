"""Look and behaviour of the page: theme (local fonts only, colours with at least 4.5:1 contrast), CSS (desktop
and phone) and the page script (source links, copy, ratings, the question box while an answer streams).

Nothing here loads anything from outside the server: the theme uses Gradio's bundled fonts, and the script is
inline.
"""

from __future__ import annotations

import gradio as gr

# Hidden textboxes the script writes into: a clicked source link (its .change event opens the passage) and a
# clicked thumb (its .change event stores the rating).
PICK_ID = "bron-keuze"
RATE_ID = "beoordeling"
PANEL_ID = "passage-paneel"
# The phone layout (one column, the sources as a drawer over the page) below this width.
NARROW_PX = 767


def theme() -> gr.themes.Base:
    # Gradio's bundled semi-bold faces are glyph subsets (capitals fall back to another font), so only the
    # complete regular and bold files are used; both are served by the app itself.
    fonts = gr.themes.LocalFont
    # Gradio's defaults put grey-400 text and white-on-blue-500 buttons at 2.6:1 and 3.7:1; WCAG AA asks 4.5:1.
    return gr.themes.Default(
        primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
        font=[fonts("Source Sans Pro", weights=(400, 700)), "ui-sans-serif", "system-ui", "sans-serif"],
        font_mono=[fonts("IBM Plex Mono", weights=(400, 700)), "ui-monospace", "monospace"],
    ).set(
        body_text_color_subdued="*neutral_600", body_text_color_subdued_dark="*neutral_300",
        block_label_text_color="*neutral_600", block_info_text_color="*neutral_600",
        input_placeholder_color="*neutral_500", input_placeholder_color_dark="*neutral_400",
        color_accent="*primary_700",
        link_text_color="*primary_700", link_text_color_dark="*primary_300",
        link_text_color_hover="*primary_800", link_text_color_visited="*primary_700",
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700", button_primary_border_color_hover="*primary_800",
        button_primary_background_fill_dark="*primary_700", button_primary_background_fill_hover_dark="*primary_800",
        button_primary_border_color_dark="*primary_700",
    )


CSS = """
:root { --vb-link: #1d4ed8; --vb-mark-bg: rgba(37, 99, 235, 0.12); --vb-mark-bg-active: rgba(37, 99, 235, 0.28);
  --vb-warn-border: #d97706; --vb-warn-bg: rgba(217, 119, 6, 0.10); --vb-warn-text: #92400e;
  --vb-error-border: #dc2626; --vb-error-bg: rgba(220, 38, 38, 0.08); --vb-highlight: rgba(250, 204, 21, 0.55);
  --vb-question-bg: #eff6ff; --vb-question-border: #bfdbfe; }
.dark { --vb-link: #93c5fd; --vb-mark-bg: rgba(147, 197, 253, 0.16); --vb-mark-bg-active: rgba(147, 197, 253, 0.32);
  --vb-warn-text: #fcd34d; --vb-warn-bg: rgba(217, 119, 6, 0.18); --vb-highlight: rgba(250, 204, 21, 0.35);
  --vb-question-bg: #1e293b; --vb-question-border: #334155; }
.gradio-container { max-width: 1400px !important; margin: 0 auto; }
.dark [role=tab].selected { color: var(--vb-link) !important; }
#kop h1 { font-size: 2em; font-weight: 700; line-height: 1.2; margin: 0.2em 0 0.1em 0; }
#kop p { margin-top: 0; color: var(--body-text-color-subdued); }
#kop .uitleg-lang { color: inherit; }
.gesprek, .passage-paneel, .passage-leeg, .bron-kop { text-align: left; }
.sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
h2.klein { font-size: 1em; font-weight: 700; margin: 0 0 0.4em 0; }

/* the conversation: its own scroll box, as tall as its content up to what leaves the question box in view */
#gesprek { min-height: 7em; max-height: max(320px, calc(100vh - 330px)); overflow-y: auto !important;
  border: 1px solid var(--border-color-primary); border-radius: var(--radius-lg); padding: 0.6em 0.8em;
  background: var(--background-fill-primary); overscroll-behavior: contain; }
.gesprek { display: flex; flex-direction: column; gap: 0.7em; }
.gesprek-leeg { color: var(--body-text-color-subdued); }
.bericht { max-width: 100%; overflow-wrap: anywhere; }
.vraag-bericht { align-self: flex-end; max-width: 85%; background: var(--vb-question-bg);
  border: 1px solid var(--vb-question-border); border-radius: 12px; padding: 0.45em 0.8em; }
.vraag-tekst { margin: 0; white-space: pre-wrap; }
.antwoord-bericht { align-self: stretch; }
.bezig-tekst { color: var(--body-text-color-subdued); font-style: italic; margin: 0; }
.acties { display: flex; gap: 0.3em; margin-top: 0.35em; }
.actie { display: inline-flex; align-items: center; gap: 0.3em; min-height: 32px; min-width: 32px;
  padding: 0.2em 0.55em;
  border: 1px solid var(--border-color-primary); border-radius: 6px; background: var(--background-fill-primary);
  color: var(--body-text-color); font-size: 0.85em; cursor: pointer; }
.actie:hover { background: var(--background-fill-secondary); }
.actie:focus-visible, a.bron-marker:focus-visible, a.bron-link:focus-visible, .bron-sluiten:focus-visible {
  outline: 2px solid var(--vb-link); outline-offset: 2px; }
.actie[aria-pressed='true'] { border-color: var(--vb-link); color: var(--vb-link); background: var(--vb-mark-bg); }
.vraag-hint { margin: 0.2em 0 0 0; color: var(--vb-warn-text); font-weight: 600; }
.vraag-hint:empty { display: none; }
#voorbeelden { gap: 0.4em; }
#voorbeelden button.voorbeeld { white-space: normal; text-align: left; justify-content: flex-start; height: auto;
  line-height: 1.3; padding: 0.4em 0.7em; }

/* answers */
.antwoord p, .weigering p { margin: 0 0 0.5em 0; }
a.bron-marker, span.bron-marker {
  display: inline-block; font-size: 0.8em; font-weight: 600; line-height: 1.3; text-decoration: none;
  padding: 0 0.3em; margin: 0 0.1em; border-radius: 4px; vertical-align: baseline;
  background: var(--vb-mark-bg); color: var(--vb-link) !important; cursor: pointer;
}
a.bron-marker:hover, a.bron-marker:focus, a.bron-marker.bron-actief { background: var(--vb-mark-bg-active); }
details.bronnen { margin-top: 0.6em; border-top: 1px solid var(--border-color-primary); padding-top: 0.4em; }
details.bronnen summary { cursor: pointer; font-weight: 600; font-size: 0.9em; }
ul.bronlijst { list-style: none; padding-left: 0; margin: 0.3em 0 0 0; font-size: 0.9em; }
ul.bronlijst li { margin: 0.15em 0; }
a.bron-link { text-decoration: none; color: inherit !important; }
a.bron-link .bron-nr { font-weight: 600; color: var(--vb-link); }
a.bron-link:hover .bron-label, a.bron-link.bron-actief .bron-label { text-decoration: underline; }
.bron-zin { display: block; padding-left: 1.9em; color: var(--body-text-color-subdued); font-size: 0.92em;
  font-style: italic; }
p.melding, p.voorbehoud { font-style: italic; color: var(--body-text-color-subdued); }
p.opgevat { font-size: 0.85em; color: var(--body-text-color-subdued); }

/* refusals look different from answers */
.weigering {
  border-left: 4px solid var(--vb-warn-border); background: var(--vb-warn-bg); padding: 0.6em 0.8em; border-radius: 6px;
}
.weigering .weigering-kop { font-weight: 700; color: var(--vb-warn-text); }
.weigering details.bronnen { border-top-color: rgba(217, 119, 6, 0.35); }

/* missing index */
.index-ontbreekt, .foutmelding {
  border-left: 4px solid var(--vb-error-border); background: var(--vb-error-bg); padding: 0.6em 0.9em;
  border-radius: 6px;
}
.index-ontbreekt code { font-weight: 600; }
#inleesverslag textarea { font-family: var(--font-mono); font-size: 0.85em; white-space: pre; }

/* sources column: stays in view next to the conversation */
#bron-kolom { position: sticky; top: 0.5em; align-self: flex-start; max-height: calc(100vh - 1em); overflow-y: auto;
  flex-wrap: nowrap !important; }
.bron-kop { display: flex; align-items: center; justify-content: space-between; gap: 0.5em; }
.bron-kop h2 { font-size: 1.15em; font-weight: 700; margin: 0.2em 0 0.4em 0; }
.bron-sluiten { display: none; }
#passage-paneel { min-height: 200px; }
.passage-leeg { color: var(--body-text-color-subdued); }
.passage-kop { font-weight: 700; font-size: 1.05em; margin-bottom: 0.4em; }
.passage-kop .bron-nr { color: var(--vb-link); }
dl.passage-meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 0.8em; font-size: 0.88em;
  margin: 0 0 0.8em 0; }
dl.passage-meta dt { color: var(--body-text-color-subdued); }
dl.passage-meta dd { margin: 0; }
.passage-tekst { border-left: 4px solid #2563eb; padding: 0.2em 0 0.2em 0.8em; margin: 0.6em 0; }
.passage-tekst p, .buur p { margin: 0 0 0.6em 0; }
mark.steunzin { background: var(--vb-highlight); color: inherit; padding: 0 0.1em; border-radius: 2px; }
.buur { color: var(--body-text-color-subdued); font-size: 0.9em; border-left: 2px dashed var(--border-color-primary);
  padding-left: 0.8em; }
.buur-kop { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.04em; margin-bottom: 0.2em; }
.buur-label { text-transform: none; letter-spacing: 0; }

/* documents tab: the table scrolls inside its own box */
.tabel-scroll { max-width: 100%; overflow-x: auto; contain: inline-size; }
.tabel-scroll:focus-visible { outline: 2px solid var(--vb-link); }
table.documenten { width: 100%; border-collapse: collapse; font-size: 0.92em; border: none !important; }
table.documenten th, table.documenten td { text-align: left; padding: 0.45em 0.6em; vertical-align: top;
  border: none !important; border-bottom: 1px solid var(--border-color-primary) !important; }
table.documenten th { border-bottom-width: 2px !important; }
table.documenten .getal { text-align: right; }
table.documenten .nowrap { white-space: nowrap; }
.doc-bestand, .doc-totaal { color: var(--body-text-color-subdued); font-size: 0.85em; }

"""

# The page script. Source links (#bron-…) open the passage in the sources column (on a phone: a drawer over
# the page); copy puts an answer's plain text on the clipboard; thumbs send a rating; while an answer is being
# given, Enter, "Vraag", "Opnieuw" and the example questions are held back with a message, and the question box
# is left alone so that what the user types stays; Gradio's toasts get Dutch titles. Clicks and values go to the
# server through hidden textboxes.
HEAD = """
<style>
body.vraagbaak-bezig #verstuur { opacity: 0.65; cursor: progress; }
/* phone: one column, the page never wider than the screen, the source as a drawer over the page (here, not in
   the CSS above: Gradio scopes that inside media queries to its container, out of reach of body classes) */
@media (max-width: __NARROW__px) {
  .gradio-container .main.fillable { padding-left: 10px !important; padding-right: 10px !important; }
  #kop .uitleg-lang { display: none !important; }
  #kop h1 { font-size: 1.5em !important; }
  #gesprek { max-height: max(240px, calc(100svh - 300px)) !important; padding: 0.5em !important; }
  .vraag-bericht { max-width: 92% !important; }
  #bron-kolom { display: none !important; position: fixed !important; inset: auto 0 0 0 !important;
    z-index: 1000 !important; width: auto !important; min-width: 0 !important; max-height: 82svh !important;
    margin: 0 !important; padding: 0.8em 1em 1.2em !important; background: var(--background-fill-primary) !important;
    border-top: 1px solid var(--border-color-primary) !important; border-radius: 14px 14px 0 0 !important;
    box-shadow: 0 -8px 24px rgba(15, 23, 42, 0.25) !important; }
  body.bron-open #bron-kolom { display: flex !important; }
  .bron-sluiten { display: inline-flex !important; }
  body.bron-open::after { content: ''; position: fixed; inset: 0; background: rgba(15, 23, 42, 0.35); z-index: 999; }
  body.bron-open { overflow: hidden !important; }
}
</style>
<script>
(() => {
  const V = window.vraagbaak = window.vraagbaak || {};
  const $ = (sel) => document.querySelector(sel);
  const narrow = () => window.matchMedia('(max-width: __NARROW__px)').matches;
  const BUSY_HINT = 'Even geduld: het vorige antwoord is nog niet klaar. Je vraag blijft staan; verstuur hem daarna.';
  let busy = false;
  let lastLink = null;

  const send = (id, key) => {
    const box = document.querySelector('#' + id + ' textarea, #' + id + ' input');
    if (!box) return false;
    box.value = key + '|' + Date.now();
    box.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  };
  window.vraagbaakSend = send;
  const announcer = () => {
    let el = document.getElementById('voorlezer');
    if (!el) {
      el = document.createElement('div');
      el.id = 'voorlezer'; el.className = 'sr-only';
      el.setAttribute('role', 'status'); el.setAttribute('aria-live', 'polite');
      document.body.appendChild(el);
    }
    return el;
  };
  const announce = (text) => {
    const el = announcer();
    el.textContent = '';
    setTimeout(() => { el.textContent = text; }, 50);
  };
  const hint = (text) => {
    let el = document.getElementById('vraag-hint');
    if (!el) {
      const row = $('#invoer');
      if (!row) return;
      el = document.createElement('p');
      el.id = 'vraag-hint'; el.className = 'vraag-hint';
      el.setAttribute('role', 'status'); el.setAttribute('aria-live', 'polite');
      row.after(el);
    }
    el.textContent = text || '';
  };
  const setBusy = (on) => {
    busy = on;
    document.body.classList.toggle('vraagbaak-bezig', on);
    const btn = $('#verstuur');
    if (btn) btn.setAttribute('aria-disabled', on ? 'true' : 'false');
    if (!on) hint('');
  };
  const conversation = () => $('#gesprek .gesprek');
  const scrollBox = () => $('#gesprek');
  const showPending = (question) => {
    const log = conversation();
    if (!log) return;
    const empty = log.querySelector('.gesprek-leeg');
    if (empty) empty.remove();
    const q = document.createElement('article');
    q.className = 'bericht vraag-bericht'; q.setAttribute('aria-label', 'Jouw vraag');
    const p = document.createElement('p'); p.className = 'vraag-tekst'; p.textContent = question; q.appendChild(p);
    const a = document.createElement('article');
    a.className = 'bericht antwoord-bericht bezig'; a.setAttribute('aria-label', 'Antwoord'); a.dataset.klaar = '0';
    const w = document.createElement('p');
    w.className = 'bezig-tekst'; w.textContent = 'Bezig met zoeken in de documenten…';
    a.appendChild(w);
    log.append(q, a);
    log.setAttribute('aria-busy', 'true');
    V.follow = true;
    follow();
  };

  // Called by the ask events before their inputs go to the server: returns the inputs to send.
  V.start = (args, example, retry) => {
    const out = Array.from(args);
    const question = example != null ? example : String(out[0] || '');
    if (busy || (!retry && !question.trim())) { if (!retry) out[0] = ''; return out; }
    setBusy(true);
    exportStale = true;
    V.follow = true;
    if (!retry) {
      out[0] = question;
      const box = $('#vraag textarea');
      if (example == null && box) {
        // Only the question that was sent leaves the box: whatever was typed after Enter stays.
        box.value = box.value.startsWith(question) ? box.value.slice(question.length) : box.value;
        box.dispatchEvent(new Event('input', { bubbles: true }));
      }
      showPending(question);
    }
    return out;
  };
  // The export files are rewritten after each answer: a click on an export button meanwhile waits for them.
  // exported(n) says the files now hold n answers; a late one for an earlier answer (n smaller than the
  // answers on the page) or one while an answer is on its way does not release the click.
  let exportStale = false;
  let exportWaiting = null;
  V.done = () => { setBusy(false); };
  V.exported = (n) => {
    const log = conversation();
    const answers = log ? Number(log.getAttribute('data-aantal') || 0) : 0;
    if (busy || Number(n) !== answers) return;
    exportStale = false;
    const button = exportWaiting;
    exportWaiting = null;
    if (button && document.contains(button)) { hint(''); button.click(); }
  };

  const held = (ev) => {
    if (!busy) return false;
    ev.preventDefault(); ev.stopImmediatePropagation();
    hint(BUSY_HINT);
    return true;
  };
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.target.closest && ev.target.closest('#vraag')) {
      held(ev);
    } else if (ev.key === 'Escape' && document.body.classList.contains('bron-open')) {
      closeDrawer();
    }
  }, true);

  const closeDrawer = () => {
    document.body.classList.remove('bron-open');
    if (lastLink && document.contains(lastLink)) lastLink.focus();
  };
  const copyText = async (text) => {
    try {
      if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
    } catch (e) { /* fall back below */ }
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.left = '-9999px';
    document.body.appendChild(area); area.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    return ok;
  };

  document.addEventListener('click', (ev) => {
    const t = ev.target;
    if (!t || !t.closest) return;
    if (t.closest('#verstuur, #opnieuw, .voorbeeld')) { held(ev); return; }
    const exporter = t.closest('#exporteer, #exporteer-pdf');
    if (exporter && exportStale) {
      ev.preventDefault(); ev.stopImmediatePropagation();
      exportWaiting = exporter;
      hint('De export wordt bijgewerkt met het laatste antwoord; de download begint zo.');
      return;
    }
    const link = t.closest('a[href^="#bron-"]');
    if (link) {
      ev.preventDefault(); ev.stopPropagation();
      // data-keuze / data-paneel: a link of another tab's source column (the Rechtenwijzer)
      if (!send(link.dataset.keuze || '__PICK__', link.getAttribute('href').slice(1))) return;
      document.querySelectorAll('a.bron-actief').forEach((x) => x.classList.remove('bron-actief'));
      link.classList.add('bron-actief');
      lastLink = link;
      const column = document.getElementById('bron-kolom');
      if (narrow() && !link.dataset.paneel) {
        document.body.classList.add('bron-open');
        if (column) column.scrollTop = 0;
        const close = column && column.querySelector('.bron-sluiten');
        if (close) close.focus();
      } else {
        const panel = document.getElementById(link.dataset.paneel || '__PANEL__');
        if (panel) {
          const r = panel.getBoundingClientRect();
          if (r.top > window.innerHeight || r.bottom < 0) panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
        }
      }
      return;
    }
    if (t.closest('.bron-sluiten')) { ev.preventDefault(); closeDrawer(); return; }
    const copy = t.closest('button.kopieer');
    if (copy) {
      const label = copy.querySelector('span');
      copyText(copy.dataset.tekst || '').then((ok) => {
        const said = ok ? 'Gekopieerd' : 'Kopiëren lukte niet';
        if (label) label.textContent = said;
        announce(ok ? 'Antwoord gekopieerd als tekst.'
          : 'Kopiëren lukte niet; selecteer de tekst en kopieer hem zelf.');
        setTimeout(() => { if (label) label.textContent = 'Kopieer'; }, 2000);
      });
      return;
    }
    const thumb = t.closest('button.duim');
    if (thumb) {
      const pressed = thumb.getAttribute('aria-pressed') === 'true';
      const value = pressed ? 0 : Number(thumb.dataset.waarde);
      thumb.closest('.acties').querySelectorAll('button.duim').forEach((b) => {
        b.setAttribute('aria-pressed', String(!pressed && b === thumb));
      });
      send('__RATE__', thumb.dataset.beoordeel + '|' + value);
    }
  }, true);

  // Follow the conversation as it grows: down to the end, but never past the start of the latest question, so
  // a long answer is read from its beginning; a reader who scrolls it himself is left alone until the next
  // question. Finished answers are announced to screen readers.
  let announced = '';
  const follow = () => {
    const box = scrollBox();
    const questions = box ? box.querySelectorAll('article.vraag-bericht') : [];
    const q = questions[questions.length - 1];
    if (!box || !q) return;
    const top = q.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
    box.scrollTop = Math.min(top, box.scrollHeight - box.clientHeight);
  };
  const watch = () => {
    const box = scrollBox();
    if (!box) { setTimeout(watch, 200); return; }
    const manual = () => { V.follow = false; };
    ['wheel', 'touchmove'].forEach((name) => box.addEventListener(name, manual, { passive: true }));
    new MutationObserver(() => {
      if (V.follow !== false) follow();
      const answers = box.querySelectorAll("article.antwoord-bericht[data-klaar='1']");
      const last = answers[answers.length - 1];
      if (last && last.dataset.antwoord !== announced) {
        const copy = last.querySelector('button.kopieer');
        const text = copy ? (copy.dataset.tekst || '').split('\\n\\n')[0] : '';
        announce(last.getAttribute('aria-label') + ': ' + text.slice(0, 400));
        announced = last.dataset.antwoord;
      }
    }).observe(box, { childList: true, subtree: true, characterData: true });
  };
  // Gradio's toasts title themselves with their English type and have an English close button.
  const TOAST_TITLES = { Info: 'Melding', Warning: 'Let op', Error: 'Fout', Success: 'Gelukt' };
  const dutchToasts = () => {
    document.querySelectorAll('.toast-title').forEach((el) => {
      const node = el.firstChild;
      const dutch = node && node.nodeType === 3 && TOAST_TITLES[node.textContent.trim()];
      if (dutch) node.textContent = dutch + ' ';
    });
    document.querySelectorAll('[data-testid=toast-close]').forEach((b) => {
      if (b.getAttribute('aria-label') !== 'Sluiten') b.setAttribute('aria-label', 'Sluiten');
    });
  };
  // The conversation and the sources column scroll on their own: reachable and named for keyboard users.
  const regions = () => {
    const column = $('#bron-kolom');
    const log = scrollBox();
    if (!column || !log) { setTimeout(regions, 200); return; }
    column.tabIndex = 0; column.setAttribute('role', 'region'); column.setAttribute('aria-label', 'Bron in context');
    log.tabIndex = 0;
  };
  const start = () => {
    watch();
    regions();
    new MutationObserver(dutchToasts).observe(document.body, { childList: true, subtree: true, characterData: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
</script>
""".replace("__PICK__", PICK_ID).replace("__RATE__", RATE_ID).replace("__PANEL__", PANEL_ID).replace(
    "__NARROW__", str(NARROW_PX))
