import { Navigate, useNavigate, useParams } from 'react-router';
import { useAuth } from '../../app/contexts';
import { Tabs, tabIds } from '../../components/Tabs';
import { AccountSection } from '../../features/account/AccountSection';
import { AdministrationSection } from '../../features/admin/AdministrationSection';
import { PresetsSection } from '../../features/presets/PresetsSection';
import { TokensSection } from '../../features/tokens/TokensSection';

const SECTIONS = [
  { key: 'account', label: 'Account', admin: false },
  { key: 'presets', label: 'Presets', admin: false },
  { key: 'tokens', label: 'Access tokens', admin: false },
  { key: 'admin', label: 'Administration', admin: true },
] as const;
type Section = (typeof SECTIONS)[number]['key'];

/** The person's settings; administrators also see tenants and users. */
export function SettingsPage() {
  const { section = 'account' } = useParams();
  const navigate = useNavigate();
  const { state } = useAuth();
  const isAdmin = state.status === 'signed-in' && state.user.claims.roles.includes('volundr:admin');
  const visible = SECTIONS.filter((s) => !s.admin || isAdmin);
  const current = visible.find((s) => s.key === section);
  if (!current) return <Navigate to="/settings" replace />;
  const ids = tabIds('settings');
  return (
    <div className="page">
      <title>Settings · Volundr</title>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <Tabs<Section>
        label="Settings"
        idPrefix="settings"
        items={visible.map((s) => ({ key: s.key, label: s.label }))}
        selected={current.key}
        onSelect={(key) => navigate(`/settings/${key}`, { replace: true })}
      />
      <div
        role="tabpanel"
        id={ids.panel(current.key)}
        aria-labelledby={ids.tab(current.key)}
        className="settings-panel"
      >
        {current.key === 'account' ? <AccountSection /> : null}
        {current.key === 'presets' ? <PresetsSection /> : null}
        {current.key === 'tokens' ? <TokensSection /> : null}
        {current.key === 'admin' ? <AdministrationSection /> : null}
      </div>
    </div>
  );
}
