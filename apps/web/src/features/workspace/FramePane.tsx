import { useEffect, useState } from 'react';
import { useAuth } from '../../app/contexts';
import { LoadingState } from '../../components/LoadingState';

/**
 * A session page (terminal, IDE) framed in the workspace. The gateway takes the access token
 * as `access_token` on the first load and answers with a cookie scoped to the session's
 * path, so the page's own requests and sockets are authenticated from then on.
 */
export function FramePane({ title, url }: { title: string; url: URL }) {
  const { session } = useAuth();
  const [src, setSrc] = useState<string | null>(null);
  const base = url.toString();
  useEffect(() => {
    let cancelled = false;
    void session.accessToken().then((token) => {
      if (cancelled) return;
      const withToken = new URL(base);
      if (token) withToken.searchParams.set('access_token', token);
      setSrc(withToken.toString());
    });
    return () => {
      cancelled = true;
    };
  }, [session, base]);
  if (!src) return <LoadingState label={`Opening the ${title.toLowerCase()}…`} />;
  return (
    <iframe
      className="session-frame"
      title={title}
      src={src}
      allow="clipboard-read; clipboard-write"
      referrerPolicy="same-origin"
    />
  );
}
