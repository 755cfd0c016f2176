// The CA products certscan knows the schema of: `--preset NAME` / database.preset, listed by `certscan presets`.
import type { DatabasePreset } from './types.js';
import { BOULDER_PRESET } from './boulder.js';
import { EJBCA_PRESET } from './ejbca.js';

export type { DatabasePreset } from './types.js';

export const PRESETS: readonly DatabasePreset[] = [EJBCA_PRESET, BOULDER_PRESET];

export const presetNamed = (name: string): DatabasePreset | undefined => PRESETS.find((preset) => preset.name === name);
