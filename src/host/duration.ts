// Durations as people write them in scenarios and at the prompt: "20m", "2h", "1h30m", "45s", "500ms", "30d".
// Only finite, non-negative results; callers bound them (a real timer waits at most MAX_TIMER_MS).
const UNITS: ReadonlyMap<string, number> = new Map([['ms', 1], ['s', 1000], ['m', 60_000], ['min', 60_000], ['h', 3_600_000], ['d', 86_400_000]]);

/** The longest a Node timer can wait: a longer setTimeout fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const s = text.trim().toLowerCase();
  if (!s || s.length > 200) return undefined;
  const re = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]) * UNITS.get(m[2])!;
    i = re.lastIndex;
    while (s[i] === ' ') i++;
  }
  return Number.isFinite(total) ? total : undefined;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms) return `${ms / 86_400_000}d`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}
