import {
  createContext,
  useCallback,
  useContext,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

export interface TabDef<T extends string> {
  id: T;
  label: string;
  render: () => ReactNode;
}

interface TabsProps<T extends string> {
  tabs: readonly TabDef<T>[];
  active: T;
  onChange: (id: T) => void;
  label: string;
}

interface TabPanelContextValue {
  /** The panel is the one on screen. */
  visible: boolean;
  /** Shows a short status next to this panel's tab label while the panel is not on screen. */
  setBadge: (badge: string | undefined) => void;
}

const TabPanelContext = createContext<TabPanelContextValue | undefined>(undefined);

/** Whether the enclosing tab panel is on screen (true outside tabs). Hidden panels stay mounted. */
export function useTabVisible(): boolean {
  return useContext(TabPanelContext)?.visible ?? true;
}

/**
 * Puts `badge` (e.g. "Recording") beside the enclosing panel's tab label while the user is on
 * another tab, so work that keeps running out of sight stays visible. Undefined clears it.
 */
export function useTabBadge(badge: string | undefined): void {
  const setBadge = useContext(TabPanelContext)?.setBadge;
  useEffect(() => {
    if (!setBadge || badge === undefined) return;
    setBadge(badge);
    return () => setBadge(undefined);
  }, [setBadge, badge]);
}

interface PanelProps {
  id: string;
  visible: boolean;
  onBadge: (id: string, badge: string | undefined) => void;
  children: ReactNode;
}

/** Pauses every <audio>/<video> in `root`, including those inside open shadow roots (wavesurfer's). */
function pauseMediaWithin(root: ParentNode): void {
  root.querySelectorAll<HTMLMediaElement>('audio, video').forEach((media) => media.pause());
  root.querySelectorAll('*').forEach((element) => {
    if (element.shadowRoot) pauseMediaWithin(element.shadowRoot);
  });
}

function Panel({ id, visible, onBadge, children }: PanelProps) {
  const element = useRef<HTMLDivElement>(null);
  // A hidden panel stays mounted, but nothing in it should keep playing out of sight (players
  // outside the DOM, like `new Audio()`, pause themselves through useTabVisible).
  useEffect(() => {
    if (!visible && element.current) pauseMediaWithin(element.current);
  }, [visible]);
  const setBadge = useCallback((badge: string | undefined) => onBadge(id, badge), [id, onBadge]);
  const value = useMemo<TabPanelContextValue>(() => ({ visible, setBadge }), [visible, setBadge]);
  return (
    <div
      ref={element}
      role="tabpanel"
      id={`panel-${id}`}
      aria-labelledby={`tab-${id}`}
      hidden={!visible}
      className="mx-auto max-w-6xl p-6"
    >
      <TabPanelContext.Provider value={value}>{children}</TabPanelContext.Provider>
    </div>
  );
}

/**
 * WAI-ARIA tabs: arrow keys, Home and End move between tabs. A panel is mounted on its first
 * visit and then stays mounted (hidden while another tab is shown), so a recording, a draft
 * or anything half-typed survives a trip to another tab. Every panel element exists from the
 * start, so each tab's aria-controls always points at a real element.
 */
export function Tabs<T extends string>({ tabs, active, onChange, label }: TabsProps<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  // The panels follow the selected tab at transition priority: the tab list answers a click at
  // once, while a panel's first mount (hundreds of elements) renders in slices that yield to
  // input, with the previous panel on screen meanwhile. Only a first visit waits so.
  const shownId = useDeferredValue(current?.id);
  const shown = tabs.find((t) => t.id === shownId) ?? current;
  const [visited, setVisited] = useState<ReadonlySet<string>>(() => new Set(shown ? [shown.id] : []));
  const [badges, setBadges] = useState<Readonly<Record<string, string>>>({});
  if (shown && !visited.has(shown.id)) setVisited(new Set([...visited, shown.id]));
  // Only a first mount waits: a panel already mounted is shown at once.
  const onScreen = current && visited.has(current.id) ? current.id : shown?.id;

  const onBadge = useCallback(
    (id: string, badge: string | undefined) =>
      setBadges((previous) => {
        if (previous[id] === badge) return previous;
        const next = { ...previous };
        if (badge === undefined) delete next[id];
        else next[id] = badge;
        return next;
      }),
    [],
  );

  const move = (index: number) => {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (!tab) return;
    onChange(tab.id);
    refs.current.get(tab.id)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} className="flex gap-1 border-b border-zinc-800 px-6">
        {tabs.map((tab, index) => {
          const selected = tab.id === current?.id;
          const badge = selected ? undefined : badges[tab.id];
          return (
            <button
              key={tab.id}
              ref={(el) => {
                if (el) refs.current.set(tab.id, el);
                else refs.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={`tab-${tab.id}`}
              aria-selected={selected}
              aria-controls={`panel-${tab.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onChange(tab.id)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight') move(index + 1);
                else if (e.key === 'ArrowLeft') move(index - 1);
                else if (e.key === 'Home') move(0);
                else if (e.key === 'End') move(tabs.length - 1);
                else return;
                e.preventDefault();
              }}
              className={`-mb-px border-b-2 px-4 py-2.5 text-sm font-medium ${selected ? 'border-amber-400 text-amber-300' : 'border-transparent text-zinc-400 hover:text-zinc-200'}`}
            >
              {tab.label}
              {badge && ' '}
              {badge && (
                <span className="ml-1 text-xs font-semibold text-red-400" data-testid={`tab-badge-${tab.id}`}>
                  <span aria-hidden="true">● </span>
                  {badge}
                </span>
              )}
            </button>
          );
        })}
      </div>
      {tabs.map((tab) => (
        <Panel key={tab.id} id={tab.id} visible={tab.id === onScreen} onBadge={onBadge}>
          {visited.has(tab.id) || tab.id === shown?.id ? tab.render() : null}
        </Panel>
      ))}
    </>
  );
}
