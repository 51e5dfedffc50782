import { FileIcon } from '../common/Icons';
import './states.css';

/** Where the config file lives on this OS (mirrors main's osDirs; the document does not say). */
export function configPathHint(userAgent: string = navigator.userAgent): string {
  if (/Windows/i.test(userAgent)) return '%APPDATA%\\burnrate\\config.json';
  if (/Mac OS X|Macintosh/i.test(userAgent)) return '~/Library/Application Support/burnrate/config.json';
  return '~/.config/burnrate/config.json';
}

/** No workspaces configured yet. */
export function EmptyState() {
  return (
    <div className="state state--empty" data-testid="empty-state">
      <span className="state__icon">
        <FileIcon size={28} />
      </span>
      <h2 className="state__title">No workspaces yet</h2>
      <p className="state__text">Add a config file with your workspaces and provider connections, then refresh.</p>
      <code className="state__path" data-testid="config-path">
        {configPathHint()}
      </code>
      <p className="state__hint">
        Or set <code>BURNRATE_CONFIG</code> to a file elsewhere. To look around first, run <code>burnrate demo</code>.
      </p>
    </div>
  );
}
