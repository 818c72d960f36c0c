import { describe, expect, it } from 'vitest';
import { sessionPageUrl, sessionSocketUrl } from './chat-url';

describe('sessionSocketUrl', () => {
  it('turns same-origin paths and http(s) URLs into ws(s) URLs', () => {
    expect(sessionSocketUrl(null, '/s/a1/ws/chat', 'https://v.example/sessions/a1')).toBe(
      'wss://v.example/s/a1/ws/chat',
    );
    expect(sessionSocketUrl('/s/a1/ws/chat', '/x', 'http://127.0.0.1:8080/')).toBe('ws://127.0.0.1:8080/s/a1/ws/chat');
    expect(sessionSocketUrl('wss://gw.example/s/a1/ws/chat', '/x', 'http://127.0.0.1:8080/')).toBe(
      'wss://gw.example/s/a1/ws/chat',
    );
  });
});

describe('sessionPageUrl', () => {
  it('adds the trailing slash the terminal and IDE pages need', () => {
    expect(sessionPageUrl(null, '/s/a1/terminal', 'http://h/').toString()).toBe('http://h/s/a1/terminal/');
    expect(sessionPageUrl('https://gw/s/a1/ide/', '/x', 'http://h/').toString()).toBe('https://gw/s/a1/ide/');
  });
});
