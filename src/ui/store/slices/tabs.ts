export type StudioTab = 'speak' | 'voices' | 'references' | 'clone';

export interface TabsSlice {
  tab: StudioTab;
}

export const tabsInitial: TabsSlice = { tab: 'speak' };
export const tabsPersisted = ['tab'] as const;
