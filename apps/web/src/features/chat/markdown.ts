/**
 * Agent answers as HTML: GitHub-flavoured markdown (marked), code highlighted
 * (`common/highlight.ts`), and everything sanitized (DOMPurify) because the
 * text comes from a model that may repeat anything it read. Links open in a new tab.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { escapeHtml, highlightCode } from '../common/highlight';

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }) {
      const { html, language } = highlightCode(text, lang);
      const label = language ? ` data-language="${escapeHtml(language)}"` : '';
      return `<pre${label}><code class="hljs">${html}</code></pre>\n`;
    },
  },
});

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/** Safe HTML for markdown text (also for an answer still streaming: open fences render as code). */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false });
  return purifier().sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input'] });
}
