import { type ThemeChoice, useTheme } from '../theme/theme';
import { Icon } from './Icon';

const ORDER: ThemeChoice[] = ['system', 'light', 'dark'];
const LABEL: Record<ThemeChoice, string> = { system: 'system', light: 'light', dark: 'dark' };

/** Cycles system → light → dark; the label says the current theme and the next one. */
export function ThemeToggle() {
  const [choice, choose] = useTheme();
  const next = ORDER[(ORDER.indexOf(choice) + 1) % ORDER.length] ?? 'system';
  return (
    <button
      type="button"
      className="btn btn-ghost btn-icon"
      onClick={() => choose(next)}
      aria-label={`Theme: ${LABEL[choice]}. Switch to ${LABEL[next]}`}
      title={`Theme: ${LABEL[choice]} (switch to ${LABEL[next]})`}
    >
      <Icon name={choice === 'dark' ? 'moon' : choice === 'light' ? 'sun' : 'monitor'} />
    </button>
  );
}
