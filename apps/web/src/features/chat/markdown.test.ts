import { describe, expect, it } from 'vitest';
import { highlightCode } from '../common/highlight';

// renderMarkdown needs a DOM for DOMPurify; the e2e suite covers it in Chromium. The
// highlighting and escaping are pure and tested here.
describe('highlightCode', () => {
  it('highlights known languages and their aliases', () => {
    const ts = highlightCode('const x: number = 1;', 'ts');
    expect(ts.language).toBe('ts');
    expect(ts.html).toContain('<span class="hljs-keyword">const</span>');
    expect(highlightCode('echo hi', 'sh').html).toContain('hljs-built_in');
  });

  it('escapes code in unknown languages', () => {
    expect(highlightCode('<script>alert(1)</script>', 'klingon')).toEqual({
      html: '&lt;script&gt;alert(1)&lt;/script&gt;',
      language: 'klingon',
    });
    expect(highlightCode('a & b', undefined)).toEqual({ html: 'a &amp; b', language: null });
  });
});
