/**
 * The terminal page served at `<base>/`. Every URL in it is relative, so it works under any
 * base path and behind a proxy that keeps the prefix (ttyd's `-b` model). The client derives
 * `/token` and `/ws` from `location.pathname` exactly as ttyd's own client does.
 */
export function indexPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Terminal</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/xterm.css">
<style>
  html, body { height: 100%; margin: 0; background: #000; }
  #terminal { position: absolute; inset: 0; padding: 4px; box-sizing: border-box; }
  #status { position: absolute; right: 8px; top: 8px; z-index: 10; padding: 2px 8px; border-radius: 3px;
    font: 12px system-ui, sans-serif; color: #fff; background: rgba(120, 120, 120, .8); display: none; }
</style>
</head>
<body>
<div id="terminal"></div>
<div id="status" role="status" aria-live="polite"></div>
<script type="module" src="assets/client.mjs"></script>
</body>
</html>
`;
}

/**
 * Served with the page: scripts and styles only from this origin, sockets to it, and framing
 * only by a page of the same origin (the dashboard, through the gateway).
 */
export const INDEX_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
