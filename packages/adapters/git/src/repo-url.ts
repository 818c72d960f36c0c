/**
 * Reading a repository as a person typed it, refusing everything that could make git or the
 * server do something else than fetch that repository: option injection (`--upload-pack=…`,
 * a leading `-`), `..` and percent-encoded paths, credentials in the URL, control characters,
 * other transports (`ext::`, `git://`), queries and fragments. Nothing here touches the network.
 */
import { DomainError } from '@volundr/core/errors';

export interface ParsedRepo {
  /** As typed (trimmed). */
  input: string;
  scheme: 'https' | 'http' | 'ssh' | 'file';
  /** Lower-case host, with `:port` when not the scheme's default; empty for file URLs. */
  host: string;
  /** Path segments without a trailing `.git` (file URLs: the absolute path's segments). */
  segments: string[];
  /** `ssh` user (`git@…`), never a secret. */
  sshUser: string | null;
  /** The URL as git would be given it (file and ssh forms kept, https normalized). */
  url: string;
}

export const repoNotAllowed = (repo: string, why: string) =>
  new DomainError('REPO_NOT_ALLOWED', `source.repo: ${JSON.stringify(repo.slice(0, 200))} is not allowed: ${why}`, {
    repo: repo.slice(0, 500),
  });

const SEGMENT = /^[A-Za-z0-9_.~][A-Za-z0-9_.~-]*$/;

function hasControlOrSpace(value: string): boolean {
  return [...value].some((c) => {
    const code = c.charCodeAt(0);
    return code <= 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f) || c === '\u2028' || c === '\u2029';
  });
}

function checkSegments(repo: string, segments: string[]): string[] {
  if (segments.length === 0) throw repoNotAllowed(repo, 'it names a host, not a repository');
  for (const segment of segments) {
    if (segment === '') throw repoNotAllowed(repo, 'the path has an empty segment ("//")');
    if (segment === '..' || segment === '.')
      throw repoNotAllowed(repo, '".." and "." are not allowed in repository paths');
    if (segment.startsWith('-'))
      throw repoNotAllowed(repo, `the path segment "${segment}" starts with "-" (it could be read as a git option)`);
    if (!SEGMENT.test(segment))
      throw repoNotAllowed(
        repo,
        `the path segment "${segment}" has characters other than letters, digits, ".", "_", "~" and "-"`,
      );
  }
  const last = segments.length - 1;
  segments[last] = segments[last]!.replace(/\.git$/, '');
  if (segments[last] === '') throw repoNotAllowed(repo, 'the repository name is empty');
  return segments;
}

/** `https://host/a/b`, `host/a/b`, `git@host:a/b`, `ssh://git@host/a/b`, `file:///abs/path`. */
export function parseRepo(raw: string): ParsedRepo {
  const repo = raw.trim();
  if (repo === '') throw repoNotAllowed(raw, 'it is empty');
  if (repo.length > 500) throw repoNotAllowed(repo, 'it is longer than 500 characters');
  if (repo.startsWith('-'))
    throw repoNotAllowed(repo, 'it starts with "-" and would be read as a git option (such as --upload-pack=)');
  if (hasControlOrSpace(repo)) throw repoNotAllowed(repo, 'it contains spaces or control characters');
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(repo))
    throw repoNotAllowed(repo, 'git remote helpers ("<transport>::…") are not allowed');
  if (repo.includes('\\')) throw repoNotAllowed(repo, 'backslashes are not allowed');
  if (repo.includes('%')) throw repoNotAllowed(repo, 'percent-encoded characters are not allowed in repository URLs');

  const scp = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/.exec(repo);
  if (scp) {
    const [, user, host, path] = scp;
    const segments = checkSegments(repo, path!.replace(/\/+$/, '').split('/'));
    return {
      input: repo,
      scheme: 'ssh',
      host: host!.toLowerCase(),
      segments,
      sshUser: user!,
      url: `${user}@${host!.toLowerCase()}:${segments.join('/')}.git`,
    };
  }
  const bare = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d{1,5})?\//.test(repo) && !repo.includes('://');
  let url: URL;
  try {
    url = new URL(bare ? `https://${repo}` : repo);
  } catch {
    throw repoNotAllowed(repo, 'not a repository URL (use https://host/org/repo, host/org/repo or git@host:org/repo)');
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'https' && scheme !== 'http' && scheme !== 'ssh' && scheme !== 'file')
    throw repoNotAllowed(repo, `the ${url.protocol}// scheme is not supported (use https)`);
  if (url.search || url.hash || repo.includes('?') || repo.includes('#'))
    throw repoNotAllowed(repo, 'queries and fragments are not part of a repository URL');
  if (url.password || (url.username && scheme !== 'ssh'))
    throw repoNotAllowed(
      repo,
      'URLs must not carry credentials (user or token); store a git credential (credentials.create with type git_credential) or connect an integration instead',
    );
  // The raw text, not URL's normalization (which would resolve `a/../b` away), decides about "..".
  const rawPath = repo.replace(/^[a-z]+:\/\/[^/]*/i, '');
  if (rawPath.split('/').some((s) => s === '..' || s === '.'))
    throw repoNotAllowed(repo, '".." and "." are not allowed in repository paths');

  if (scheme === 'file') {
    if (url.host !== '') throw repoNotAllowed(repo, 'file URLs name a path on this machine (file:///path)');
    const path = url.pathname.replace(/\/+$/, '');
    const segments = checkSegments(
      repo,
      path.split('/').filter((s) => s !== ''),
    );
    // A file URL is a path on this machine: kept exactly (a bare repository's ".git" included).
    return { input: repo, scheme, host: '', segments, sshUser: null, url: `file://${path}` };
  }
  if (!url.hostname) throw repoNotAllowed(repo, 'it has no host');
  const segments = checkSegments(
    repo,
    url.pathname
      .replace(/\/+$/, '')
      .split('/')
      .filter((s, i) => i > 0 || s !== ''),
  );
  const host = url.host.toLowerCase();
  return {
    input: repo,
    scheme,
    host,
    segments,
    sshUser: scheme === 'ssh' ? url.username || null : null,
    url:
      scheme === 'ssh'
        ? `ssh://${url.username ? `${url.username}@` : ''}${host}/${segments.join('/')}.git`
        : `${scheme}://${host}/${segments.join('/')}.git`,
  };
}

const splitPort = (value: string): [string, string | null] => {
  const m = /^(.*):(\d{1,5})$/.exec(value);
  return m ? [m[1]!, m[2]!] : [value, null];
};

/**
 * `github.com` matches that host on the default port; `git.local:8443` that host and port;
 * `*.corp.example` any subdomain (not the domain itself); `*` any host.
 */
export function hostMatches(host: string, pattern: string): boolean {
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  const [patternHost, patternPort] = splitPort(p);
  const [name, port] = splitPort(host.toLowerCase());
  if (patternPort !== port) return false;
  if (patternHost.startsWith('*.')) return name.endsWith(patternHost.slice(1)) && name.length > patternHost.length - 1;
  return name === patternHost;
}
