"""Dutch for Gradio's own labels (chat icons, footer, queue and login texts), whatever the browser's language.

Gradio picks its built-in labels from the browser's language and falls back to English. The same Dutch strings
are registered as custom translations for every language Gradio ships, so the page reads Dutch for visitors
with an English (or other) browser too.
"""

from __future__ import annotations

import gradio as gr

DUTCH: dict[str, dict[str, str]] = {
    "common": {
        "built_with": "gemaakt met", "built_with_gradio": "Gemaakt met Gradio", "clear": "Wissen",
        "download": "Downloaden", "edit": "Bewerken", "empty": "Leeg", "error": "Fout", "loading": "Laden",
        "or": "of", "remove": "Verwijderen", "settings": "Instellingen", "share": "Delen", "submit": "Verzenden",
        "undo": "Ongedaan maken", "language": "Taal", "display_theme": "Weergavethema", "progress": "Voortgang",
        "run": "Uitvoeren",
    },
    "chatbot": {
        "edit": "Bewerken", "retry": "Opnieuw", "undo": "Ongedaan maken", "submit": "Verzenden",
        "cancel": "Annuleren", "like": "Goed antwoord", "dislike": "Geen goed antwoord",
        "clear": "Nieuw gesprek", "complete": "Klaar", "copy_message": "Kopieer bericht",
        "copied_message": "Bericht gekopieerd",
    },
    "blocks": {
        "connection_can_break": "Op een telefoon kan de verbinding wegvallen als dit tabblad niet actief is; "
                                "je plek in de wachtrij gaat dan verloren.",
        "lost_connection": "Verbinding verloren door het verlaten van de pagina. Opnieuw in de wachtrij…",
    },
    "errors": {"use_via_api": "Gebruik via API", "use_via_api_or_mcp": "Gebruik via API of MCP"},
    "dropdown": {"dropdown": "Keuzelijst"},
    "checkbox": {"checkbox": "Selectievakje", "checkbox_group": "Groep selectievakjes"},
    "login": {"incorrect_credentials": "Onjuiste gebruikersnaam of wachtwoord", "username": "Gebruikersnaam",
              "password": "Wachtwoord", "login": "Inloggen", "enable_cookies": ""},
}

# The languages Gradio 6 ships translations for (plus regional variants browsers commonly report).
LOCALES = ("en", "ar", "ca", "de", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko", "lt", "nb",
           "nl", "pl", "pt", "pt-BR", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz", "zh-CN", "zh-TW")


def flat(groups: dict[str, dict[str, str]]) -> dict[str, str]:
    """``{"chatbot": {"retry": …}}`` → ``{"chatbot.retry": …}``. Gradio merges its own dictionaries over the
    custom ones, but a dotted key is looked up before the nested path, so flat keys win."""
    return {f"{group}.{key}": text for group, keys in groups.items() for key, text in keys.items()}


def dutch_everywhere() -> gr.I18n:
    return gr.I18n(**{locale: flat(DUTCH) for locale in LOCALES})
