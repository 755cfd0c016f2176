// Mutation runs only (vitest.mutate.config.ts), before test/setup.ts. Stryker switches most mutants
// on at run time, in a beforeAll hook after the test file's modules have loaded, so module-level
// code always runs unmutated. A thread kept between runs (vitest.mutate.pool.ts) still holds the
// previous mutant's switch when the modules load again: switched off here, that code runs as in a
// new thread. (Without this, a mutant of code that module loading reaches, such as defineCheck's
// date pattern, made the next mutant's test file fail to load, and that mutant went untested.)
import { inject } from 'vitest';

const provided = inject as (key: string) => unknown;
if (provided('mode') === 'mutant' && provided('mutantActivation') === 'runtime') {
  const namespace = (globalThis as Record<string, { activeMutant?: unknown } | undefined>)[String(provided('globalNamespace'))];
  if (namespace) namespace.activeMutant = undefined;
}
