/**
 * The few icons the popover needs, as inline SVG (no icon font, nothing fetched). Decorative:
 * every icon is aria-hidden and the control that holds it carries the label.
 */
import { FLAME_PATH } from './iconPaths';

interface IconProps {
  readonly size?: number;
  readonly className?: string;
}

function svgProps({ size = 16, className }: IconProps) {
  return { width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false, className } as const;
}

/** The Burnrate mark: a flame. */
export function FlameIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <path
        fill="currentColor"
        d={FLAME_PATH}
      />
    </svg>
  );
}

/** Circular arrow: refresh. */
export function RefreshIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" d="M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7" />
    </svg>
  );
}

/** Triangle with exclamation mark: warnings and errors. */
export function AlertIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" d="M12 3.5 2.8 19.5h18.4L12 3.5Z" />
      <path stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M12 10v4.2M12 17.2v.1" />
    </svg>
  );
}

/** Circle with "i": notes. */
export function InfoIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2" />
      <path stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M12 11v5.5M12 7.6v.1" />
    </svg>
  );
}

/** Clock: stale values. */
export function ClockIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2" />
      <path fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M12 7v5l3 2" />
    </svg>
  );
}

/** Document with a plus: add a config file. */
export function FileIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <path fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" d="M14 3H6.5A1.5 1.5 0 0 0 5 4.5v15A1.5 1.5 0 0 0 6.5 21h11a1.5 1.5 0 0 0 1.5-1.5V8l-5-5Z" />
      <path fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" d="M14 3v5h5M12 11.5v6M9 14.5h6" />
    </svg>
  );
}

/** Plug with a cross: cannot connect. */
export function DisconnectedIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <path fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" d="M7 17 4 20M17 7l3-3M9.5 9.5 7.8 7.8a3.2 3.2 0 0 0-4.5 4.5l1.7 1.7M14.5 14.5l1.7 1.7a3.2 3.2 0 0 0 4.5-4.5L19 10M10 14l4-4" />
    </svg>
  );
}

/** Small "x": dismiss. */
export function CloseIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <path stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}

/** Cog wheel: settings. */
export function GearIcon(props: IconProps) {
  return (
    <svg {...svgProps(props)}>
      <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" strokeWidth="2" />
      <path
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinejoin="round"
        d="M12 2.5l1.6 2.4 2.8-.7.8 2.8 2.8.8-.7 2.8 2.4 1.6-2.4 1.6.7 2.8-2.8.8-.8 2.8-2.8-.7L12 21.5l-1.6-2.4-2.8.7-.8-2.8-2.8-.8.7-2.8L2.5 12l2.4-1.6-.7-2.8 2.8-.8.8-2.8 2.8.7Z"
      />
    </svg>
  );
}
