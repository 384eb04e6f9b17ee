/**
 * The feature slices of the one studio store. A feature adds its slice file beside this
 * one and one line to each of the three lists below.
 */
import { tabsInitial, tabsPersisted, type TabsSlice } from './tabs';
import { voicesInitial, voicesPersisted, type VoicesSlice } from './voices';
import { referencesInitial, referencesPersisted, type ReferencesSlice } from './references';
import { cloneInitial, clonePersisted, type CloneSlice } from './clone';
import { storageInitial, storagePersisted, type StorageSlice } from './storage';

export type FeatureSlices = TabsSlice & VoicesSlice & ReferencesSlice & CloneSlice & StorageSlice;

export const featureInitialState: FeatureSlices = {
  ...tabsInitial,
  ...voicesInitial,
  ...referencesInitial,
  ...cloneInitial,
  ...storageInitial,
};

export const featurePersistedKeys: readonly string[] = [
  ...tabsPersisted,
  ...voicesPersisted,
  ...referencesPersisted,
  ...clonePersisted,
  ...storagePersisted,
];
