"""The chat page (Gradio): ``vraagbaak serve``.

Gradio's usage analytics are switched off before Gradio is imported anywhere in this package.
"""

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
