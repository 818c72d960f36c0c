import { describe, expect, it } from 'vitest';
import { parseTerminalArgs } from './config';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseTerminalArgs(argv, env);
const config = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  const parsed = parse(argv, env);
  if (parsed.kind !== 'config') throw new Error(`expected a config, got ${JSON.stringify(parsed)}`);
  return parsed.config;
};

describe('parseTerminalArgs', () => {
  it('takes ttyd flags and stops at the first non-option', () => {
    const c = config([
      '-p',
      '0',
      '-b',
      '/s/abc/term/',
      '-t',
      'fontSize=14',
      '-t',
      'theme={"background":"#000"}',
      'bash',
      '-l',
    ]);
    expect(c.port).toBe(0);
    expect(c.basePath).toBe('/s/abc/term');
    expect(c.clientOptions).toEqual({ fontSize: 14, theme: { background: '#000' } });
    expect(c.command).toEqual(['bash', '-l']);
    expect(c.writable).toBe(true);
    expect(c.signal).toBe('SIGHUP');
  });

  it('keeps non-JSON client option values as strings, as ttyd', () => {
    expect(config(['-t', 'titleFixed=My shell', '--', 'sh']).clientOptions).toEqual({ titleFixed: 'My shell' });
  });

  it('reads VOLUNDR_TERMINAL_* variables, flags win', () => {
    const c = config(['--port=9000'], {
      VOLUNDR_TERMINAL_PORT: '7000',
      VOLUNDR_TERMINAL_CREDENTIAL: 'u:p',
      VOLUNDR_TERMINAL_BASE_PATH: '/x',
      SHELL: '/bin/zsh',
    });
    expect(c).toMatchObject({ port: 9000, credential: 'u:p', basePath: '/x', command: ['/bin/zsh'] });
  });

  it('normalises signals by name or number', () => {
    expect(config(['-s', 'term', 'sh']).signal).toBe('SIGTERM');
    expect(config(['-s', '9', 'sh']).signal).toBe('SIGKILL');
  });

  it('collects --env pairs and the read-only switch', () => {
    const c = config(['-e', 'A=1', '--env', 'B=x=y', '-R', 'sh']);
    expect(c.env).toEqual({ A: '1', B: 'x=y' });
    expect(c.writable).toBe(false);
  });

  it.each([
    [['-p', 'abc'], /port/],
    [['-p', '70000'], /port/],
    [['-b', 'no-slash'], /basePath/],
    [['-b', '/a/../b'], /basePath/],
    [['-b', `/${'x'.repeat(200)}`], /basePath/],
    [['-c', 'nopassword'], /credential/],
    [['-s', 'SIGNOPE'], /signal/],
    [['-t', 'novalue'], /key=value/],
    [['-e', '1BAD=x'], /env/],
    [['--bogus'], /unknown option --bogus/],
    [['-p'], /needs a value/],
    [['-W=1'], /unknown option/],
  ])('refuses %j with a message naming what is wrong', (argv, message) => {
    const parsed = parse(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.error).toMatch(message);
  });

  it('answers --help', () => {
    expect(parse(['--help']).kind).toBe('help');
  });
});
