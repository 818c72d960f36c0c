import { type KeyboardEvent, useRef } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
}

/**
 * A tab list with the ARIA tabs pattern: one tab in the tab order, arrow keys / Home / End
 * move between tabs and select them. Panels carry `id={panelId(key)}` and
 * `aria-labelledby={tabId(key)}` (see `tabIds`).
 */
export function Tabs<K extends string>({
  label,
  items,
  selected,
  onSelect,
  idPrefix,
  trailing,
}: {
  label: string;
  items: TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
  idPrefix: string;
  trailing?: React.ReactNode;
}) {
  const refs = useRef(new Map<K, HTMLButtonElement>());
  const ids = tabIds(idPrefix);
  const move = (event: KeyboardEvent, index: number) => {
    const last = items.length - 1;
    const target =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    const item = items[target];
    if (!item) return;
    onSelect(item.key);
    refs.current.get(item.key)?.focus();
  };
  return (
    <div className="tabs-row">
      <div className="tabs" role="tablist" aria-label={label}>
        {items.map((item, index) => (
          <button
            key={item.key}
            ref={(el) => {
              if (el) refs.current.set(item.key, el);
              else refs.current.delete(item.key);
            }}
            type="button"
            role="tab"
            className="tab"
            id={ids.tab(item.key)}
            aria-selected={item.key === selected}
            aria-controls={ids.panel(item.key)}
            tabIndex={item.key === selected ? 0 : -1}
            onClick={() => onSelect(item.key)}
            onKeyDown={(event) => move(event, index)}
          >
            {item.label}
          </button>
        ))}
      </div>
      {trailing}
    </div>
  );
}

export function tabIds(prefix: string) {
  return {
    tab: (key: string) => `${prefix}-tab-${key}`,
    panel: (key: string) => `${prefix}-panel-${key}`,
  };
}
