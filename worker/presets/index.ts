/**
 * Presets: the catalogue of ready-made integrations for the services teams use (docs/
 * integrations.md#presets). Pure data and lookups; adding one is integrations/' job.
 */
import { PRESETS } from "./catalogue";
import type { Preset } from "./preset";

export { PRESETS } from "./catalogue";
export type { Preset, PresetAuth, PresetKind, SuggestedPolicy } from "./preset";

const BY_ID = new Map(PRESETS.map((preset) => [preset.id, preset]));

/** The preset with this id, or undefined. */
export function presetById(id: string): Preset | undefined {
  return BY_ID.get(id);
}

/** The preset ids, for the body schema's enum. */
export const PRESET_IDS: readonly string[] = PRESETS.map((preset) => preset.id);
