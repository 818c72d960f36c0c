import { useQuery } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { systemInfoQuery } from '../api/queries/system';
import { Icon } from '../components/Icon';
import { LoadingState } from '../components/LoadingState';
import { ThemeToggle } from '../components/ThemeToggle';
import { useApi, useAuth } from './contexts';

const NAV = [
  { to: '/', label: 'Sessions', end: true },
  { to: '/launch', label: 'Launch', end: false },
  { to: '/chronicles', label: 'Chronicles', end: false },
  { to: '/settings', label: 'Settings', end: false },
];

/** The frame of every signed-in page: skip link, header with navigation, the page, a footer. */
export function AppShell() {
  const { session, state } = useAuth();
  const api = useApi();
  const info = useQuery(systemInfoQuery(api));
  const user = state.status === 'signed-in' ? state.user : null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <Link to="/" className="brand" aria-label="Volundr home">
          <img src="/favicon.svg" alt="" width="26" height="26" />
          <span>Volundr</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} end={item.end}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <div className="header-end">
          <ThemeToggle />
          {user ? (
            <span className="user-name" title={user.email ?? user.userId}>
              {user.name}
            </span>
          ) : null}
          <button type="button" className="btn btn-sm" onClick={() => void session.signOut()}>
            <Icon name="logout" />
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<LoadingState label="Loading…" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">Volundr{info.data ? ` ${info.data.version} · ${info.data.mode} mode` : ''}</footer>
    </div>
  );
}
