/**
 * The feature slices of the one studio store. A feature adds its slice file beside this
 * one and one line to each of the three lists below.
 */
import { tabsInitial, tabsPersisted, type TabsSlice } from './tabs';

export type FeatureSlices = TabsSlice;

export const featureInitialState: FeatureSlices = {
  ...tabsInitial,
};

export const featurePersistedKeys: readonly string[] = [...tabsPersisted];
