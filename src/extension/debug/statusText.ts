// The status bar item's text (no vscode import, unit-tested): app state, virtual clock, running count.
import type { HostSnapshot } from './hostSessions';

export function clockText(ms: number): string {
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  const days = Math.floor(ms / 86_400_000);
  return `${days ? `${days}d ` : ''}${two((ms % 86_400_000) / 3_600_000)}:${two((ms % 3_600_000) / 60_000)}:${two((ms % 60_000) / 1000)}`;
}

export function statusText(snap: HostSnapshot): string {
  const app = snap.appState === 'suspended' ? '$(debug-pause) Suspended' : snap.appState === 'running' ? '$(play) Running' : '$(debug-stop) Not running';
  return `${app} · ${clockText(snap.now)} · ${snap.running.length} running`;
}
