"""The app's CSS and the small script that links answer markers to their sources."""

SOURCES_CSS = """
.vb-bronnen { display: flex; flex-direction: column; gap: 10px; }
.vb-bron { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px;
  background: var(--background-fill-secondary); scroll-margin: 8px; }
.vb-bron:target, .vb-bron.vb-doel { border-color: var(--color-accent);
  box-shadow: 0 0 0 3px var(--color-accent-soft); background: var(--background-fill-primary); }
.vb-kop { font-weight: 600; margin-bottom: 2px; }
.vb-nr { color: var(--color-accent); }
.vb-meta, .vb-bestand { font-size: 0.85em; color: var(--body-text-color-subdued); }
.vb-bestand { overflow-wrap: anywhere; margin-top: 4px; }
.vb-verwijzing { margin-top: 4px; font-weight: 600; }
.vb-check.vb-ok { color: #15803d; }
.vb-check.vb-niet { color: #b45309; }
.vb-passage { white-space: pre-wrap; font-family: var(--font); font-size: 0.92em;
  line-height: 1.45; margin-top: 6px; padding: 6px 8px; border-left: 3px solid
  var(--border-color-accent); background: var(--background-fill-primary); }
.vb-passage mark { background: #fde68a; color: #111827; padding: 0 1px; border-radius: 2px; }
.vb-leeg { color: var(--body-text-color-subdued); font-style: italic; margin: 4px 0; }
.vb-bron.vb-oud { border-style: dashed; border-color: #b45309; }
.vb-oud-melding { margin-top: 4px; padding: 4px 8px; border-radius: 4px; font-size: 0.88em;
  background: #fef3c7; color: #78350f; }
.vb-kopieer { margin-top: 6px; font-size: 0.85em; padding: 2px 10px; border-radius: 6px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-primary);
  cursor: pointer; }
.vb-kopieer:hover { border-color: var(--color-accent); }
"""

# Markers link to "#bron-<turn>-<n>". The chat may open links in a new tab, so intercept the
# click: highlight that source block and scroll it into view inside the panel.
MARKER_JS = """
if (!window.__vbBronnen) {
  window.__vbBronnen = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#bron-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    document.querySelectorAll('.vb-bron.vb-doel').forEach((el) => el.classList.remove('vb-doel'));
    const target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    target.classList.add('vb-doel');
    target.scrollIntoView({behavior: 'smooth', block: 'nearest'});
  }, true);
}
"""

# "Kopieer bronvermelding" in a source block: copy its citation (data-bron), also where the
# Clipboard API is missing (plain http on another host than localhost).
COPY_JS = """
if (!window.__vbKopieer) {
  window.__vbKopieer = true;
  const fallback = (text) => {
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed';
    area.style.opacity = '0'; document.body.appendChild(area); area.select();
    try { document.execCommand('copy'); } finally { area.remove(); }
  };
  document.addEventListener('click', async (event) => {
    const button = event.target.closest && event.target.closest('button.vb-kopieer');
    if (!button) return;
    const text = button.dataset.bron || '';
    try { await navigator.clipboard.writeText(text); } catch (e) { fallback(text); }
    window.__vbGekopieerd = text;
    button.textContent = 'Gekopieerd';
    setTimeout(() => { button.textContent = 'Kopieer bronvermelding'; }, 2000);
  });
}
"""

CSS = """
#vb-chat a[href^="#bron-"] { text-decoration: none; font-weight: 600; }
"""

# Gradio's own buttons and regions carry English labels for screen readers: make them Dutch,
# also for elements added later (new messages).
DUTCH_LABELS_JS = """
if (!window.__vbLabels) {
  window.__vbLabels = true;
  const exact = {'Clear': 'Gesprek wissen', 'Copy message': 'Bericht kopiëren',
    'Copied message': 'Bericht gekopieerd', 'More tabs': 'Meer tabbladen',
    'chatbot conversation': 'Gesprek', 'Copy': 'Kopiëren', 'Copied': 'Gekopieerd',
    'Retry': 'Opnieuw', 'Undo': 'Ongedaan maken', 'Submit': 'Versturen'};
  const prefixes = [["bot's message: ", 'Antwoord: '], ["user's message: ", 'Vraag: ']];
  const fix = (el) => {
    for (const attr of ['aria-label', 'title']) {
      const v = el.getAttribute && el.getAttribute(attr);
      if (!v) continue;
      if (exact[v]) { el.setAttribute(attr, exact[v]); continue; }
      for (const [en, nl] of prefixes) {
        if (v.startsWith(en)) el.setAttribute(attr, nl + v.slice(en.length));
      }
    }
  };
  const sweep = () => document.querySelectorAll('[aria-label],[title]').forEach(fix);
  sweep();
  new MutationObserver(sweep).observe(document.body, {subtree: true, childList: true,
    attributes: true, attributeFilter: ['aria-label', 'title']});
}
"""
