import { memo, useMemo } from 'react';
import { renderMarkdown } from './markdown';

/** Rendered (sanitized) markdown; re-rendered only when its text changes. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify in renderMarkdown
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
});
