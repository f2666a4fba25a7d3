// Durations as people write them in scenarios and at the prompt: "20m", "2h", "1h30m", "45s", "500ms", "30d".
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const s = text.trim().toLowerCase();
  if (!s) return undefined;
  const re = /(\d+(?:\.\d+)?)\s*(ms|min|s|m|h|d)/y;
  let total = 0;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]) * UNITS[m[2]];
    i = re.lastIndex;
    while (s[i] === ' ') i++;
  }
  return total;
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0 && ms) return `${ms / 86_400_000}d`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].join('');
}
