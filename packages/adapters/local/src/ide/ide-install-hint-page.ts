import { CODE_SERVER_VERSION } from './code-server-version';

/**
 * The page the gateway answers at `/s/<id>/ide/` when code-server is not installed: what is
 * missing and the one command that fixes it. Static (no session data), so nothing needs escaping.
 */
export function ideInstallHintPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IDE not installed</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; }
  code, pre { font-family: ui-monospace, monospace; background: #f3f4f6; border-radius: 4px; }
  pre { padding: .75rem 1rem; }
</style>
</head>
<body>
<h1>The browser IDE is not installed</h1>
<p>Sessions get an IDE (code-server ${CODE_SERVER_VERSION}) once it is installed on the machine that runs Volundr.
Install it once with:</p>
<pre>volundr ide install</pre>
<p>It downloads code-server from the npm registry into Volundr's data dir (about 300 MB, a minute or so)
and needs <code>ripgrep</code>, a C/C++ build toolchain and the Kerberos headers; on Debian or Ubuntu:</p>
<pre>apt-get install -y ripgrep build-essential python3 libkrb5-dev</pre>
<p>Then reload this page; a session that was already running may need a restart to pick the IDE up.</p>
</body>
</html>
`;
}
