// Runs in every test file: the temporary folders its tests made are removed after them.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);
