import { useRef, type ReactNode } from 'react';

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

/** WAI-ARIA tabs: arrow keys, Home and End move between tabs; only the active panel renders. */
export function Tabs<T extends string>({ tabs, active, onChange, label }: TabsProps<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
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
            </button>
          );
        })}
      </div>
      {current && (
        <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`} className="mx-auto max-w-6xl p-6">
          {current.render()}
        </div>
      )}
    </>
  );
}
