import { useQuery } from '@tanstack/react-query';
import type { Branch } from '@volundr/contracts/git';
import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { toUiError } from '../../api/api-error';
import { branchesQuery } from '../../api/queries/git';
import { useApi } from '../../app/contexts';
import type { FieldControlProps } from '../../components/Field';
import { filterBranches } from './branch-options';
import './branch-picker.css';

export interface BranchChoices {
  /** null: free text (no repository yet, still loading, or the API cannot list them). */
  branches: Branch[] | null;
  defaultBranch: string | null;
  /** What the person should know about the list, shown as the field's hint. */
  note: string;
}

/** Waits until typing pauses before asking the API about a repository. */
function useSettled(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The branches of the repository being launched from, from the API's Git port. Any failure
 * (the API has no `git.branches`, the repository is not allowed or cannot be reached) leaves
 * the field as free text with a note saying why.
 */
export function useBranchChoices(repo: string, enabled: boolean): BranchChoices {
  const api = useApi();
  const settled = useSettled(repo.trim(), 400);
  const query = useQuery({ ...branchesQuery(api, settled), enabled: enabled && settled !== '' });
  if (!enabled || settled === '') {
    return { branches: null, defaultBranch: null, note: 'Choose the repository first to pick from its branches.' };
  }
  if (query.isPending) return { branches: null, defaultBranch: null, note: 'Loading the repository’s branches…' };
  if (query.isError) {
    const ui = toUiError(query.error);
    const why = ui.procedureMissing ? 'this API cannot list branches' : ui.message;
    return {
      branches: null,
      defaultBranch: null,
      note: `Branches could not be listed (${why}); type the branch name.`,
    };
  }
  const { branches, defaultBranch } = query.data;
  return {
    branches,
    defaultBranch,
    note: `${branches.length} branch${branches.length === 1 ? '' : 'es'}${defaultBranch ? `, default ${defaultBranch}` : ''}. Type to search, or name a new branch.`,
  };
}

/**
 * A searchable branch field (ARIA 1.2 combobox with a list): type to filter, arrows to move,
 * Enter to choose, Escape to close. Any text is accepted, so a new branch can be named.
 */
export function BranchPicker({
  control,
  value,
  onChange,
  choices,
}: {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
  choices: BranchChoices;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  // Until the person types, the list shows every branch, not just those matching the prefilled name.
  const [typed, setTyped] = useState(false);

  if (!choices.branches) {
    return (
      <input
        {...control}
        className="input"
        value={value}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }

  const { options, more } = filterBranches(choices.branches, typed ? value : '', choices.defaultBranch);
  const shown = open && options.length > 0;
  const choose = (name: string) => {
    onChange(name);
    setTyped(false);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(e.key === 'ArrowDown' ? 0 : options.length - 1);
        return;
      }
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (options.length === 0 ? -1 : (i + step + options.length) % options.length));
    } else if (e.key === 'Enter' && shown && active >= 0 && options[active]) {
      e.preventDefault();
      choose(options[active].name);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div className="combobox">
      <input
        {...control}
        className="input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        value={value}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => {
          onChange(e.target.value);
          setTyped(true);
          setOpen(true);
          setActive(-1);
        }}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false);
          setActive(-1);
        }}
      />
      {/* The ARIA 1.2 combobox pattern: the focus stays in the field, which points at the current
          option with aria-activedescendant, so the options themselves take no focus or keys. */}
      <div className="combobox-popup" hidden={!shown}>
        <div id={listId} role="listbox" aria-label="Suggestions" className="combobox-list">
          {shown
            ? options.map((option, i) => (
                // biome-ignore lint/a11y/useFocusableInteractive: the field keeps the focus (aria-activedescendant)
                // biome-ignore lint/a11y/useKeyWithClickEvents: the field handles the keys for its options
                <div
                  key={option.name}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className="combobox-option"
                  // Keep the focus in the field (a blur would close the list before the click lands).
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(option.name)}
                >
                  <span className="mono">{option.name}</span>
                  {option.isDefault ? <span className="combobox-tag">default</span> : null}
                  {option.protected ? <span className="combobox-tag">protected</span> : null}
                </div>
              ))
            : null}
        </div>
        {shown && more > 0 ? <p className="combobox-more muted">{more} more: type to narrow the list</p> : null}
      </div>
    </div>
  );
}
