/** Under the demo banner: the way from demo data to one's own numbers. */
import './onboarding.css';

/** Props of {@link DemoSetupBar}. */
export interface DemoSetupBarProps {
  readonly onAddProvider: () => void;
}

/** "Ready for your own numbers? Add a provider". */
export function DemoSetupBar({ onAddProvider }: DemoSetupBarProps) {
  return (
    <div className="demo-setup" data-testid="demo-setup">
      <span>Ready for your own numbers?</span>
      <button type="button" className="button button--compact button--primary" onClick={onAddProvider}>
        Add a provider
      </button>
    </div>
  );
}
