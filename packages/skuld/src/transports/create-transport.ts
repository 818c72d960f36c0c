/**
 * Builds the transport a session is configured for. The broker passes the validated session
 * configuration; nothing here reads the environment.
 */
import { ClaudeSdkTransport } from './claude-sdk-transport';
import { ClaudeSubprocessTransport } from './claude-subprocess-transport';
import { CodexTransport } from './codex-transport';
import type { Transport, TransportName, TransportOptions } from './transport';

export function createTransport(name: TransportName, options: TransportOptions): Transport {
  switch (name) {
    case 'claude-sdk':
      return new ClaudeSdkTransport(options);
    case 'claude-subprocess':
      return new ClaudeSubprocessTransport(options);
    case 'codex':
      return new CodexTransport(options);
  }
}
