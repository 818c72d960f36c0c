import type { Session } from '@volundr/contracts/sessions';
import { bold, cyan, dim, green, red, yellow } from '../output';
import { ago, renderTable } from '../ui/table';

const stateColour = (state: Session['state']) =>
  state === 'running'
    ? green(state)
    : state === 'failed'
      ? red(state)
      : state === 'starting' || state === 'provisioning' || state === 'stopping'
        ? yellow(state)
        : dim(state);

export const sourceOf = (s: Session) => (s.source.type === 'git' ? `${s.source.repo}@${s.source.branch}` : 'blank');

export function sessionTable(sessions: Session[]): string {
  return renderTable(
    ['NAME', 'STATE', 'MODEL', 'SOURCE', 'CREATED', 'ID'],
    sessions.map((s) => [s.name, stateColour(s.state), s.model, sourceOf(s), ago(s.createdAt), dim(s.id)]),
  );
}

/** An endpoint as an absolute URL (local endpoints are same-origin paths). */
export function endpointUrl(server: string, endpoint: string, websocket = false): string {
  const absolute = /^[a-z]+:\/\//i.test(endpoint) ? endpoint : `${server}${endpoint}`;
  return websocket ? absolute.replace(/^http/i, 'ws') : absolute;
}

/** Where to reach a running session, and the commands that use it. */
export function sessionUrls(server: string, s: Session): string {
  const lines: string[] = [];
  const endpoints = s.endpoints;
  if (endpoints?.chat)
    lines.push(`  chat      ${endpointUrl(server, endpoints.chat, true)}   ${dim(`volundr chat ${s.name}`)}`);
  if (endpoints?.terminal)
    lines.push(`  terminal  ${endpointUrl(server, endpoints.terminal)}   ${dim(`volundr attach ${s.name}`)}`);
  if (endpoints?.code) lines.push(`  IDE       ${endpointUrl(server, endpoints.code)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function sessionDetail(server: string, s: Session): string {
  const rows: [string, string][] = [
    ['name', bold(s.name)],
    ['id', s.id],
    ['state', `${stateColour(s.state)}${s.stateReason ? ` — ${s.stateReason}` : ''}`],
    ['activity', s.activityState],
    ['model', `${s.model} (${s.cli})`],
    ['source', sourceOf(s)],
    ['owner', `${s.ownerId} (tenant ${s.tenantId})`],
  ];
  if (s.templateName) rows.push(['template', s.templateName]);
  if (s.profileName) rows.push(['profile', s.profileName]);
  if (s.parentChronicleId) rows.push(['reforged', `from chronicle ${s.parentChronicleId}`]);
  rows.push(['usage', `${s.messageCount} messages, ${s.tokensUsed} tokens, $${s.costUsd.toFixed(4)}`]);
  rows.push(['created', `${s.createdAt} (${ago(s.createdAt)})`]);
  if (s.runningSince) rows.push(['running', `since ${s.runningSince}`]);
  if (s.stoppedAt) rows.push(['stopped', s.stoppedAt]);
  if (s.idleTimeoutMinutes !== null) rows.push(['idle stop', `after ${s.idleTimeoutMinutes} min idle`]);
  const urls = s.state === 'running' ? sessionUrls(server, s) : '';
  return `${rows.map(([k, v]) => `${cyan(k.padEnd(10))}${v}`).join('\n')}\n${urls ? `${cyan('endpoints')}\n${urls}` : ''}`;
}
