import { LaunchWizard } from '../../features/launch/LaunchWizard';
import './launch.css';

export function LaunchPage() {
  return (
    <div className="page">
      <title>Launch a session · Volundr</title>
      <div className="page-header">
        <h1>Launch a session</h1>
      </div>
      <LaunchWizard />
    </div>
  );
}
