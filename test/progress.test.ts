import { describe, expect, it } from 'vitest';
import { createProgressBar } from '../src/progress.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream, written };
}

describe('progress line', () => {
  it('draws done, rate and ETA on a terminal', () => {
    const { stream, written } = fakeStream(true);
    let now = 0;
    const bar = createProgressBar(stream, () => now)!;
    now = 2000;
    bar.update({ certificatesDone: 200_000, fraction: 0.5 });
    expect(written.at(-1)).toContain(' 50% 200,000 certificates, 100,000/s, ETA 0:02');
    bar.finish();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('stays silent without a terminal (cron)', () => {
    expect(createProgressBar(fakeStream(false).stream)).toBeNull();
  });
});
