/** A small set of line icons; decorative (aria-hidden): the text next to them carries the meaning. */
const paths = {
  plus: 'M12 5v14M5 12h14',
  sun: 'M12 4V2M12 22v-2M4.9 4.9 3.5 3.5M20.5 20.5l-1.4-1.4M4 12H2M22 12h-2M4.9 19.1l-1.4 1.4M20.5 3.5l-1.4 1.4M12 17a5 5 0 1 0 0-10 5 5 0 0 0 0 10z',
  moon: 'M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z',
  monitor: 'M3 4h18v12H3zM8 20h8M12 16v4',
  external: 'M14 3h7v7M10 14 21 3M21 14v7H3V3h7',
  stop: 'M6 6h12v12H6z',
  play: 'M7 4v16l13-8z',
  archive: 'M3 4h18v4H3zM5 8v12h14V8M10 12h4',
  trash: 'M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14',
  refresh: 'M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5',
  check: 'M5 12l5 5L20 7',
  x: 'M6 6l12 12M18 6 6 18',
  file: 'M14 3H6v18h12V7zM14 3v4h4',
  terminal: 'M4 5h16v14H4zM7 9l3 3-3 3M12 15h5',
  send: 'M4 12l16-8-6 16-2-7z',
  logout: 'M15 4h4v16h-4M10 8l-4 4 4 4M6 12h11',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
