"""The two HTML pages of ``tts-server`` (Jinja templates rendered by Flask; no external assets)."""

from __future__ import annotations

__all__ = ["DETAILS_PAGE", "INDEX_PAGE"]

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
textarea, input, select, button { font: inherit; }
textarea { width: 100%; min-height: 7rem; }
label { display: block; margin-top: .8rem; }
button { margin-top: 1rem; padding: .4rem 1.2rem; }
pre { background: #f4f4f4; padding: .8rem; overflow: auto; }
#status { color: #a00; white-space: pre-wrap; }
"""

INDEX_PAGE = (
    """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>coqui-tts-ng server</title><style>"""
    + _STYLE
    + """</style></head>
<body>
<h1>coqui-tts-ng</h1>
<form id="form">
  <label for="text">Text</label>
  <textarea id="text" name="text" placeholder="Type something to say."></textarea>
  {% if speakers %}
  <label for="speaker_id">Speaker</label>
  <select id="speaker_id" name="speaker_id">
    {% if supports_cloning %}<option value="">(clone the reference below)</option>{% endif %}
    {% for s in speakers %}<option value="{{ s }}" {% if s == default_speaker %}selected{% endif %}>{{ s }}</option>{% endfor %}
  </select>
  {% endif %}
  {% if supports_cloning %}
  <label for="speaker_wav">Reference recording for cloning (a path on the server)</label>
  <input id="speaker_wav" name="speaker_wav" size="50">
  {% endif %}
  {% if languages %}
  <label for="language_id">Language</label>
  <select id="language_id" name="language_id">
    {% for l in languages %}<option value="{{ l }}" {% if l == default_language %}selected{% endif %}>{{ l }}</option>{% endfor %}
  </select>
  {% endif %}
  {% if use_gst %}
  <label for="style_wav">Style: a .wav on the server or GST weights as JSON</label>
  <input id="style_wav" name="style_wav" size="50">
  {% endif %}
  <button type="submit">Speak</button>
</form>
<p id="status"></p>
<audio id="audio" controls></audio>
{% if show_details %}<p><a href="details">Model details</a></p>{% endif %}
<script>
document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = document.getElementById("status");
  status.textContent = "";
  const params = new URLSearchParams(new FormData(event.target));
  const reply = await fetch("api/tts?" + params.toString());
  if (!reply.ok) {
    const body = await reply.json().catch(() => ({error: reply.statusText}));
    status.textContent = body.error || reply.statusText;
    return;
  }
  const audio = document.getElementById("audio");
  audio.src = URL.createObjectURL(await reply.blob());
  audio.play();
});
</script>
</body>
</html>
"""
)

DETAILS_PAGE = (
    """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>coqui-tts-ng server: model details</title><style>"""
    + _STYLE
    + """</style></head>
<body>
<h1>Model details</h1>
<h2>Server flags</h2><pre>{{ args }}</pre>
<h2>Model config</h2><pre>{{ model_config }}</pre>
<h2>Vocoder config</h2><pre>{{ vocoder_config }}</pre>
<p><a href="./">Back</a></p>
</body>
</html>
"""
)
