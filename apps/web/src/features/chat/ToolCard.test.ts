import { describe, expect, it } from 'vitest';
import { toolSummary } from './ToolCard';

describe('toolSummary', () => {
  it('picks the argument that says what the call does', () => {
    expect(toolSummary({ file_path: 'hello.txt', content: 'x' })).toBe('hello.txt');
    expect(toolSummary({ command: 'npm test', description: 'run tests' })).toBe('npm test');
    expect(toolSummary({ other: 1 })).toBeNull();
  });

  it('keeps the end of a long path and the start of long text', () => {
    const path = `/tmp/${'d/'.repeat(60)}hello.txt`;
    expect(toolSummary({ file_path: path })).toBe(`…${path.slice(-79)}`);
    expect(toolSummary({ file_path: path })?.endsWith('hello.txt')).toBe(true);
    expect(toolSummary({ command: 'x'.repeat(100) })).toBe(`${'x'.repeat(79)}…`);
  });
});
