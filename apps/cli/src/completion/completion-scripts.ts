import { type CompletionNode, completionTable, valueOptions } from './completion-model';

const shellWords = (words: string[]) => words.join(' ');
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
/** A case pattern: the literal part quoted, a trailing `*` left to match. */
const casePattern = (patterns: string[]) =>
  patterns.map((p) => (p.endsWith('*') ? `${sq(p.slice(0, -1))}*` : sq(p))).join('|');

/** Finds the command and subcommand typed so far, skipping options and their values. */
const bashWalk = (valueOpts: string[]) => `  local cmd="" sub="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${valueOpts.join('|')}) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z "$cmd" ]]; then cmd="$w"; elif [[ -z "$sub" ]]; then sub="$w"; fi
  done`;

export function bashCompletion(root: CompletionNode): string {
  const table = completionTable(root);
  const cases = table.map((entry) => {
    const words = [...entry.words.map((w) => w.name), ...entry.options.map((o) => o.long)];
    return `    ${casePattern(entry.patterns)}) words=${sq(shellWords(words))} ;;`;
  });
  return `# bash completion for volundr (volundr completion bash)
_volundr() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words=""
${bashWalk(valueOptions(root))}
  local key="$cmd"
  [[ -n "$sub" ]] && key="$cmd/$sub"
  case "$key" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _volundr volundr
`;
}

/** A `name:description` item of zsh's _describe (colons inside either part escaped). */
const zItem = (name: string, description: string) =>
  sq(`${name.replace(/:/g, '\\:')}:${description.replace(/:/g, '\\:')}`);

export function zshCompletion(root: CompletionNode): string {
  const table = completionTable(root);
  const cases = table.map((entry) => {
    const commands = entry.words.map((w) => zItem(w.name, w.description)).join(' ');
    const options = entry.options.map((o) => zItem(o.long, o.description)).join(' ');
    return `    ${casePattern(entry.patterns)}) commands=(${commands}); options=(${options}) ;;`;
  });
  return `#compdef volundr
# zsh completion for volundr (volundr completion zsh)
_volundr() {
  local -a commands options
  local cmd="" sub="" i w
  for ((i = 2; i < CURRENT; i++)); do
    w="\${words[i]}"
    case "$w" in
      ${valueOptions(root).join('|')}) ((i++)); continue ;;
      -*) continue ;;
    esac
    if [[ -z "$cmd" ]]; then cmd="$w"; elif [[ -z "$sub" ]]; then sub="$w"; fi
  done
  local key="$cmd"
  [[ -n "$sub" ]] && key="$cmd/$sub"
  case "$key" in
${cases.join('\n')}
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    _describe -t options 'option' options
  else
    _describe -t commands 'command' commands
  fi
}
compdef _volundr volundr
`;
}

export function fishCompletion(root: CompletionNode): string {
  const table = completionTable(root);
  const lines = [
    '# fish completion for volundr (volundr completion fish)',
    'function __volundr_at --description "the volundr command typed so far matches the glob $argv[1]"',
    '    set -l words (commandline -opc)',
    `    set -l value_options ${valueOptions(root).join(' ')}`,
    '    set -l cmd; set -l sub; set -l skip 0',
    '    for w in $words[2..-1]',
    '        if test $skip = 1; set skip 0; continue; end',
    '        if contains -- $w $value_options; set skip 1; continue; end',
    '        if string match -q -- "-*" $w; continue; end',
    '        if test -z "$cmd"; set cmd $w; else if test -z "$sub"; set sub $w; end',
    '    end',
    '    set -l key $cmd',
    '    if test -n "$sub"; set key "$cmd/$sub"; end',
    '    string match -q -- $argv[1] $key',
    'end',
    'complete -c volundr -f',
  ];
  // fish ANDs several -n conditions: one line per pattern instead.
  for (const entry of table) {
    for (const pattern of entry.patterns) {
      const when = `-n ${sq(`__volundr_at ${sq(pattern)}`)}`;
      for (const w of entry.words) lines.push(`complete -c volundr ${when} -a ${sq(w.name)} -d ${sq(w.description)}`);
      for (const o of entry.options) {
        const short = o.short ? ` -s ${o.short.replace(/^-/, '')}` : '';
        const value = o.takesValue ? ' -r' : '';
        lines.push(
          `complete -c volundr ${when} -l ${o.long.replace(/^--/, '')}${short}${value} -d ${sq(o.description)}`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
