// A preset: the complete mapping of one CA product's schema, as its own create-table scripts define it.
import type { ScanConfig } from '../../../config.js';

export interface DatabasePreset {
  /** What `--preset` and database.preset take. */
  name: string;
  product: string;
  /** The create-table script the mapping was read from (file and commit). */
  schemaSource: string;
  /** What the preset reads, and what it cannot, in a line or two (certscan presets shows it). */
  notes: string;
  database: Pick<ScanConfig['database'], 'certificates' | 'orders'> & Partial<Pick<ScanConfig['database'], 'precertificates'>>;
}
