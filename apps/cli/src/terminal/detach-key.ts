import { CliError, exitCodes } from '../output';

/** `ctrl-]` → 0x1d: the byte a terminal sends for a Ctrl chord (letters and [ \ ] ^ _ ). */
export function detachKeyByte(spec: string): number {
  const match = /^(?:ctrl|c)[-+](.)$/i.exec(spec.trim());
  const key = match?.[1]?.toUpperCase();
  if (!key || !/^[A-Z[\\\]^_@]$/.test(key)) {
    throw new CliError(
      `bad --detach-key "${spec}"`,
      'use ctrl- and a letter or one of [ \\ ] ^ _ (default ctrl-])',
      exitCodes.usage,
    );
  }
  return key.charCodeAt(0) & 0x1f;
}
