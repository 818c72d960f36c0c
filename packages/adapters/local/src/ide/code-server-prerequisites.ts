import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CODE_SERVER_NODE_MAJOR } from './code-server-version';

/** One thing the machine lacks for a code-server install, and the exact command that fixes it. */
export interface MissingPrerequisite {
  what: string;
  fix: string;
}

export interface PrerequisiteProbe {
  env: NodeJS.ProcessEnv;
  nodeVersion: string;
  /** Is `path` an existing file? Injected so the checks can be tested without touching the machine. */
  fileExists(path: string): boolean;
}

const systemProbe = (): PrerequisiteProbe => ({
  env: process.env,
  nodeVersion: process.versions.node,
  fileExists(path) {
    try {
      accessSync(path, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  },
});

/** First match of `name` on PATH (as given by the probe's env), or null. */
export function findOnPath(name: string, probe: PrerequisiteProbe = systemProbe()): string | null {
  for (const dir of (probe.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (probe.fileExists(candidate)) return candidate;
  }
  return null;
}

// The compiler looks in these besides /usr/include; TOOLCHAIN.md describes unpacking the
// Debian packages into a folder named by CPATH when apt cannot install system-wide.
const includeDirs = (env: NodeJS.ProcessEnv): string[] => [
  ...['CPATH', 'C_INCLUDE_PATH', 'CPLUS_INCLUDE_PATH'].flatMap((key) => (env[key] ?? '').split(delimiter)),
  '/usr/local/include',
  '/usr/include',
];

/**
 * What code-server 4.100.3's npm install needs from the machine, checked before spending a
 * minute on npm: Node 20 (its postinstall refuses others), npm, ripgrep (its bundled
 * @vscode/ripgrep would otherwise download from GitHub), a C/C++ toolchain (node-pty and
 * kerberos compile from source) and the GSSAPI headers (kerberos).
 */
export function missingCodeServerPrerequisites(probe: PrerequisiteProbe = systemProbe()): MissingPrerequisite[] {
  const missing: MissingPrerequisite[] = [];
  const major = Number(probe.nodeVersion.split('.')[0]);
  if (major !== CODE_SERVER_NODE_MAJOR) {
    missing.push({
      what: `Node ${CODE_SERVER_NODE_MAJOR} (code-server 4.100.3 requires it; this is Node ${probe.nodeVersion})`,
      fix: `run volundr with Node ${CODE_SERVER_NODE_MAJOR}.x`,
    });
  }
  if (!findOnPath('npm', probe)) missing.push({ what: 'npm on PATH', fix: 'install npm (it ships with Node)' });
  if (!findOnPath('tar', probe)) missing.push({ what: 'tar on PATH', fix: 'apt-get install -y tar' });
  if (!findOnPath('rg', probe)) {
    missing.push({ what: 'ripgrep (rg) on PATH', fix: 'apt-get install -y ripgrep' });
  }
  const toolchain = ['make', 'g++', 'python3'].filter((tool) => !findOnPath(tool, probe));
  if (toolchain.length > 0) {
    missing.push({
      what: `a build toolchain for native modules (missing: ${toolchain.join(', ')})`,
      fix: 'apt-get install -y build-essential python3',
    });
  }
  if (!includeDirs(probe.env).some((dir) => dir !== '' && probe.fileExists(join(dir, 'gssapi', 'gssapi.h')))) {
    missing.push({
      what: 'the GSSAPI headers (gssapi/gssapi.h) that the kerberos module compiles against',
      fix: 'apt-get install -y libkrb5-dev',
    });
  }
  return missing;
}
