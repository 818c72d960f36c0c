import type { Command, Option } from 'commander';

export interface CompletionOption {
  /** `--json`, and `-m` when there is a short form. */
  long: string;
  short: string | null;
  takesValue: boolean;
  description: string;
}

export interface CompletionNode {
  name: string;
  description: string;
  options: CompletionOption[];
  children: CompletionNode[];
}

const optionOf = (o: Option): CompletionOption | null =>
  o.long
    ? { long: o.long, short: o.short ?? null, takesValue: o.required || o.optional, description: o.description }
    : null;

function nodeOf(command: Command): CompletionNode {
  return {
    name: command.name(),
    description: command.description().split('\n')[0] ?? '',
    options: command.options.map(optionOf).filter((o): o is CompletionOption => o !== null),
    children: command.commands.map(nodeOf),
  };
}

/** The command tree as the completion scripts need it (from commander's own definitions). */
export function completionModel(program: Command): CompletionNode {
  return nodeOf(program);
}

/** Every option that takes a value, anywhere: its next word is a value, not a command. */
export function valueOptions(root: CompletionNode): string[] {
  const names = new Set<string>();
  const walk = (node: CompletionNode) => {
    for (const o of node.options) {
      if (!o.takesValue) continue;
      names.add(o.long);
      if (o.short) names.add(o.short);
    }
    node.children.forEach(walk);
  };
  walk(root);
  return [...names].sort();
}

export interface CompletionEntry {
  /** Shell glob patterns of the position key: `""`, `"sessions"`, `"sessions/ls"`, `"chat/*"`. */
  patterns: string[];
  words: CompletionNode[];
  options: CompletionOption[];
}

/**
 * Candidates by position, keyed by the words typed so far (options skipped): `""` (top level),
 * `"<cmd>"` (its subcommands or options), `"<cmd>/<sub>"` (a subcommand's options). A command
 * without subcommands takes arguments, so `"<cmd>/<anything>"` is still that command. Global
 * options are offered everywhere.
 */
export function completionTable(root: CompletionNode): CompletionEntry[] {
  const entries: CompletionEntry[] = [{ patterns: [''], words: root.children, options: root.options }];
  for (const command of root.children) {
    const leaf = command.children.length === 0;
    entries.push({
      patterns: leaf ? [command.name, `${command.name}/*`] : [command.name],
      words: command.children,
      options: [...command.options, ...root.options],
    });
    for (const sub of command.children) {
      entries.push({
        patterns: [`${command.name}/${sub.name}`],
        words: [],
        options: [...sub.options, ...root.options],
      });
    }
  }
  return entries;
}
