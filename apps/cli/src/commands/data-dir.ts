import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

/** `--data-dir`, else `VOLUNDR_DATA_DIR`, else `~/.volundr`; `~` expanded, made absolute. */
export function resolveDataDir(flag: string | undefined): string {
  const raw = flag ?? process.env.VOLUNDR_DATA_DIR ?? '~/.volundr';
  const expanded = raw === '~' ? homedir() : raw.startsWith('~/') ? `${homedir()}${raw.slice(1)}` : raw;
  return isAbsolute(expanded) ? expanded : resolve(expanded);
}
