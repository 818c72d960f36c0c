// The theme a person chose (light/dark) before the app loads; without one, the system's.
try {
  const theme = localStorage.getItem('volundr.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage can be disabled; the system theme applies then.
}
