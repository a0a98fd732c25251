"""Text areas commit what is typed after a short pause, not only when the box is left.

Streamlit sends a text area's value to the server when the box loses focus (or on Ctrl+Enter);
until then it lives only in the browser, so a reload lost it and the draft autosave never saw it.
No native option commits a text area while typing (`st.text_input` has `live`, `st.text_area` has
not), so this script presses Ctrl+Enter for the learner after a pause in typing, and once more as
the page is left. The box keeps its focus and caret. One element, drawn once per page."""

from __future__ import annotations

import streamlit as st

PAUSE_MS = 800  # long enough not to rerun on every keystroke, short enough to lose little on a reload

SCRIPT = f"""<script>
(() => {{
  if (window.batonDraftCommit) return;
  window.batonDraftCommit = true;
  const timers = new WeakMap();
  const commit = (area) => area.dispatchEvent(new KeyboardEvent("keydown", {{
    key: "Enter", code: "Enter", keyCode: 13, ctrlKey: true, bubbles: true, cancelable: true
  }}));
  const isAnswerBox = (el) => el instanceof HTMLTextAreaElement && el.closest(".stTextArea") !== null;
  document.addEventListener("input", (event) => {{
    const area = event.target;
    if (!isAnswerBox(area)) return;
    clearTimeout(timers.get(area));
    timers.set(area, setTimeout(() => {{ timers.delete(area); commit(area); }}, {PAUSE_MS}));
  }}, true);
  window.addEventListener("pagehide", () => {{
    document.querySelectorAll(".stTextArea textarea").forEach((area) => {{
      if (timers.has(area)) commit(area);
    }});
  }});
}})();
</script>"""


def commit_drafts_while_typing() -> None:
    st.html(SCRIPT, unsafe_allow_javascript=True, width="content")
