// The extension's settings, typed: one place that knows their names, defaults and shapes.
// Contributed in package.json under `bgtask.*`; the server reads the same section.
import * as vscode from 'vscode';

export type ProfileSetting = 'auto' | 'win8' | 'win81' | 'phone81' | 'win10' | 'appsdk';
export type RuleSeverity = 'error' | 'warning' | 'info' | 'off';
export type TraceSetting = 'off' | 'messages' | 'verbose';

export interface BgtaskSettings {
  profile: ProfileSetting;
  rules: Record<string, RuleSeverity>;
  exclude: string[];
  trace: { server: TraceSetting };
}

export const SECTION = 'bgtask';

export function readSettings(scope?: vscode.ConfigurationScope): BgtaskSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    profile: c.get<ProfileSetting>('profile', 'auto'),
    rules: c.get<Record<string, RuleSeverity>>('rules', {}),
    exclude: c.get<string[]>('exclude', []),
    trace: { server: c.get<TraceSetting>('trace.server', 'off') },
  };
}
