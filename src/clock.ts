/** The time source of a scan. Injected everywhere so tests and retroactive audits control "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function fixedClock(iso: string): Clock {
  const at = new Date(iso);
  return () => new Date(at);
}
