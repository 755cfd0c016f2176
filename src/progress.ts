// A progress line on stderr for people at a terminal: certificates done, rate, ETA. Cron and other
// non-TTY runs get nothing here, only the one summary line the CLI prints at the end.
import type { ScanProgress } from './scan.js';

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export interface ProgressBar {
  update(progress: ScanProgress): void;
  finish(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream, now: () => number = () => performance.now()): ProgressBar | null {
  if (!stream.isTTY) return null;
  const started = now();
  let lastDrawn = 0;
  const width = 24;
  return {
    update({ certificatesDone, fraction }) {
      const at = now();
      if (at - lastDrawn < 100 && fraction < 1) return;
      lastDrawn = at;
      const elapsed = (at - started) / 1000;
      const rate = elapsed > 0 ? certificatesDone / elapsed : 0;
      const filled = Math.round(Math.min(1, fraction) * width);
      const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
      stream.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${certificatesDone.toLocaleString('en-US')} certificates, ${Math.round(rate).toLocaleString('en-US')}/s, ETA ${duration(eta)}  `,
      );
    },
    finish() {
      stream.write('\r\x1b[K');
    },
  };
}
