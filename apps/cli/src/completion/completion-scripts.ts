import { type CompletionNode, completionTable, valueOptions } from './completion-model';

const shellWords = (words: string[]) => words.join(' ');
const sq = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

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
  const cases = [...table.entries()].map(([key, entry]) => {
    const words = [...entry.words.map((w) => w.name), ...entry.options.flatMap((o) => [o.long])];
    return `    ${sq(key)}) words=${sq(shellWords(words))} ;;`;
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

const zq = (text: string) => sq(text.replace(/:/g, '\\:'));

export function zshCompletion(root: CompletionNode): string {
  const table = completionTable(root);
  const cases = [...table.entries()].map(([key, entry]) => {
    const commands = entry.words.map((w) => zq(`${w.name}:${w.description}`)).join(' ');
    const options = entry.options.map((o) => zq(`${o.long}:${o.description}`)).join(' ');
    return `    ${sq(key)}) commands=(${commands}); options=(${options}) ;;`;
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
    'function __volundr_at --description "the volundr command typed so far is $argv[1]"',
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
    '    test "$key" = "$argv[1]"',
    'end',
    'complete -c volundr -f',
  ];
  for (const [key, entry] of table) {
    const when = `-n ${sq(`__volundr_at ${sq(key)}`)}`;
    for (const w of entry.words) lines.push(`complete -c volundr ${when} -a ${sq(w.name)} -d ${sq(w.description)}`);
    for (const o of entry.options) {
      const short = o.short ? ` -s ${o.short.replace(/^-/, '')}` : '';
      lines.push(
        `complete -c volundr ${when} -l ${o.long.replace(/^--/, '')}${short}${o.takesValue ? ' -r' : ''} -d ${sq(o.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
